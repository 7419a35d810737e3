import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import { createAccessCodeQueries } from '../../db/queries/accessCodes';
import { createOutboxRelayQueries, type RelayOutboxRow } from '../../db/queries/outboxRelay';
import type { MailSettings } from '../../processes/contract';
import { createAcceptedLetterLedger, isPermanentSmtpFailure, outboxMail, renderForDelivery } from '../messages';

export interface OutboxRelaySettings {
  /** Rows claimed per batch. */
  batchSize: number;
  /**
   * How long a claim holds; renewed every third of it while the row is being sent, so a row
   * whose lease ran out belongs to a relay that died, and is claimed again.
   */
  leaseSeconds: number;
  /** The pause when nothing was due. */
  pollMs: number;
  /** The first wait after a transient failure; doubled per attempt up to `maxBackoffSeconds`. */
  firstBackoffSeconds: number;
  maxBackoffSeconds: number;
}

export const defaultOutboxRelaySettings: OutboxRelaySettings = { batchSize: 50, leaseSeconds: 30, pollMs: 200, firstBackoffSeconds: 2, maxBackoffSeconds: 300 };

export interface OutboxRelayDependencies {
  pool: Pool;
  /** A pooled transport (activities/relay/smtp.ts): a batch's messages go out over a few open connections. */
  mailer: Transporter;
  mail: MailSettings;
  settings?: Partial<OutboxRelaySettings>;
  /** This relay's name on its claims (default: a fresh id). */
  claimant?: string;
  logger?: Pick<Logger, 'warn' | 'error'>;
}

export interface RelayBatchResult {
  claimed: number;
  sent: number;
  bounced: number;
  failed: number;
}

/**
 * The outbox relay: delivers the rows workflows wrote with `relay = true` (one local activity
 * `recordProjectionAndMessages` instead of an enqueue and a `deliverMessage` activity per letter).
 *
 * A batch claims due rows under a lease (`FOR UPDATE SKIP LOCKED`, so relays in several worker
 * processes share the work and never claim the same row), at most the earliest pending row of each
 * case, so a case's letters go out in order. Each is sent with its stable Message-ID; an access
 * code is rendered into the text only now, and deleted once sent. SMTP 5xx is recorded as a bounce;
 * any other failure (4xx, connection refused) makes the row due again after a backoff.
 *
 * The remaining window: the SMTP server accepted a message but the relay died (or lost its lease)
 * before recording it — the row is claimed again once the lease runs out and sent again, with the
 * same Message-ID, by which the receiving side can discard it.
 */
export function createOutboxRelay(deps: OutboxRelayDependencies) {
  const settings = { ...defaultOutboxRelaySettings, ...deps.settings };
  const claimant = deps.claimant ?? `relay-${randomUUID()}`;
  const queries = createOutboxRelayQueries(deps.pool);
  const secrets = createAccessCodeQueries(deps.pool);

  const backoffSeconds = (attempts: number) => Math.min(settings.maxBackoffSeconds, settings.firstBackoffSeconds * 2 ** Math.max(0, attempts - 1));

  /**
   * Rows this relay has handed to the SMTP server but could not yet record as sent: recorded
   * before this relay claims anything again, and never sent again by it — only a relay in another
   * process could, after the lease ran out (the window named above).
   */
  const accepted = createAcceptedLetterLedger<string>((id, response) => queries.markRelayedMessageSent(id, response), secrets);

  const deliver = async (row: RelayOutboxRow, result: RelayBatchResult): Promise<void> => {
    const { text, secret } = await renderForDelivery(secrets, row);
    let response: string;
    try {
      response = String((await deps.mailer.sendMail(outboxMail(deps.mail, row, text))).response);
    } catch (error) {
      if (!isPermanentSmtpFailure(error)) {
        await queries.recordRelayFailure(row.id, (error as Error).message, backoffSeconds(row.attempts));
        result.failed++;
        return;
      }
      await queries.markRelayedMessageBounced(row.id, (error as Error).message);
      result.bounced++;
      if (secret) await secrets.deleteMessageSecret(row.case_id!, secret);
      return;
    }
    // Sent: from here on a database error must not make the row due again (that would send it twice).
    result.sent++;
    await accepted.accept(row.id, { response, caseId: row.case_id, secret });
  };

  /** Claims one batch and delivers it. */
  const relayBatch = async (): Promise<RelayBatchResult> => {
    await accepted.recordAll();
    const rows = await queries.claimDueMessages(settings.batchSize, claimant, settings.leaseSeconds);
    const result: RelayBatchResult = { claimed: rows.length, sent: 0, bounced: 0, failed: 0 };
    if (rows.length === 0) return result;
    const ids = rows.map((row) => row.id);
    const renewal = setInterval(() => {
      queries.renewLeases(ids, claimant, settings.leaseSeconds).catch((error: unknown) => deps.logger?.warn({ err: error }, 'outbox relay: renewing leases failed'));
    }, (settings.leaseSeconds * 1000) / 3);
    const outcomes = await Promise.allSettled(rows.map((row) => deliver(row, result))).finally(() => clearInterval(renewal));
    // A database error while recording a failure: the lease runs out and the row is claimed again
    // (nothing was sent). One while recording a delivery: kept in `accepted`, recorded first.
    for (const outcome of outcomes) if (outcome.status === 'rejected') deps.logger?.error({ err: outcome.reason }, 'outbox relay: recording a delivery failed');
    return result;
  };

  let stopped = true;
  let wake: (() => void) | undefined;
  let loop: Promise<void> | undefined;

  const run = async () => {
    while (!stopped) {
      let claimed = 0;
      try {
        claimed = (await relayBatch()).claimed;
      } catch (error) {
        deps.logger?.warn({ err: error }, 'outbox relay: claiming failed; trying again');
      }
      // A full batch: more may be due at once. Otherwise wait a little (or until stopped).
      if (claimed < settings.batchSize && !stopped) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, settings.pollMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
    }
  };

  return {
    claimant,
    relayBatch,
    /** Starts the loop in this process. */
    start() {
      if (!stopped) return;
      stopped = false;
      loop = run();
    },
    /** Stops the loop; resolves once the batch in flight is recorded. */
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}

export type OutboxRelay = ReturnType<typeof createOutboxRelay>;
