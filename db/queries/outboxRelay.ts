import type { Pool, PoolClient } from 'pg';
import type { OutboxRow } from './outbox';

export interface RelayOutboxRow extends OutboxRow {
  relay: boolean;
  lease_until: Date | null;
  next_attempt_at: Date;
}

/** The outbox as the relay (activities/relay/outboxRelay.ts) sees it: rows written with `relay = true`. */
export function createOutboxRelayQueries(db: Pool | PoolClient) {
  return {
    /**
     * Claims up to `limit` due rows for `claimant` for `leaseSeconds`: pending, due, not leased
     * (or the lease ran out), and the earliest pending row of their case — a case's later letter
     * waits until its earlier one is sent or bounced. Rows another relay is claiming right now are
     * skipped, not waited for.
     */
    async claimDueMessages(limit: number, claimant: string, leaseSeconds: number): Promise<RelayOutboxRow[]> {
      const { rows } = await db.query<RelayOutboxRow>(
        `WITH due AS (
           SELECT o.id FROM outbox o
            WHERE o.status = 'pending' AND o.relay AND o.next_attempt_at <= now()
              AND (o.lease_until IS NULL OR o.lease_until < now())
              AND NOT EXISTS (
                SELECT 1 FROM outbox earlier
                 WHERE earlier.case_id = o.case_id AND earlier.status = 'pending' AND earlier.relay AND earlier.id < o.id)
            ORDER BY o.next_attempt_at, o.id
            LIMIT $1
            FOR UPDATE SKIP LOCKED)
         UPDATE outbox SET claimed_by = $2, lease_until = now() + make_interval(secs => $3), attempts = outbox.attempts + 1
           FROM due WHERE outbox.id = due.id
         RETURNING outbox.*`,
        [limit, claimant, leaseSeconds],
      );
      return rows.sort((a, b) => Number(a.id) - Number(b.id));
    },

    /** Extends this relay's leases of rows still being sent (a slow mail server is not a dead relay). */
    async renewLeases(ids: readonly string[], claimant: string, leaseSeconds: number): Promise<void> {
      await db.query(
        `UPDATE outbox SET lease_until = now() + make_interval(secs => $3)
          WHERE id = ANY($1::bigint[]) AND claimed_by = $2 AND status = 'pending' AND lease_until IS NOT NULL`,
        [ids, claimant, leaseSeconds],
      );
    },

    /** Records delivery; a row already finished (by another relay after a lost lease) stays as it is. */
    async markRelayedMessageSent(id: string, smtpResponse: string): Promise<void> {
      await db.query(
        `UPDATE outbox SET status = 'sent', sent_at = now(), smtp_response = $2, last_error = NULL, lease_until = NULL
          WHERE id = $1 AND status = 'pending'`,
        [id, smtpResponse],
      );
    },

    /** A permanent refusal (SMTP 5xx): recorded, never retried. */
    async markRelayedMessageBounced(id: string, error: string): Promise<void> {
      await db.query(`UPDATE outbox SET status = 'bounced', last_error = $2, lease_until = NULL WHERE id = $1 AND status = 'pending'`, [id, error]);
    },

    /** A transient failure: the row is due again after `retryInSeconds`, and its lease is given up. */
    async recordRelayFailure(id: string, error: string, retryInSeconds: number): Promise<void> {
      await db.query(
        `UPDATE outbox SET last_error = $2, lease_until = NULL, next_attempt_at = now() + make_interval(secs => $3)
          WHERE id = $1 AND status = 'pending'`,
        [id, error, retryInSeconds],
      );
    },

    /** The relay's pending rows: due now, leased (being sent), and waiting for a retry. */
    async countRelayMessagesByState(): Promise<{ due: number; leased: number; retrying: number }> {
      const { rows } = await db.query<{ due: number; leased: number; retrying: number }>(
        `SELECT count(*) FILTER (WHERE lease_until >= now())::int AS leased,
                count(*) FILTER (WHERE (lease_until IS NULL OR lease_until < now()) AND next_attempt_at <= now())::int AS due,
                count(*) FILTER (WHERE (lease_until IS NULL OR lease_until < now()) AND next_attempt_at > now())::int AS retrying
           FROM outbox WHERE status = 'pending' AND relay`,
      );
      return rows[0]!;
    },
  };
}
