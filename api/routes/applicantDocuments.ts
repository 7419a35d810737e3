import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { createApplicantDocumentQueries } from '../../db/queries/applicantDocuments';
import { createApplicationQueries } from '../../db/queries/applications';
import { createAuditQueries } from '../../db/queries/audit';
import { createCaseProjectionQueries } from '../../db/queries/caseProjections';
import { withTransaction } from '../../db/transaction';
import { detectDocumentType, ScannerUnavailableError } from '../../security/documentScanner';
import type { ApiDependencies } from '../deps';
import { naturalisationDocumentTypes } from '../../domain/naturalisation/completeness';
import { AppError } from '../errors';
import { oneOf, text } from '../fields';
import { verifyApplicantAccess } from '../naturalisation/applicantAccess';
import { applicantReferenceSchema } from '../naturalisation/schemas';
import { defineRoute } from '../route';

/** What an applicant may upload: a document of the checklist, or another one. */
const documentTypes = [...naturalisationDocumentTypes, 'other'] as const;
const documentTypeSchema = oneOf(documentTypes, 'a language certificate of any level, e.g. B1, is "language_certificate"');
export const documentUploadLimits = { contentTypes: ['application/pdf', 'image/png', 'image/jpeg'], maxBytes: 10 * 1024 * 1024 } as const;

type AdmittedUpload = { id: string; authorityId: string };

/** Per case: at most DOCUMENT_QUOTA_COUNT documents and DOCUMENT_QUOTA_BYTES bytes together. */
export const defaultDocumentQuota = { count: 30, bytes: 100 * 1024 * 1024 };
const quotaOf = (deps: ApiDependencies) => deps.settings.documentQuota ?? defaultDocumentQuota;
const quotaExceeded = (quota: { count: number; bytes: number }) =>
  new AppError('document.quota_exceeded', 413, `an application holds at most ${quota.count} documents of together ${Math.floor(quota.bytes / 1024 / 1024)} MB`);

const documentSchema = z.object({
  id: z.uuid(),
  type: z.enum(documentTypes),
  contentType: z.string(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  scanVerdict: z.enum(['clean', 'unscanned']),
  uploadedAt: z.string(),
});

export const applicantDocumentRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/v1/status/naturalisation/documents',
    operation: 'naturalisation.document.upload',
    access: 'public',
    summary: 'For applicants, without login: upload a requested document (PDF, PNG or JPEG, at most 10 MB), with reference and access code in headers',
    tags: ['applicants'],
    upload: {
      ...documentUploadLimits,
      // Before a byte of the file is read: the applicant's reference and code, the stage, the quota.
      admit: async ({ headers, contentLength }, deps, { req }): Promise<AdmittedUpload> => {
        const application = await verifyApplicantAccess(deps, req, 'naturalisation.document.upload', {
          reference: headers['x-reference'],
          accessCode: headers['x-access-code'],
        });
        const projection = await createCaseProjectionQueries(deps.pool).findProjectionByCaseId(application.id);
        if (projection?.stage !== 'waiting_for_documents') {
          throw new AppError('document.not_requested', 409, 'documents are not requested at this stage of the application');
        }
        const used = await createApplicantDocumentQueries(deps.pool).sumDocumentsByCaseId(application.id);
        const quota = quotaOf(deps);
        if (used.count >= quota.count || used.bytes + (contentLength ?? 0) > quota.bytes) throw quotaExceeded(quota);
        return application;
      },
    },
    request: {
      query: z.strictObject({ type: documentTypeSchema }),
      headers: z.object({
        'x-reference': applicantReferenceSchema,
        'x-access-code': text({ min: 8, max: 40 }),
      }),
    },
    responses: {
      201: { description: 'Stored', schema: documentSchema },
      400: { description: 'Invalid request' },
      404: { description: 'No application with this reference and access code' },
      409: { description: 'Documents are not requested at this stage' },
      413: { description: 'Larger than 10 MB, or the case holds its maximum of documents' },
      415: { description: 'Not a PDF, PNG or JPEG, or the content does not match its declared type' },
      422: { description: 'The virus scan found something' },
      503: { description: 'The virus scanner is not available; nothing was stored' },
    },
    handler: async ({ query, body }, deps, { req, admitted }) => {
      const application = admitted as AdmittedUpload;
      const content = body as unknown as Buffer;
      const declared = (req.headers['content-type'] ?? '').split(';')[0].trim();
      if (detectDocumentType(content) !== declared) {
        throw new AppError('document.type_mismatch', 415, `the file's content is not ${declared}`);
      }
      const audit = createAuditQueries(deps.pool);
      const scanner = deps.documentScanner;
      let verdict: 'clean' | 'infected' | 'unscanned';
      try {
        verdict = await scanner.scan(content, declared);
      } catch (error) {
        if (!(error instanceof ScannerUnavailableError)) throw error;
        deps.logger.error({ err: error, engine: scanner.engine }, 'virus scanner unavailable');
        verdict = 'unscanned';
      }
      // Stored only with a scanner's pass, or marked unscanned where scanning is switched off.
      if (verdict === 'unscanned' && !scanner.optedOut) {
        throw new AppError('document.scanner_unavailable', 503, 'the virus scan is not available at the moment; please try again later');
      }
      if (verdict === 'infected') {
        await audit.insertAuditEntry({
          actor: `applicant@${req.ip}`, action: 'naturalisation.document.upload', authorityId: application.authorityId, caseId: application.id,
          outcome: 'refused', detail: { reason: 'virus scan', engine: scanner.engine },
        });
        throw new AppError('document.infected', 422, 'the virus scan refused this file');
      }
      const sha256 = createHash('sha256').update(content).digest('hex');
      const stored = await withTransaction(deps.pool, (client) =>
        createApplicantDocumentQueries(client).insertDocumentWithinQuota(
          { id: randomUUID(), caseId: application.id, authorityId: application.authorityId, type: query.type, contentType: declared, sha256, content, scanVerdict: verdict, scanEngine: scanner.engine },
          quotaOf(deps),
        ),
      );
      if (stored === 'quota') throw quotaExceeded(quotaOf(deps));
      return {
        status: 201,
        body: { id: stored.id, type: stored.type, contentType: stored.content_type, sizeBytes: stored.size_bytes, sha256, scanVerdict: stored.scan_verdict, uploadedAt: stored.uploaded_at.toISOString() },
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/naturalisation/applications/:id/documents',
    operation: 'naturalisation.document.list',
    access: ['ebh_clerk'],
    summary: 'The documents the applicant uploaded (metadata and scan verdict)',
    tags: ['naturalisation'],
    request: { params: z.strictObject({ id: z.uuid() }), query: z.strictObject({}) },
    responses: { 200: { description: 'Documents, newest first', schema: z.object({ documents: z.array(documentSchema) }) }, 404: { description: 'No such application in your authority' } },
    handler: async ({ params }, deps, { principal }) => {
      const rows = await createApplicantDocumentQueries(deps.pool).listDocumentsByCaseAndAuthority(params.id, principal.authorityId);
      const exists = await createApplicationQueries(deps.pool).findApplicationByIdAndAuthority(params.id, principal.authorityId);
      await createAuditQueries(deps.pool).insertAuditEntry({
        actor: principal.subject, action: 'naturalisation.document.list', authorityId: principal.authorityId, caseId: params.id,
        outcome: exists ? 'allowed' : 'refused',
      });
      if (!exists) throw new AppError('application.not_found', 404, `no naturalisation application ${params.id}`);
      return {
        status: 200,
        body: {
          documents: rows.map((r) => ({
            id: r.id, type: r.type, contentType: r.content_type, sizeBytes: r.size_bytes, sha256: r.sha256, scanVerdict: r.scan_verdict,
            uploadedAt: r.uploaded_at.toISOString(),
          })),
        },
      };
    },
  }),
];
