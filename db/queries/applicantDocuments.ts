import type { Pool, PoolClient } from 'pg';

export interface ApplicantDocumentRow {
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
  content: Buffer;
  sha256: string;
  scanVerdict: 'clean' | 'unscanned';
  scanEngine: string;
}

export function createApplicantDocumentQueries(db: Pool | PoolClient) {
  return {
    /** Stores an uploaded document; the same file again for the same case keeps one row (its type updated). */
    async upsertApplicantDocument(document: NewApplicantDocument): Promise<{ id: string; uploaded_at: Date }> {
      const { rows } = await db.query<{ id: string; uploaded_at: Date }>(
        `INSERT INTO applicant_documents (id, case_id, authority_id, type, content_type, size_bytes, sha256, content, scan_verdict, scan_engine)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (case_id, sha256) DO UPDATE SET type = EXCLUDED.type
         RETURNING id, uploaded_at`,
        [document.id, document.caseId, document.authorityId, document.type, document.contentType, document.content.length, document.sha256,
          document.content, document.scanVerdict, document.scanEngine],
      );
      return rows[0];
    },

    /** A case's documents (metadata only), newest first; scoped to the caller's authority in SQL. */
    async listApplicantDocumentsByCaseAndAuthority(caseId: string, authorityId: string): Promise<ApplicantDocumentRow[]> {
      const { rows } = await db.query<ApplicantDocumentRow>(
        `SELECT id, type, content_type, size_bytes, sha256, scan_verdict, uploaded_at FROM applicant_documents
         WHERE case_id = $1 AND authority_id = $2 ORDER BY uploaded_at DESC`,
        [caseId, authorityId],
      );
      return rows;
    },
  };
}
