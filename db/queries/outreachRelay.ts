import type { Pool, PoolClient } from 'pg';
import { hasAppliedSql } from './outreachPersons';

type Queryable = Pool | PoolClient;

/** A claimed outreach message with what its letter needs. */
export interface ClaimedOutreachMessage {
  messageKey: string;
  personId: string;
  authorityId: string;
  campaignId: string | null;
  kind: 'eligibility' | 'campaign';
  channel: 'email' | 'letter';
  givenNames: string;
  familyName: string;
  email: string | null;
  preferredLanguage: string;
  residenceMetOn: string | null;
  optedOut: boolean;
  applied: boolean;
}

export interface RenderedForOutbox {
  messageKey: string;
  recipient: string;
  subject: string;
  bodyText: string;
  messageId: string;
  kind: string;
  caseId: string | null;
}

/** The outreach relay: claims queued messages in batches and records what SMTP answered. */
export function createOutreachRelayQueries(db: Queryable) {
  return {
    /**
     * Claims up to `limit` queued messages of a campaign (or, with null, the eligibility messages)
     * for `claimant`, skipping rows another relay holds (`FOR UPDATE SKIP LOCKED`). A message left
     * in `sending` by a relay that died (claimed more than `staleSeconds` ago) is claimed again.
     */
    async claimMessages(campaignId: string | null, limit: number, claimant: string, staleSeconds: number): Promise<ClaimedOutreachMessage[]> {
      const { rows } = await db.query(
        `WITH picked AS (
           SELECT message_key FROM outreach_messages
           WHERE ($1::uuid IS NULL AND campaign_id IS NULL AND kind = 'eligibility' OR campaign_id = $1::uuid)
             AND (status = 'queued' OR (status = 'sending' AND claimed_at < now() - make_interval(secs => $4)))
           LIMIT $2 FOR UPDATE SKIP LOCKED)
         UPDATE outreach_messages m SET status = 'sending', claimed_by = $3, claimed_at = now()
         FROM picked, persons p
         WHERE m.message_key = picked.message_key AND p.id = m.person_id
         RETURNING m.message_key, m.person_id, m.authority_id, m.campaign_id, m.kind, m.channel,
           p.given_names, p.family_name, p.email, p.preferred_language,
           (SELECT to_char(d.residence_met_on, 'YYYY-MM-DD') FROM outreach_eligibility_dates d WHERE d.person_id = p.id) AS residence_met_on,
           EXISTS (SELECT 1 FROM outreach_opt_outs o WHERE o.person_id = p.id) AS opted_out,
           ${hasAppliedSql('p')} AS applied`,
        [campaignId, limit, claimant, staleSeconds],
      );
      return rows.map((r) => ({
        messageKey: r.message_key,
        personId: r.person_id,
        authorityId: r.authority_id,
        campaignId: r.campaign_id,
        kind: r.kind,
        channel: r.channel,
        givenNames: r.given_names,
        familyName: r.family_name,
        email: r.email,
        preferredLanguage: r.preferred_language,
        residenceMetOn: r.residence_met_on,
        optedOut: r.opted_out,
        applied: r.applied,
      }));
    },

    /** Marks claimed messages that are not sent (opted out, applied) or are letters to print. */
    async setFinalStatus(updates: { messageKey: string; status: string; languages: string[]; templateVersion: string | null }[]): Promise<void> {
      if (updates.length === 0) return;
      await db.query(
        `UPDATE outreach_messages m SET status = u.status, languages = string_to_array(u.languages, ','), template_version = u.template_version
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(message_key, status, languages, template_version)
         WHERE m.message_key = u.message_key`,
        [updates.map((u) => u.messageKey), updates.map((u) => u.status), updates.map((u) => u.languages.join(',')), updates.map((u) => u.templateVersion)],
      );
    },

    /**
     * Puts rendered e-mails into the outbox (unique key: never twice) and records their languages
     * and template version. @returns the keys whose outbox row was already sent or bounced (a retry
     * after a crash): they are not sent again.
     */
    async insertIntoOutbox(messages: (RenderedForOutbox & { languages: string[]; templateVersion: string })[]): Promise<Map<string, 'sent' | 'bounced'>> {
      const done = new Map<string, 'sent' | 'bounced'>();
      if (messages.length === 0) return done;
      await db.query(
        `INSERT INTO outbox (message_key, case_id, kind, recipient, subject, body_text, message_id)
         SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
         ON CONFLICT (message_key) DO NOTHING`,
        [
          messages.map((m) => m.messageKey),
          messages.map((m) => m.caseId),
          messages.map((m) => m.kind),
          messages.map((m) => m.recipient),
          messages.map((m) => m.subject),
          messages.map((m) => m.bodyText),
          messages.map((m) => m.messageId),
        ],
      );
      await db.query(
        `UPDATE outreach_messages m SET languages = string_to_array(u.languages, ','), template_version = u.template_version
         FROM unnest($1::text[], $2::text[], $3::text[]) AS u(message_key, languages, template_version) WHERE m.message_key = u.message_key`,
        [messages.map((m) => m.messageKey), messages.map((m) => m.languages.join(',')), messages.map((m) => m.templateVersion)],
      );
      const { rows } = await db.query<{ message_key: string; status: 'pending' | 'sent' | 'bounced' }>(
        `SELECT message_key, status FROM outbox WHERE message_key = ANY ($1::text[]) AND status <> 'pending'`,
        [messages.map((m) => m.messageKey)],
      );
      for (const row of rows) if (row.status !== 'pending') done.set(row.message_key, row.status);
      return done;
    },

    /**
     * Records SMTP results of a group of messages in both the outbox and the outreach table.
     * `failed` is a transient SMTP error: the message goes back to the queue until it has failed
     * `maxAttempts` times, then stays `failed`.
     */
    async recordResults(results: { messageKey: string; status: 'sent' | 'bounced' | 'failed'; response: string }[], maxAttempts = 5): Promise<void> {
      if (results.length === 0) return;
      const keys = results.map((r) => r.messageKey);
      await db.query(
        `WITH u AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) AS u(message_key, status, response)),
         o AS (
           UPDATE outbox SET status = CASE WHEN u.status = 'failed' THEN outbox.status ELSE u.status END,
             sent_at = CASE WHEN u.status = 'sent' THEN now() ELSE outbox.sent_at END,
             smtp_response = CASE WHEN u.status = 'sent' THEN u.response ELSE outbox.smtp_response END,
             last_error = CASE WHEN u.status = 'sent' THEN NULL ELSE u.response END,
             attempts = attempts + 1
           FROM u WHERE outbox.message_key = u.message_key AND outbox.status = 'pending')
         UPDATE outreach_messages m
           SET status = CASE WHEN u.status <> 'failed' THEN u.status WHEN ob.attempts + 1 >= $4 THEN 'failed' ELSE 'queued' END,
               sent_at = CASE WHEN u.status = 'sent' THEN now() ELSE m.sent_at END
         FROM u JOIN outbox ob ON ob.message_key = u.message_key WHERE m.message_key = u.message_key`,
        [keys, results.map((r) => r.status), results.map((r) => r.response.slice(0, 500)), maxAttempts],
      );
    },

    /** How many messages of the scope still wait (queued, or claimed and not finished). */
    async countUnfinished(campaignId: string | null): Promise<number> {
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM outreach_messages
         WHERE ($1::uuid IS NULL AND campaign_id IS NULL AND kind = 'eligibility' OR campaign_id = $1::uuid) AND status IN ('queued', 'sending')`,
        [campaignId],
      );
      return rows[0]!.n;
    },
  };
}
