import type { Pool } from 'pg';
import { createOutboxRelay, type OutboxRelaySettings } from '../../activities/relay/outboxRelay';
import { createPooledMailer } from '../../activities/relay/smtp';
import { createMailer } from '../../worker/mailer';
import { testMail } from './system';

/**
 * The outbox relay as a worker process runs it, for tests that create their workers themselves:
 * it delivers what workflows under a relay patch put into the outbox. Polls briefly so tests wait little.
 */
export function startTestRelay(pool: Pool, smtpUrl: string, settings: Partial<OutboxRelaySettings> = {}) {
  const mailer = createPooledMailer(createMailer(smtpUrl), 2);
  const relay = createOutboxRelay({ pool, mailer, mail: testMail, settings: { pollMs: 50, ...settings } });
  relay.start();
  return {
    relay,
    async stop() {
      await relay.stop();
      mailer.close();
    },
  };
}
