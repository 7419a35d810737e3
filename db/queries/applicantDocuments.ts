import type { Pool, PoolClient } from 'pg';

export interface StoredDocumentRow {
  id: string;
  type: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  scan_verdict: 'clean' | 'unscanned';
  uploaded_at: Date;
}

export interface NewApplicantDocument {
  id: string;
  caseId: string;
  authorityId: string;
  type: string;
  contentType: string;
  sha256: string;
  content: Buffer;
  scanVerdict: 'clean' | 'unscanned';
  scanEngine: string;
}

/** Documents applicants upload for their case (status lookup, no login). */
export function createApplicantDocumentQueries(db: Pool | PoolClient) {
  return {
    /** How many documents a case holds, and their bytes together. */
    async sumDocumentsByCaseId(caseId: string): Promise<{ count: number; bytes: number }> {
      const { rows } = await db.query<{ count: number; bytes: string }>(
        'SELECT count(*)::int AS count, coalesce(sum(size_bytes), 0)::bigint AS bytes FROM applicant_documents WHERE case_id = $1',
        [caseId],
      );
      return { count: rows[0].count, bytes: Number(rows[0].bytes) };
    },

    /**
     * Stores a document unless the case's quota would be exceeded, as one step: the case's row
     * is locked while its documents are counted, so two uploads at once cannot both slip under
     * the quota. The same file again (same SHA-256) is not stored twice and counts once.
     * @returns the stored row, or `quota` when it does not fit
     */
    async insertDocumentWithinQuota(document: NewApplicantDocument, quota: { count: number; bytes: number }): Promise<StoredDocumentRow | 'quota'> {
      await db.query('SELECT 1 FROM naturalisation_applications WHERE id = $1 FOR UPDATE', [document.caseId]);
      const { rows: existing } = await db.query<StoredDocumentRow>(
        `SELECT id, type, content_type, size_bytes, sha256, scan_verdict, uploaded_at FROM applicant_documents WHERE case_id = $1 AND sha256 = $2`,
        [document.caseId, document.sha256],
      );
      if (existing[0]) return existing[0];
      const used = await this.sumDocumentsByCaseId(document.caseId);
      if (used.count + 1 > quota.count || used.bytes + document.content.length > quota.bytes) return 'quota';
      const { rows } = await db.query<StoredDocumentRow>(
        `INSERT INTO applicant_documents (id, case_id, authority_id, type, content_type, size_bytes, sha256, content, scan_verdict, scan_engine)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         RETURNING id, type, content_type, size_bytes, sha256, scan_verdict, uploaded_at`,
        [document.id, document.caseId, document.authorityId, document.type, document.contentType, document.content.length, document.sha256,
          document.content, document.scanVerdict, document.scanEngine],
      );
      return rows[0];
    },

    async listDocumentsByCaseAndAuthority(caseId: string, authorityId: string): Promise<StoredDocumentRow[]> {
      const { rows } = await db.query<StoredDocumentRow>(
        `SELECT id, type, content_type, size_bytes, sha256, scan_verdict, uploaded_at FROM applicant_documents
         WHERE case_id = $1 AND authority_id = $2 ORDER BY uploaded_at DESC`,
        [caseId, authorityId],
      );
      return rows;
    },
  };
}
