import type { Pool, PoolClient } from 'pg';
import type { OutreachPeriod } from '../../domain/outreach/eligibilityDate';

type Queryable = Pool | PoolClient;

/** A person's register version and the periods the outreach date is computed from. */
export interface PersonForOutreachDate {
  personId: string;
  authorityId: string;
  version: number;
  periods: OutreachPeriod[];
}

/**
 * Whether a person has applied for naturalisation: a naturalisation case linked to the person,
 * or — for applications filed before applications were linked to persons — an application of the
 * same authority with the same names and date of birth (an approximation; see README "Outreach").
 */
export const hasAppliedSql = (person: string) => `(
  EXISTS (SELECT 1 FROM case_projections cp WHERE cp.case_type = 'naturalisation' AND cp.person_id = ${person}.id)
  OR EXISTS (SELECT 1 FROM naturalisation_applications na
             WHERE na.authority_id = ${person}.authority_id AND na.date_of_birth = ${person}.date_of_birth
               AND lower(na.family_name) = lower(${person}.family_name) AND lower(na.given_names) = lower(${person}.given_names)))`;

/**
 * Whether the person consented to information messages about naturalisation (Art. 6 Abs. 1 Satz 1
 * lit. a DSGVO). The register's consent to be contacted for the purpose `naturalisation_information`
 * decides where it has an entry — its latest entry, as the register accepts none from a future day,
 * so a withdrawal there (Art. 7 Abs. 3 DSGVO) ends outreach even where a clerk recorded an outreach
 * consent earlier; without a register entry, the outreach consent recorded here counts.
 */
export const hasOutreachConsentSql = (person: string) => `COALESCE(
  (SELECT r.status = 'given' FROM person_contact_consents r
   WHERE r.person_id = ${person}.id AND r.purpose = 'naturalisation_information'
   ORDER BY r.effective_on DESC, r.recorded_at DESC LIMIT 1),
  EXISTS (SELECT 1 FROM outreach_consents c WHERE c.person_id = ${person}.id))`;

/** The register side of outreach: dates, consent, opt-outs. */
export function createOutreachPersonQueries(db: Queryable) {
  return {
    /**
     * The next `limit` persons in id order after `afterId` (the cursor), and of those the ones
     * whose outreach date is missing or was computed at an older register version, with their
     * current periods. A person erased from the register (Art. 17 DSGVO) gets no date. The chunk is taken by the primary key first and only then joined to the
     * dates: an anti-join over the whole register would hash both tables for every chunk.
     */
    async listPersonsNeedingDate(afterId: string | null, limit: number): Promise<{ lastId: string | null; stale: PersonForOutreachDate[] }> {
      const { rows } = await db.query<{ id: string; authority_id: string; version: number; stale: boolean }>(
        `WITH chunk AS (SELECT id, authority_id, version, erased_at FROM persons WHERE ($1::uuid IS NULL OR id > $1) ORDER BY id LIMIT $2)
         SELECT c.id, c.authority_id, c.version, (c.erased_at IS NULL AND (d.person_id IS NULL OR d.person_version <> c.version)) AS stale
         FROM chunk c LEFT JOIN outreach_eligibility_dates d ON d.person_id = c.id ORDER BY c.id`,
        [afterId, limit],
      );
      const lastId = rows.length > 0 ? rows[rows.length - 1]!.id : null;
      const stale = rows.filter((r) => r.stale);
      if (stale.length === 0) return { lastId, stale: [] };
      const periods = await db.query<{ person_id: string; status: OutreachPeriod['status']; from_date: string; to_date: string | null; permit_basis: string | null; protection_granted_later: boolean | null }>(
        `SELECT person_id, status, to_char(from_date, 'YYYY-MM-DD') AS from_date, to_char(to_date, 'YYYY-MM-DD') AS to_date,
                permit_basis, protection_granted_later
         FROM person_residence_periods WHERE person_id = ANY ($1::uuid[]) AND retracted_at IS NULL`,
        [stale.map((r) => r.id)],
      );
      const byPerson = new Map<string, OutreachPeriod[]>();
      for (const p of periods.rows) {
        const list = byPerson.get(p.person_id) ?? [];
        list.push({ status: p.status, from: p.from_date, to: p.to_date, permitBasis: p.permit_basis, protectionGrantedLater: p.protection_granted_later });
        byPerson.set(p.person_id, list);
      }
      return { lastId, stale: stale.map((r) => ({ personId: r.id, authorityId: r.authority_id, version: r.version, periods: byPerson.get(r.id) ?? [] })) };
    },

    /** Stores computed dates (one statement for the whole chunk). */
    async upsertEligibilityDates(rows: { personId: string; authorityId: string; residenceMetOn: string | null; version: number }[], computedOn: string): Promise<void> {
      if (rows.length === 0) return;
      await db.query(
        `INSERT INTO outreach_eligibility_dates (person_id, authority_id, residence_met_on, person_version, computed_on)
         SELECT * , $5::date FROM unnest($1::uuid[], $2::text[], $3::date[], $4::int[])
         ON CONFLICT (person_id) DO UPDATE SET residence_met_on = EXCLUDED.residence_met_on,
           person_version = EXCLUDED.person_version, computed_on = EXCLUDED.computed_on`,
        [rows.map((r) => r.personId), rows.map((r) => r.authorityId), rows.map((r) => r.residenceMetOn), rows.map((r) => r.version), computedOn],
      );
    },

    async findEligibilityDateByPerson(personId: string, authorityId: string): Promise<{ residenceMetOn: string | null; personVersion: number; computedOn: string } | undefined> {
      const { rows } = await db.query<{ residence_met_on: string | null; person_version: number; computed_on: string }>(
        `SELECT to_char(residence_met_on, 'YYYY-MM-DD') AS residence_met_on, person_version, to_char(computed_on, 'YYYY-MM-DD') AS computed_on
         FROM outreach_eligibility_dates WHERE person_id = $1 AND authority_id = $2`,
        [personId, authorityId],
      );
      const row = rows[0];
      return row && { residenceMetOn: row.residence_met_on, personVersion: row.person_version, computedOn: row.computed_on };
    },

    /**
     * Queues the eligibility message of every person whose date lies in [from, day], who may be
     * contacted, has not opted out and has not applied; one per person ever (the key).
     * @returns how many were queued
     */
    async insertDueEligibilityMessages(day: string, from: string, requireConsent: boolean): Promise<number> {
      const { rowCount } = await db.query(
        `INSERT INTO outreach_messages (message_key, person_id, authority_id, kind, channel, languages, created_on)
         SELECT 'outreach/eligibility/' || p.id, p.id, p.authority_id, 'eligibility',
                CASE WHEN p.email IS NULL THEN 'letter' ELSE 'email' END, '{}', $1::date
         FROM outreach_eligibility_dates d JOIN persons p ON p.id = d.person_id
         WHERE d.residence_met_on BETWEEN $2::date AND $1::date AND p.erased_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM outreach_opt_outs o WHERE o.person_id = p.id)
           AND (NOT $3::boolean OR ${hasOutreachConsentSql('p')})
           AND NOT ${hasAppliedSql('p')}
         ON CONFLICT (message_key) DO NOTHING`,
        [day, from, requireConsent],
      );
      return rowCount ?? 0;
    },

    async insertConsent(personId: string, givenOn: string, recordedBy: string): Promise<void> {
      await db.query(
        `INSERT INTO outreach_consents (person_id, given_on, recorded_by) VALUES ($1, $2, $3)
         ON CONFLICT (person_id) DO UPDATE SET given_on = EXCLUDED.given_on, recorded_by = EXCLUDED.recorded_by, recorded_at = now()`,
        [personId, givenOn, recordedBy],
      );
    },

    /** Records an opt-out (idempotent) and drops the person's queued messages at once. */
    async insertOptOut(personId: string, via: 'link' | 'clerk'): Promise<{ cancelled: number }> {
      await db.query('INSERT INTO outreach_opt_outs (person_id, via) VALUES ($1, $2) ON CONFLICT (person_id) DO NOTHING', [personId, via]);
      const { rowCount } = await db.query(
        `UPDATE outreach_messages SET status = 'skipped_opted_out' WHERE person_id = $1 AND status = 'queued'`,
        [personId],
      );
      return { cancelled: rowCount ?? 0 };
    },

    async isOptedOut(personId: string): Promise<boolean> {
      const { rowCount } = await db.query('SELECT 1 FROM outreach_opt_outs WHERE person_id = $1', [personId]);
      return (rowCount ?? 0) > 0;
    },

    /** The preferred language of a person still in the register (not erased); undefined otherwise. */
    async findLanguageOfRegisteredPerson(personId: string): Promise<string | undefined> {
      const { rows } = await db.query<{ preferred_language: string }>('SELECT preferred_language FROM persons WHERE id = $1 AND erased_at IS NULL', [personId]);
      return rows[0]?.preferred_language;
    },
  };
}
