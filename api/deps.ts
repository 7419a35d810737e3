import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { Transporter } from 'nodemailer';
import type { VerifyToken } from '../security/tokens';
import type { DocumentScanner } from '../security/documentScanner';
import type { RateLimiter } from './rateLimit';
import type { ConsoleSettings } from '../console/router';
import type { LocalIssuerFile } from '../security/tokens';

/** What route handlers get: the parts they talk to, and the clock. */
export interface ApiDependencies {
  pool: Pool;
  temporal: Client;
  mailer: Transporter;
  logger: Logger;
  clock: () => Date;
  verifyToken: VerifyToken;
  rateLimiter: RateLimiter;
  /** The virus scan of uploaded documents (pluggable). */
  documentScanner: DocumentScanner;
  /** The staff console and applicant page (console/), where served; with the dev issuer's key for its loopback OIDC provider. */
  console?: ConsoleSettings & { devIssuer?: LocalIssuerFile };
  settings: {
    inactionWarningLeadTimesMs: number[];
    /** Express `trust proxy` (TRUST_PROXY): which proxies' X-Forwarded-For names the client. */
    trustProxy?: boolean | number | string[];
    /** Per case: at most this many uploaded documents and bytes (DOCUMENT_QUOTA_COUNT, DOCUMENT_QUOTA_BYTES). */
    documentQuota?: { count: number; bytes: number };
    /**
     * Applicants' access codes: the pepper of their keyed hash (ACCESS_CODE_PEPPER, or generated
     * into DATA_DIR/keys), days after a case closes until its code expires (ACCESS_CODE_EXPIRY_DAYS,
     * default 90), wrong attempts per reference before a lockout (ACCESS_CODE_MAX_FAILURES, default 5).
     */
    accessCodes?: { pepper: Buffer; expireAfterCloseDays?: number; maxFailures?: number };
  };
}
