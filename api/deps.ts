import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { Transporter } from 'nodemailer';

/** What route handlers get: the parts they talk to, and the clock. */
export interface ApiDependencies {
  pool: Pool;
  temporal: Client;
  mailer: Transporter;
  logger: Logger;
  clock: () => Date;
  settings: { inactionWarningLeadTimesMs: number[] };
}
