import type { Pool, PoolClient } from 'pg';

export interface OutboxMessage {
  messageKey: string;
  caseId: string | null;
  kind: string;
  recipient: string;
  subject: string;
  bodyText: string;
  messageId: string;
  /** `to_print`: a letter to a person without an e-mail address, sent by post instead of SMTP. */
  status?: 'pending' | 'to_print';
  /** The recipient is the configured fallback: the staff directory had no mailbox for the case's authority and team. */
  recipientFallback?: boolean;
  /** Delivered by the outbox relay (activities/relay/outboxRelay.ts) rather than a `deliverMessage` activity. */
  relay?: boolean;
}

export interface OutboxRow {
  id: string;
  message_key: string;
  case_id: string | null;
  kind: string;
  recipient: string;
  subject: string;
  body_text: string;
  message_id: string;
  status: 'pending' | 'sent' | 'bounced' | 'to_print';
  attempts: number;
  claimed_by: string | null;
  claimed_attempt: number | null;
  last_error: string | null;
  smtp_response: string | null;
  created_at: Date;
  sent_at: Date | null;
  recipient_fallback: boolean;
}

export function createOutboxQueries(pool: Pool | PoolClient) {
  return {
    /** Inserts a message under its unique key; a second insert with the same key is a no-op. */
    async insertMessageOnce(m: OutboxMessage): Promise<void> {
      await pool.query(
        `INSERT INTO outbox (message_key, case_id, kind, recipient, subject, body_text, message_id, status, recipient_fallback, relay)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (message_key) DO NOTHING`,
        [m.messageKey, m.caseId, m.kind, m.recipient, m.subject, m.bodyText, m.messageId, m.status ?? 'pending', m.recipientFallback ?? false, m.relay ?? false],
      );
    },

    async findMessageByKey(messageKey: string): Promise<OutboxRow | undefined> {
      const { rows } = await pool.query<OutboxRow>('SELECT * FROM outbox WHERE message_key = $1', [messageKey]);
      return rows[0];
    },

    /**
     * Claims a pending message for one delivery attempt. A later attempt (a higher number)
     * takes over a claim left by an earlier one, which Temporal only starts once the earlier
     * attempt has timed out; an equal or older attempt cannot.
     */
    async claimMessageForDelivery(messageKey: string, claimant: string, attempt: number): Promise<OutboxRow | undefined> {
      const { rows } = await pool.query<OutboxRow>(
        `UPDATE outbox SET claimed_by = $2, claimed_attempt = $3, attempts = attempts + 1
         WHERE message_key = $1 AND status = 'pending' AND (claimed_attempt IS NULL OR claimed_attempt < $3)
         RETURNING *`,
        [messageKey, claimant, attempt],
      );
      return rows[0];
    },

    async markMessageSent(messageKey: string, smtpResponse: string): Promise<void> {
      await pool.query(
        `UPDATE outbox SET status = 'sent', sent_at = now(), smtp_response = $2, last_error = NULL
         WHERE message_key = $1 AND status = 'pending'`,
        [messageKey, smtpResponse],
      );
    },

    async markMessageBounced(messageKey: string, error: string): Promise<void> {
      await pool.query(`UPDATE outbox SET status = 'bounced', last_error = $2 WHERE message_key = $1`, [messageKey, error]);
    },

    async recordDeliveryError(messageKey: string, error: string): Promise<void> {
      await pool.query('UPDATE outbox SET last_error = $2 WHERE message_key = $1', [messageKey, error]);
    },

    async listMessagesByCase(caseId: string): Promise<OutboxRow[]> {
      const { rows } = await pool.query<OutboxRow>('SELECT * FROM outbox WHERE case_id = $1 ORDER BY id', [caseId]);
      return rows;
    },
  };
}
