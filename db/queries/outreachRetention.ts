import type { Pool, PoolClient } from 'pg';

type Queryable = Pool | PoolClient;

/**
 * A finished message (no longer queued or being sent) of `$1`'s authority queued on a day that
 * began at or before the cutoff `$2`. The day it was queued (the workflow's day) is the reference:
 * a campaign sends on that day at its rate, the daily run at once.
 */
const expiredMessage = (m: string) => `${m}.authority_id = $1 AND ${m}.person_id IS NOT NULL
  AND ${m}.status NOT IN ('queued', 'sending')
  AND (${m}.created_on::timestamp AT TIME ZONE 'Europe/Berlin') <= $2::timestamptz`;

/** Persons of the authority `$1` erased from the register (Art. 17 DSGVO). */
const erasedPersons = `SELECT id FROM persons WHERE authority_id = $1 AND erased_at IS NOT NULL`;

/**
 * The retention of outreach records (see `processes/outreach.ts` for what is kept and why). Every
 * function works on one authority and returns counts only: the audit entry names no person.
 */
export function createOutreachRetentionQueries(db: Queryable) {
  return {
    /** Authorities that hold outreach messages, or erased persons (whose outreach records may remain). */
    async listAuthoritiesWithOutreachRecords(): Promise<string[]> {
      const { rows } = await db.query<{ authority_id: string }>(
        `SELECT DISTINCT authority_id FROM outreach_messages WHERE person_id IS NOT NULL
         UNION SELECT DISTINCT authority_id FROM persons WHERE erased_at IS NOT NULL`,
      );
      return rows.map((r) => r.authority_id);
    },

    /**
     * Deletes the e-mails (outbox rows: address, names, text, the opt-out link) of the authority's
     * outreach messages finished before `cutoff`. @returns how many
     */
    async deleteExpiredMessageContent(authorityId: string, cutoff: Date): Promise<number> {
      const { rowCount } = await db.query(
        `DELETE FROM outbox o USING outreach_messages m WHERE o.message_key = m.message_key AND ${expiredMessage('m')}`,
        [authorityId, cutoff],
      );
      return rowCount ?? 0;
    },

    /**
     * Anonymises the authority's campaign recipient rows finished before `cutoff`: the person and
     * the key naming them go; campaign, status, channel, languages, template version and dates
     * stay (the campaign's progress). @returns how many
     */
    async anonymiseExpiredCampaignRecipients(authorityId: string, cutoff: Date): Promise<number> {
      const { rowCount } = await db.query(
        `UPDATE outreach_messages m SET person_id = NULL, message_key = 'outreach/anonymised/' || gen_random_uuid(), anonymised_at = now()
         WHERE m.kind = 'campaign' AND ${expiredMessage('m')}`,
        [authorityId, cutoff],
      );
      return rowCount ?? 0;
    },

    /** Deletes the authority's campaign recipient rows finished before `cutoff`. @returns how many */
    async deleteExpiredCampaignRecipients(authorityId: string, cutoff: Date): Promise<number> {
      const { rowCount } = await db.query(`DELETE FROM outreach_messages m WHERE m.kind = 'campaign' AND ${expiredMessage('m')}`, [authorityId, cutoff]);
      return rowCount ?? 0;
    },

    /**
     * Removes every outreach record of the authority's persons erased from the register: the
     * e-mails, the eligibility messages, opt-out, consent and computed date are deleted, campaign
     * recipient rows anonymised (the campaign's figures stay whole). @returns how many persons had any
     */
    async removeRecordsOfErasedPersons(authorityId: string): Promise<number> {
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM (${erasedPersons}) p
         WHERE EXISTS (SELECT 1 FROM outreach_messages m WHERE m.person_id = p.id)
            OR EXISTS (SELECT 1 FROM outreach_opt_outs o WHERE o.person_id = p.id)
            OR EXISTS (SELECT 1 FROM outreach_consents c WHERE c.person_id = p.id)
            OR EXISTS (SELECT 1 FROM outreach_eligibility_dates d WHERE d.person_id = p.id)`,
        [authorityId],
      );
      const persons = rows[0]!.n;
      if (persons === 0) return 0;
      const params = [authorityId];
      await db.query(`DELETE FROM outbox o USING outreach_messages m WHERE o.message_key = m.message_key AND m.person_id IN (${erasedPersons})`, params);
      await db.query(
        `UPDATE outreach_messages SET person_id = NULL, message_key = 'outreach/anonymised/' || gen_random_uuid(), anonymised_at = now(),
           status = CASE WHEN status IN ('queued', 'sending') THEN 'cancelled' ELSE status END
         WHERE kind = 'campaign' AND person_id IN (${erasedPersons})`,
        params,
      );
      await db.query(`DELETE FROM outreach_messages WHERE person_id IN (${erasedPersons})`, params);
      await db.query(`DELETE FROM outreach_opt_outs WHERE person_id IN (${erasedPersons})`, params);
      await db.query(`DELETE FROM outreach_consents WHERE person_id IN (${erasedPersons})`, params);
      await db.query(`DELETE FROM outreach_eligibility_dates WHERE person_id IN (${erasedPersons})`, params);
      return persons;
    },
  };
}
