import type { Pool, PoolClient } from 'pg';
import type { Consent, ConsentDataCategory, ConsentPurpose, ConsentRecipient } from '../../domain/handoff/consent';

type Queryable = Pool | PoolClient;

export interface StoredConsent extends Consent {
  personId: string;
  authorityId: string;
  formReference: string;
  recordedBy: string;
  recordedAt: string;
  withdrawnBy: string | null;
  withdrawalReason: string | null;
}

interface ConsentRow {
  id: string;
  person_id: string;
  authority_id: string;
  purpose: string;
  recipients: string[];
  data_categories: string[];
  valid_from: string;
  valid_until: string;
  form_reference: string;
  recorded_by: string;
  recorded_at: Date;
  withdrawn_at: Date | null;
  withdrawn_by: string | null;
  withdrawal_reason: string | null;
}

const columns = `id, person_id, authority_id, purpose, recipients, data_categories, to_char(valid_from, 'YYYY-MM-DD') AS valid_from,
  to_char(valid_until, 'YYYY-MM-DD') AS valid_until, form_reference, recorded_by, recorded_at, withdrawn_at, withdrawn_by, withdrawal_reason`;

function toConsent(row: ConsentRow): StoredConsent {
  return {
    id: row.id,
    personId: row.person_id,
    authorityId: row.authority_id,
    purpose: row.purpose as ConsentPurpose,
    recipients: row.recipients as ConsentRecipient[],
    dataCategories: row.data_categories as ConsentDataCategory[],
    validFrom: row.valid_from,
    validUntil: row.valid_until,
    formReference: row.form_reference,
    recordedBy: row.recorded_by,
    recordedAt: row.recorded_at.toISOString(),
    withdrawnAt: row.withdrawn_at ? row.withdrawn_at.toISOString() : null,
    withdrawnBy: row.withdrawn_by,
    withdrawalReason: row.withdrawal_reason,
  };
}

/** Consents of registered persons to hand data to case management; withdrawn, never deleted. */
export function createConsentQueries(db: Queryable) {
  return {
    async insertConsent(consent: {
      id: string;
      personId: string;
      authorityId: string;
      purpose: ConsentPurpose;
      recipients: readonly string[];
      dataCategories: readonly string[];
      validFrom: string;
      validUntil: string;
      formReference: string;
      recordedBy: string;
      recordedAt: Date;
    }): Promise<StoredConsent> {
      const { rows } = await db.query<ConsentRow>(
        `INSERT INTO person_consents (id, person_id, authority_id, purpose, recipients, data_categories, valid_from, valid_until, form_reference, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${columns}`,
        [consent.id, consent.personId, consent.authorityId, consent.purpose, consent.recipients, consent.dataCategories, consent.validFrom, consent.validUntil, consent.formReference, consent.recordedBy, consent.recordedAt],
      );
      return toConsent(rows[0]);
    },

    async listConsentsByPerson(personId: string, authorityId: string): Promise<StoredConsent[]> {
      const { rows } = await db.query<ConsentRow>(`SELECT ${columns} FROM person_consents WHERE person_id = $1 AND authority_id = $2 ORDER BY recorded_at, id`, [personId, authorityId]);
      return rows.map(toConsent);
    },

    async findConsentById(id: string, authorityId: string): Promise<StoredConsent | undefined> {
      const { rows } = await db.query<ConsentRow>(`SELECT ${columns} FROM person_consents WHERE id = $1 AND authority_id = $2`, [id, authorityId]);
      return rows[0] ? toConsent(rows[0]) : undefined;
    },

    /** Marks a consent withdrawn; a consent withdrawn before stays as it was. @returns the consent, or undefined when not found or already withdrawn. */
    async withdrawConsentById(input: { id: string; personId: string; authorityId: string; by: string; at: Date; reason: string | null }): Promise<StoredConsent | undefined> {
      const { rows } = await db.query<ConsentRow>(
        `UPDATE person_consents SET withdrawn_at = $4, withdrawn_by = $5, withdrawal_reason = $6
         WHERE id = $1 AND person_id = $2 AND authority_id = $3 AND withdrawn_at IS NULL RETURNING ${columns}`,
        [input.id, input.personId, input.authorityId, input.at, input.by, input.reason],
      );
      return rows[0] ? toConsent(rows[0]) : undefined;
    },
  };
}
