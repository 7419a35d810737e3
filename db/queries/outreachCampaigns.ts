import type { Pool, PoolClient } from 'pg';
import type { CampaignContent, Cohort } from '../../domain/outreach/cohort';
import { hasAppliedSql, hasOutreachConsentSql } from './outreachPersons';

type Queryable = Pool | PoolClient;

export type CampaignStatus = 'scheduled' | 'preparing' | 'sending' | 'paused' | 'completed' | 'cancelled';

export interface CampaignRow {
  id: string;
  authorityId: string;
  name: string;
  cohort: Cohort;
  content: CampaignContent;
  ratePerSecond: number;
  startsAt: Date;
  status: CampaignStatus;
  recipients: number | null;
  createdBy: string;
  createdAt: Date;
}

/** The WHERE clause of a cohort over `persons p`, parameters from $2 on ($1 is the authority). */
function cohortWhere(cohort: Cohort): { sql: string; values: unknown[] } {
  // A person erased from the register (Art. 17 DSGVO) is never written to.
  const clauses = ['p.authority_id = $1', 'p.erased_at IS NULL'];
  const values: unknown[] = [];
  const add = (sql: (n: string) => string, value: unknown) => {
    values.push(value);
    clauses.push(sql(`$${values.length + 1}`));
  };
  if (cohort.nationalities?.length) add((n) => `p.nationalities && ${n}::text[]`, cohort.nationalities);
  if (cohort.languages?.length) add((n) => `p.preferred_language = ANY (${n}::text[])`, cohort.languages);
  if (cohort.bornFrom) add((n) => `p.date_of_birth >= ${n}::date`, cohort.bornFrom);
  if (cohort.bornUntil) add((n) => `p.date_of_birth <= ${n}::date`, cohort.bornUntil);
  if (cohort.residenceMetBy) {
    add((n) => `EXISTS (SELECT 1 FROM outreach_eligibility_dates d WHERE d.person_id = p.id AND d.residence_met_on <= ${n}::date)`, cohort.residenceMetBy);
  }
  if (cohort.hasEmail !== undefined) clauses.push(cohort.hasEmail ? 'p.email IS NOT NULL' : 'p.email IS NULL');
  return { sql: clauses.join(' AND '), values };
}

const contactable = (requireConsentParam: string) => `
  NOT EXISTS (SELECT 1 FROM outreach_opt_outs o WHERE o.person_id = p.id)
  AND (NOT ${requireConsentParam}::boolean OR ${hasOutreachConsentSql('p')})
  AND NOT ${hasAppliedSql('p')}`;

function toCampaign(row: Record<string, unknown>): CampaignRow {
  return {
    id: row.id as string,
    authorityId: row.authority_id as string,
    name: row.name as string,
    cohort: row.cohort as Cohort,
    content: row.content as CampaignContent,
    ratePerSecond: row.rate_per_second as number,
    startsAt: row.starts_at as Date,
    status: row.status as CampaignStatus,
    recipients: row.recipients as number | null,
    createdBy: row.created_by as string,
    createdAt: row.created_at as Date,
  };
}

export function createOutreachCampaignQueries(db: Queryable) {
  return {
    /** How many persons of the cohort may be contacted now, and how many of them have e-mail. */
    async countCohort(authorityId: string, cohort: Cohort, requireConsent: boolean): Promise<{ total: number; withEmail: number }> {
      const where = cohortWhere(cohort);
      const n = `$${where.values.length + 2}`;
      const { rows } = await db.query<{ total: number; with_email: number }>(
        `SELECT count(*)::int AS total, count(p.email)::int AS with_email FROM persons p WHERE ${where.sql} AND ${contactable(n)}`,
        [authorityId, ...where.values, requireConsent],
      );
      return { total: rows[0]!.total, withEmail: rows[0]!.with_email };
    },

    /**
     * A sample of the cohort with no more than a coordinator needs to judge it: language,
     * nationalities, year of birth and whether there is an e-mail address — no names, no address.
     */
    async sampleCohort(authorityId: string, cohort: Cohort, requireConsent: boolean, limit: number) {
      const where = cohortWhere(cohort);
      const n = `$${where.values.length + 2}`;
      const { rows } = await db.query<{ language: string; nationalities: string[]; birth_year: number; has_email: boolean }>(
        `SELECT p.preferred_language AS language, p.nationalities, extract(year FROM p.date_of_birth)::int AS birth_year,
                p.email IS NOT NULL AS has_email
         FROM persons p WHERE ${where.sql} AND ${contactable(n)}
         ORDER BY md5(p.id::text) LIMIT ${Math.max(1, Math.min(limit, 50))}`,
        [authorityId, ...where.values, requireConsent],
      );
      return rows.map((r) => ({ language: r.language, nationalities: r.nationalities, birthYear: r.birth_year, hasEmail: r.has_email }));
    },

    async insertCampaign(c: Omit<CampaignRow, 'status' | 'recipients' | 'createdAt'>): Promise<CampaignRow> {
      const { rows } = await db.query(
        `INSERT INTO outreach_campaigns (id, authority_id, name, cohort, content, rate_per_second, starts_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
        [c.id, c.authorityId, c.name, JSON.stringify(c.cohort), JSON.stringify(c.content), c.ratePerSecond, c.startsAt, c.createdBy],
      );
      return toCampaign(rows[0]);
    },

    async findCampaignById(id: string): Promise<CampaignRow | undefined> {
      const { rows } = await db.query('SELECT * FROM outreach_campaigns WHERE id = $1', [id]);
      return rows[0] && toCampaign(rows[0]);
    },

    async findCampaignByIdAndAuthority(id: string, authorityId: string): Promise<CampaignRow | undefined> {
      const { rows } = await db.query('SELECT * FROM outreach_campaigns WHERE id = $1 AND authority_id = $2', [id, authorityId]);
      return rows[0] && toCampaign(rows[0]);
    },

    /** Campaigns not yet completed or cancelled (start-up makes sure their workflows run). */
    async listUnfinishedCampaigns(): Promise<CampaignRow[]> {
      const { rows } = await db.query(`SELECT * FROM outreach_campaigns WHERE status NOT IN ('completed', 'cancelled') ORDER BY created_at`);
      return rows.map(toCampaign);
    },

    async updateCampaignStatusById(id: string, status: CampaignStatus): Promise<void> {
      await db.query('UPDATE outreach_campaigns SET status = $2 WHERE id = $1', [id, status]);
    },

    /**
     * Queues one message per contactable person of the cohort (set-based; a second call adds
     * nothing: the key is the campaign and the person) and records opted-out members as skipped,
     * so progress shows them. @returns the number of recipients queued in total
     */
    async insertCampaignMessages(campaign: CampaignRow, day: string, requireConsent: boolean): Promise<number> {
      const where = cohortWhere(campaign.cohort);
      const base = where.values.length + 2;
      await db.query(
        `INSERT INTO outreach_messages (message_key, person_id, authority_id, campaign_id, kind, channel, status, languages, created_on)
         SELECT 'outreach/campaign/' || $${base}::text || '/' || p.id, p.id, p.authority_id, $${base}::uuid, 'campaign',
                CASE WHEN p.email IS NULL THEN 'letter' ELSE 'email' END,
                CASE WHEN EXISTS (SELECT 1 FROM outreach_opt_outs o WHERE o.person_id = p.id) THEN 'skipped_opted_out' ELSE 'queued' END,
                '{}', $${base + 1}::date
         FROM persons p WHERE ${where.sql}
           AND (NOT $${base + 2}::boolean OR ${hasOutreachConsentSql('p')})
           AND NOT ${hasAppliedSql('p')}
         ON CONFLICT (message_key) DO NOTHING`,
        [campaign.authorityId, ...where.values, campaign.id, day, requireConsent],
      );
      const { rows } = await db.query<{ n: number }>(
        `UPDATE outreach_campaigns SET recipients = (SELECT count(*) FROM outreach_messages WHERE campaign_id = $1 AND status <> 'skipped_opted_out')
         WHERE id = $1 RETURNING recipients AS n`,
        [campaign.id],
      );
      return rows[0]!.n;
    },

    /** Withdraws the campaign's queued messages (a cancel). @returns how many */
    async cancelQueuedMessages(campaignId: string): Promise<number> {
      const { rowCount } = await db.query(`UPDATE outreach_messages SET status = 'cancelled' WHERE campaign_id = $1 AND status = 'queued'`, [campaignId]);
      return rowCount ?? 0;
    },

    /** Counts by message status: the campaign's progress (no personal data). */
    async countMessagesByStatus(campaignId: string): Promise<Record<string, number>> {
      const { rows } = await db.query<{ status: string; n: number }>(
        'SELECT status, count(*)::int AS n FROM outreach_messages WHERE campaign_id = $1 GROUP BY status',
        [campaignId],
      );
      return Object.fromEntries(rows.map((r) => [r.status, r.n]));
    },

    /**
     * Outreach-to-application conversion per month of the message and kind, for the caller's
     * authority: persons contacted, and how many of them have a naturalisation case since.
     */
    async countConversion(authorityId: string): Promise<{ month: string; kind: string; contacted: number; applied: number }[]> {
      const { rows } = await db.query<{ month: string; kind: string; contacted: number; applied: number }>(
        `SELECT to_char(m.created_on, 'YYYY-MM') AS month, m.kind, count(DISTINCT m.person_id)::int AS contacted,
                count(DISTINCT m.person_id) FILTER (WHERE ${hasAppliedSql('p')})::int AS applied
         FROM outreach_messages m JOIN persons p ON p.id = m.person_id
         WHERE m.authority_id = $1 AND m.status IN ('sent', 'printable')
         GROUP BY 1, 2 ORDER BY 1, 2`,
        [authorityId],
      );
      return rows;
    },
  };
}
