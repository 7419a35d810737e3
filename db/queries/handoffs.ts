import type { Pool, PoolClient } from 'pg';

type Queryable = Pool | PoolClient;

export interface HandoffRecord {
  id: string;
  requestKey: string;
  authorityId: string;
  team: string;
  personId: string;
  consentId: string;
  reference: string;
  origin: { caseType: string; caseId: string; workflowId: string } | null;
  needs: string[];
  urgency: 'normal' | 'urgent';
  relevantDeadline: string | null;
  requestedBy: string;
  requestedAt: string;
  givenNames: string | null;
  familyName: string | null;
  contact: { email: string | null; phone: string | null; postalAddress: unknown } | null;
  language: string | null;
}

interface HandoffRow {
  id: string;
  request_key: string;
  authority_id: string;
  team: string;
  person_id: string;
  consent_id: string;
  reference: string;
  origin_case_type: string | null;
  origin_case_id: string | null;
  origin_workflow_id: string | null;
  needs: string[];
  urgency: 'normal' | 'urgent';
  relevant_deadline: string | null;
  requested_by: string;
  requested_at: Date;
  given_names: string | null;
  family_name: string | null;
  contact: HandoffRecord['contact'];
  language: string | null;
}

const columns = `id, request_key, authority_id, team, person_id, consent_id, reference, origin_case_type, origin_case_id, origin_workflow_id,
  needs, urgency, to_char(relevant_deadline, 'YYYY-MM-DD') AS relevant_deadline, requested_by, requested_at, given_names, family_name, contact, language`;

const prefixedColumns = `h.id, h.request_key, h.authority_id, h.team, h.person_id, h.consent_id, h.reference, h.origin_case_type, h.origin_case_id,
  h.origin_workflow_id, h.needs, h.urgency, to_char(h.relevant_deadline, 'YYYY-MM-DD') AS relevant_deadline, h.requested_by, h.requested_at, h.given_names,
  h.family_name, h.contact, h.language`;

function toHandoff(row: HandoffRow): HandoffRecord {
  return {
    id: row.id,
    requestKey: row.request_key,
    authorityId: row.authority_id,
    team: row.team,
    personId: row.person_id,
    consentId: row.consent_id,
    reference: row.reference,
    origin: row.origin_case_type && row.origin_case_id && row.origin_workflow_id ? { caseType: row.origin_case_type, caseId: row.origin_case_id, workflowId: row.origin_workflow_id } : null,
    needs: row.needs,
    urgency: row.urgency,
    relevantDeadline: row.relevant_deadline,
    requestedBy: row.requested_by,
    requestedAt: row.requested_at.toISOString(),
    givenNames: row.given_names,
    familyName: row.family_name,
    contact: row.contact,
    language: row.language,
  };
}

export interface HandoffProgressEntry {
  entryKey: string;
  kind: 'phase' | 'outcome';
  phase: string | null;
  outcome: Record<string, unknown> | null;
  need: string | null;
  on: string;
  note: string | null;
  factId: string | null;
  recordedBy: string;
  recordedAt: string;
}

interface CountRow {
  key: string | null;
  key2?: string | null;
  persons: string;
}

/** Handoffs to case management, their progress and the system gaps case managers record. */
export function createHandoffQueries(db: Queryable) {
  return {
    /** Stores a handoff once per request key. @returns the stored handoff (the earlier one on a repeat) and whether this call stored it. */
    async insertHandoffOnce(h: Omit<HandoffRecord, 'requestedAt'> & { requestedAt: Date }): Promise<{ handoff: HandoffRecord; inserted: boolean }> {
      const inserted = await db.query<HandoffRow>(
        `INSERT INTO handoffs (id, request_key, authority_id, team, person_id, consent_id, reference, origin_case_type, origin_case_id, origin_workflow_id,
           needs, urgency, relevant_deadline, requested_by, requested_at, given_names, family_name, contact, language)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
         ON CONFLICT (request_key) DO NOTHING RETURNING ${columns}`,
        [h.id, h.requestKey, h.authorityId, h.team, h.personId, h.consentId, h.reference, h.origin?.caseType ?? null, h.origin?.caseId ?? null, h.origin?.workflowId ?? null,
          h.needs, h.urgency, h.relevantDeadline, h.requestedBy, h.requestedAt, h.givenNames, h.familyName, h.contact === null ? null : JSON.stringify(h.contact), h.language],
      );
      if (inserted.rows[0]) return { handoff: toHandoff(inserted.rows[0]), inserted: true };
      const { rows } = await db.query<HandoffRow>(`SELECT ${columns} FROM handoffs WHERE request_key = $1`, [h.requestKey]);
      return { handoff: toHandoff(rows[0]), inserted: false };
    },

    /** A handoff by id, unscoped: for the workflow's own activities only. */
    async findHandoffById(id: string): Promise<HandoffRecord | undefined> {
      const { rows } = await db.query<HandoffRow>(`SELECT ${columns} FROM handoffs WHERE id = $1`, [id]);
      return rows[0] ? toHandoff(rows[0]) : undefined;
    },

    /** A handoff of the caller's authority (the sending authority and its case-management team). */
    async findHandoffByIdAndAuthority(id: string, authorityId: string): Promise<HandoffRecord | undefined> {
      const { rows } = await db.query<HandoffRow>(`SELECT ${columns} FROM handoffs WHERE id = $1 AND authority_id = $2`, [id, authorityId]);
      return rows[0] ? toHandoff(rows[0]) : undefined;
    },

    /** Handoffs of the authority addressed to a team, newest first, with their projection's stage. */
    async listHandoffsByTeam(authorityId: string, team: string, limit: number): Promise<(HandoffRecord & { stage: string | null })[]> {
      const { rows } = await db.query<HandoffRow & { stage: string | null }>(
        `SELECT ${prefixedColumns}, p.stage
         FROM handoffs h LEFT JOIN case_projections p ON p.case_id = h.id
         WHERE h.authority_id = $1 AND h.team = $2 ORDER BY h.requested_at DESC, h.id LIMIT $3`,
        [authorityId, team, limit],
      );
      return rows.map((row) => ({ ...toHandoff(row), stage: row.stage }));
    },

    /** A person's handoffs that are not over (or not yet projected), to tell them a consent was withdrawn. */
    async listRunningHandoffsByPerson(personId: string, authorityId: string): Promise<string[]> {
      const { rows } = await db.query<{ id: string }>(
        `SELECT h.id FROM handoffs h LEFT JOIN case_projections p ON p.case_id = h.id
         WHERE h.person_id = $1 AND h.authority_id = $2 AND coalesce(p.stage, 'awaiting_acceptance') <> 'closed' ORDER BY h.requested_at`,
        [personId, authorityId],
      );
      return rows.map((row) => row.id);
    },

    /** An open handoff of the same originating case about one of these needs, under another request key. */
    async findOpenHandoffByOrigin(originCaseId: string, needs: readonly string[], exceptRequestKey: string): Promise<string | undefined> {
      const { rows } = await db.query<{ id: string }>(
        `SELECT h.id FROM handoffs h LEFT JOIN case_projections p ON p.case_id = h.id
         WHERE h.origin_case_id = $1 AND h.needs && $2::text[] AND h.request_key <> $3
           AND coalesce(p.stage, 'awaiting_acceptance') <> 'closed'
         ORDER BY h.requested_at LIMIT 1`,
        [originCaseId, needs, exceptRequestKey],
      );
      return rows[0]?.id;
    },

    /** Records one progress entry once (per key). @returns the stored entry. */
    async insertProgressOnce(handoffId: string, entry: Omit<HandoffProgressEntry, 'factId' | 'recordedAt'> & { recordedAt: Date }): Promise<HandoffProgressEntry> {
      await db.query(
        `INSERT INTO handoff_progress (handoff_id, entry_key, kind, phase, outcome, need, on_date, note, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (handoff_id, entry_key) DO NOTHING`,
        [handoffId, entry.entryKey, entry.kind, entry.phase, entry.outcome === null ? null : JSON.stringify(entry.outcome), entry.need, entry.on, entry.note, entry.recordedBy, entry.recordedAt],
      );
      return (await this.listProgressByHandoff(handoffId)).find((e) => e.entryKey === entry.entryKey)!;
    },

    async setProgressFactId(handoffId: string, entryKey: string, factId: string): Promise<void> {
      await db.query('UPDATE handoff_progress SET fact_id = $3 WHERE handoff_id = $1 AND entry_key = $2 AND fact_id IS NULL', [handoffId, entryKey, factId]);
    },

    async listProgressByHandoff(handoffId: string): Promise<HandoffProgressEntry[]> {
      const { rows } = await db.query<{ entry_key: string; kind: 'phase' | 'outcome'; phase: string | null; outcome: Record<string, unknown> | null; need: string | null; on_date: string; note: string | null; fact_id: string | null; recorded_by: string; recorded_at: Date }>(
        `SELECT entry_key, kind, phase, outcome, need, to_char(on_date, 'YYYY-MM-DD') AS on_date, note, fact_id, recorded_by, recorded_at
         FROM handoff_progress WHERE handoff_id = $1 ORDER BY recorded_at, entry_key`,
        [handoffId],
      );
      return rows.map((r) => ({ entryKey: r.entry_key, kind: r.kind, phase: r.phase, outcome: r.outcome, need: r.need, on: r.on_date, note: r.note, factId: r.fact_id, recordedBy: r.recorded_by, recordedAt: r.recorded_at.toISOString() }));
    },

    /** The fact a person's register got from a handoff's outcome (found by the revision's reason), if it was appended already. */
    async findFactIdByRevisionReason(personId: string, reason: string): Promise<string | undefined> {
      const { rows } = await db.query<{ entity_id: string }>(
        `SELECT entity_id FROM person_revisions WHERE person_id = $1 AND entity = 'fact' AND action = 'create' AND reason = $2 LIMIT 1`,
        [personId, reason],
      );
      return rows[0]?.entity_id;
    },

    async insertGap(gap: { id: string; authorityId: string; handoffId: string | null; personId: string | null; need: string; place: string; targetGroup: string; recordedBy: string; recordedAt: Date }) {
      await db.query(
        `INSERT INTO handoff_gaps (id, authority_id, handoff_id, person_id, need, place, target_group, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [gap.id, gap.authorityId, gap.handoffId, gap.personId, gap.need, gap.place, gap.targetGroup, gap.recordedBy, gap.recordedAt],
      );
    },

    /**
     * The steering figures of one authority for handoffs sent from `from` to `to` (Berlin dates,
     * inclusive): persons per cell, never names. Cells are suppressed by the caller.
     */
    async countHandoffFigures(authorityId: string, from: string, to: string) {
      const period = `h.authority_id = $1 AND (h.requested_at AT TIME ZONE 'Europe/Berlin')::date BETWEEN $2::date AND $3::date`;
      const one = async (sql: string) => {
        const { rows } = await db.query<CountRow>(sql, [authorityId, from, to]);
        return rows.map((r) => ({ key: r.key, key2: r.key2 ?? null, persons: Number(r.persons) }));
      };
      const [totals] = await one(
        `SELECT 'all' AS key, count(DISTINCT h.person_id) AS persons FROM handoffs h WHERE ${period}`,
      );
      const flagged = await one(
        `SELECT f.flag AS key, count(DISTINCT h.person_id) AS persons FROM handoffs h JOIN case_projections p ON p.case_id = h.id
         CROSS JOIN LATERAL jsonb_array_elements_text(p.flags) AS f(flag) WHERE ${period} GROUP BY f.flag`,
      );
      const outcomes = await one(
        `SELECT g.need AS key, count(DISTINCT h.person_id) AS persons FROM handoffs h JOIN handoff_progress g ON g.handoff_id = h.id
         WHERE ${period} AND g.kind = 'outcome' AND g.need IS NOT NULL GROUP BY g.need`,
      );
      const gaps = await one(
        `SELECT g.need AS key, g.place AS key2, count(DISTINCT coalesce(g.person_id::text, g.id::text)) AS persons FROM handoff_gaps g
         WHERE g.authority_id = $1 AND (g.recorded_at AT TIME ZONE 'Europe/Berlin')::date BETWEEN $2::date AND $3::date GROUP BY g.need, g.place`,
      );
      return { sent: totals?.persons ?? 0, flagged, outcomes, gaps };
    },
    /** Closed handoffs that still hold the minimal data (for retention). */
    async listClosedHandoffsWithPersonalData(): Promise<{ caseId: string; authorityId: string; closedAt: string }[]> {
      const { rows } = await db.query<{ id: string; authority_id: string; updated_at: Date }>(
        `SELECT h.id, h.authority_id, p.updated_at FROM handoffs h JOIN case_projections p ON p.case_id = h.id
         WHERE p.stage = 'closed' AND (h.given_names IS NOT NULL OR h.family_name IS NOT NULL OR h.contact IS NOT NULL)`,
      );
      return rows.map((r) => ({ caseId: r.id, authorityId: r.authority_id, closedAt: r.updated_at.toISOString() }));
    },

    /** Removes the minimal data and notes; keeps needs, dates and outcomes' kinds for the figures. */
    async anonymiseHandoff(id: string): Promise<void> {
      await db.query('UPDATE handoffs SET given_names = NULL, family_name = NULL, contact = NULL, language = NULL WHERE id = $1', [id]);
      await db.query('UPDATE handoff_progress SET note = NULL WHERE handoff_id = $1', [id]);
    },

    async deleteHandoff(id: string): Promise<void> {
      await db.query('DELETE FROM handoff_progress WHERE handoff_id = $1', [id]);
      await db.query('UPDATE handoff_gaps SET handoff_id = NULL WHERE handoff_id = $1', [id]);
      await db.query('DELETE FROM handoffs WHERE id = $1', [id]);
    },
  };
}
