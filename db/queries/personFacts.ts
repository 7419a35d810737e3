import type { Pool, PoolClient } from 'pg';
import type { FactSource } from '../../domain/register/fieldRules';
import type { FactInput, RegisterFact } from '../../domain/register/facts';
import { groupByPerson } from './residencePeriods';

type Queryable = Pool | PoolClient;

interface FactRow {
  id: string;
  person_id: string;
  kind: FactInput['kind'];
  data: FactInput['data'];
  source: FactSource;
  recorded_by: string;
  recorded_at: Date;
}

function toFact(row: FactRow): RegisterFact {
  return { id: row.id, kind: row.kind, data: row.data, source: row.source, recordedBy: row.recorded_by, recordedAt: row.recorded_at.toISOString() } as RegisterFact;
}

/** The evidence facts of registered persons. The caller has checked the person's authority. */
export function createPersonFactQueries(db: Queryable) {
  return {
    /** The facts in force (not retracted), by kind and time recorded. */
    async listCurrentFactsByPerson(personId: string): Promise<RegisterFact[]> {
      const { rows } = await db.query<FactRow>(
        'SELECT * FROM person_facts WHERE person_id = $1 AND retracted_at IS NULL ORDER BY kind, recorded_at, id',
        [personId],
      );
      return rows.map(toFact);
    },

    /** The facts in force of several persons in one query, each person's by kind and time recorded. */
    async listCurrentFactsByPersons(personIds: readonly string[]): Promise<Map<string, RegisterFact[]>> {
      const { rows } = await db.query<FactRow>(
        'SELECT * FROM person_facts WHERE person_id = ANY($1::uuid[]) AND retracted_at IS NULL ORDER BY person_id, kind, recorded_at, id',
        [personIds],
      );
      return groupByPerson(rows, toFact);
    },

    async insertFact(fact: FactInput & { id: string; personId: string; source: FactSource; recordedBy: string; recordedAt: Date }): Promise<RegisterFact> {
      const { rows } = await db.query<FactRow>(
        `INSERT INTO person_facts (id, person_id, kind, data, source, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         RETURNING *`,
        [fact.id, fact.personId, fact.kind, JSON.stringify(fact.data), fact.source, fact.recordedBy, fact.recordedAt],
      );
      return toFact(rows[0]);
    },

    async updateFactById(id: string, personId: string, fact: FactInput & { source: FactSource; recordedBy: string; recordedAt: Date }): Promise<RegisterFact> {
      const { rows } = await db.query<FactRow>(
        `UPDATE person_facts SET kind = $3, data = $4, source = $5, recorded_by = $6, recorded_at = $7
         WHERE id = $1 AND person_id = $2 AND retracted_at IS NULL
         RETURNING *`,
        [id, personId, fact.kind, JSON.stringify(fact.data), fact.source, fact.recordedBy, fact.recordedAt],
      );
      return toFact(rows[0]);
    },

    async retractFactById(id: string, personId: string, at: Date): Promise<void> {
      await db.query('UPDATE person_facts SET retracted_at = $3 WHERE id = $1 AND person_id = $2 AND retracted_at IS NULL', [id, personId, at]);
    },
  };
}
