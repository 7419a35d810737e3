import type { Pool, PoolClient } from 'pg';

type Queryable = Pool | PoolClient;

export interface PrintLetterRow {
  id: string;
  case_id: string | null;
  case_type: string;
  kind: string;
  reference: string | null;
  subject: string;
  created_at: Date;
  given_names: string | null;
  family_name: string | null;
  postal_address: { street: string; postalCode: string; city: string; country?: string } | null;
  posted_at: Date | null;
  posted_by: string | null;
}

export interface PrintLetterWithText extends PrintLetterRow {
  body_text: string;
}

/**
 * A letter kept "to print" belongs to the authority of its case (the projection), or — for a
 * letter whose case is the person itself (outreach) — of its person; the person's name and
 * address come from the register. `$1` is the authority, `$2` the case types the caller works.
 */
const scopedLetters = `
  FROM outbox o
  LEFT JOIN case_projections cp ON cp.case_id = o.case_id
  LEFT JOIN persons p ON p.id = COALESCE(cp.person_id, o.case_id)
  WHERE o.status = 'to_print'
    AND COALESCE(cp.authority_id, p.authority_id) = $1
    AND split_part(o.kind, '.', 1) = ANY($2::text[])`;

const columns = `o.id::text AS id, o.case_id, split_part(o.kind, '.', 1) AS case_type, o.kind, cp.reference, o.subject, o.created_at,
  p.given_names, p.family_name, p.postal_address, o.posted_at, o.posted_by`;

/** Letters to persons without an e-mail address, to be printed and posted (outbox status `to_print`). */
export function createPrintQueueQueries(db: Queryable) {
  /** One letter with its text, posted or not, if it belongs to the authority and case types. */
  const findLetterByIdAndAuthority = async (id: string, authorityId: string, caseTypes: readonly string[]): Promise<PrintLetterWithText | undefined> => {
    const { rows } = await db.query<PrintLetterWithText>(`SELECT ${columns}, o.body_text ${scopedLetters} AND o.id = $3::bigint`, [authorityId, caseTypes, id]);
    return rows[0];
  };
  return {
    findLetterByIdAndAuthority,

    /** The letters of the authority not yet posted, oldest first, after the id `afterId`. */
    async listUnpostedLettersByAuthority(filter: { authorityId: string; caseTypes: readonly string[]; afterId?: string; limit: number }): Promise<PrintLetterRow[]> {
      const { rows } = await db.query<PrintLetterRow>(
        `SELECT ${columns} ${scopedLetters} AND o.posted_at IS NULL AND ($3::bigint IS NULL OR o.id > $3::bigint)
         ORDER BY o.id LIMIT $4`,
        [filter.authorityId, filter.caseTypes, filter.afterId ?? null, filter.limit],
      );
      return rows;
    },

    /** Records that the letter was posted; nothing when it was posted before or is not in scope. */
    async markLetterPostedByIdAndAuthority(id: string, authorityId: string, caseTypes: readonly string[], actor: string): Promise<PrintLetterRow | undefined> {
      const { rows } = await db.query<{ id: string }>(
        `UPDATE outbox SET posted_at = now(), posted_by = $4
         WHERE id = $3::bigint AND posted_at IS NULL
           AND id IN (SELECT o.id ${scopedLetters} AND o.id = $3::bigint)
         RETURNING id::text AS id`,
        [authorityId, caseTypes, id, actor],
      );
      if (!rows[0]) return undefined;
      return findLetterByIdAndAuthority(id, authorityId, caseTypes);
    },
  };
}
