import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { createApplicationQueries } from '../../db/queries/applications';
import { createAuditQueries } from '../../db/queries/audit';
import type { ApiDependencies } from '../deps';
import { AppError } from '../errors';
import { hashAccessCode } from './applicationService';

/**
 * Checks an applicant's reference and access code (no login). An unknown reference and a wrong
 * code get the same answer, the comparison takes the same time, and every attempt is audited.
 * @returns the application's id and authority
 */
export async function verifyApplicantAccess(
  deps: ApiDependencies,
  req: Request,
  action: string,
  credentials: { reference: string; accessCode: string },
): Promise<{ id: string; authorityId: string }> {
  const application = await createApplicationQueries(deps.pool).findAccessByReference(credentials.reference.toUpperCase());
  const expected = Buffer.from(application?.access_code_hash ?? '0'.repeat(64), 'hex');
  const given = Buffer.from(hashAccessCode(credentials.accessCode), 'hex');
  const matches = timingSafeEqual(expected, given) && Boolean(application?.access_code_hash);
  await createAuditQueries(deps.pool).insertAuditEntry({
    actor: `applicant@${req.ip}`,
    action,
    authorityId: application?.authority_id ?? null,
    caseId: matches ? application!.id : null,
    outcome: matches ? 'allowed' : 'refused',
    detail: matches ? {} : { reason: 'unknown reference or wrong access code' },
  });
  if (!matches || !application) throw new AppError('status.not_found', 404, 'no application with this reference and access code');
  return { id: application.id, authorityId: application.authority_id };
}
