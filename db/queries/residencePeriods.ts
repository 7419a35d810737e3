import type { Pool, PoolClient } from 'pg';
import type { FactSource } from '../../domain/register/fieldRules';
import type { RegisterResidencePeriod, ResidencePeriodData } from '../../domain/register/residencePeriods';

type Queryable = Pool | PoolClient;

interface PeriodRow {
  id: string;
  person_id: string;
  status: RegisterResidencePeriod['status'];
  from_date: string;
  to_date: string | null;
  permit_basis: string | null;
  duldung_ground: string | null;
  protection_granted_later: boolean | null;
  document_number: string | null;
  document_expiry: string | null;
  source: FactSource;
  recorded_by: string;
  recorded_at: Date;
}

function toPeriod(row: PeriodRow): RegisterResidencePeriod {
  return {
    id: row.id,
    status: row.status,
    from: row.from_date,
    to: row.to_date,
    permitBasis: row.permit_basis,
    duldungGround: row.duldung_ground,
    protectionGrantedLater: row.protection_granted_later,
    documentNumber: row.document_number,
    documentExpiry: row.document_expiry,
    source: row.source,
    recordedBy: row.recorded_by,
    recordedAt: row.recorded_at.toISOString(),
  };
}

/** Rows grouped by their person, in the order the query gave them. */
export function groupByPerson<R extends { person_id: string }, T>(rows: R[], map: (row: R) => T): Map<string, T[]> {
  const grouped = new Map<string, T[]>();
  for (const row of rows) {
    const list = grouped.get(row.person_id);
    if (list) list.push(map(row));
    else grouped.set(row.person_id, [map(row)]);
  }
  return grouped;
}

/** The residence periods of registered persons. The caller has checked the person's authority. */
export function createResidencePeriodQueries(db: Queryable) {
  const values = (period: ResidencePeriodData) => [
    period.status,
    period.from,
    period.to,
    period.permitBasis,
    period.duldungGround,
    period.protectionGrantedLater,
    period.documentNumber,
    period.documentExpiry,
  ];
  return {
    /** The periods in force (not retracted), by first day. */
    async listCurrentPeriodsByPerson(personId: string): Promise<RegisterResidencePeriod[]> {
      const { rows } = await db.query<PeriodRow>(
        'SELECT * FROM person_residence_periods WHERE person_id = $1 AND retracted_at IS NULL ORDER BY from_date',
        [personId],
      );
      return rows.map(toPeriod);
    },

    /** The periods in force of several persons in one query, each person's by first day. */
    async listCurrentPeriodsByPersons(personIds: readonly string[]): Promise<Map<string, RegisterResidencePeriod[]>> {
      const { rows } = await db.query<PeriodRow>(
        'SELECT * FROM person_residence_periods WHERE person_id = ANY($1::uuid[]) AND retracted_at IS NULL ORDER BY person_id, from_date',
        [personIds],
      );
      return groupByPerson(rows, toPeriod);
    },

    async insertPeriod(period: ResidencePeriodData & { id: string; personId: string; source: FactSource; recordedBy: string; recordedAt: Date }): Promise<RegisterResidencePeriod> {
      const { rows } = await db.query<PeriodRow>(
        `INSERT INTO person_residence_periods (id, person_id, status, from_date, to_date, permit_basis, duldung_ground, protection_granted_later,
           document_number, document_expiry, source, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         RETURNING *`,
        [period.id, period.personId, ...values(period), period.source, period.recordedBy, period.recordedAt],
      );
      return toPeriod(rows[0]);
    },

    async updatePeriodById(
      id: string,
      personId: string,
      period: ResidencePeriodData & { source: FactSource; recordedBy: string; recordedAt: Date },
    ): Promise<RegisterResidencePeriod> {
      const { rows } = await db.query<PeriodRow>(
        `UPDATE person_residence_periods SET status = $3, from_date = $4, to_date = $5, permit_basis = $6, duldung_ground = $7,
           protection_granted_later = $8, document_number = $9, document_expiry = $10, source = $11, recorded_by = $12, recorded_at = $13
         WHERE id = $1 AND person_id = $2 AND retracted_at IS NULL
         RETURNING *`,
        [id, personId, ...values(period), period.source, period.recordedBy, period.recordedAt],
      );
      return toPeriod(rows[0]);
    },

    async retractPeriodById(id: string, personId: string, at: Date): Promise<void> {
      await db.query('UPDATE person_residence_periods SET retracted_at = $3 WHERE id = $1 AND person_id = $2 AND retracted_at IS NULL', [id, personId, at]);
    },
  };
}
