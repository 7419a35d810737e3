import { createAccessCodeQueries } from '../../db/queries/accessCodes';
import { createAuditQueries } from '../../db/queries/audit';
import { withTransaction } from '../../db/transaction';
import { generateAccessCode, hashAccessCode } from '../../security/accessCodes';
import type { Principal } from '../../security/roles';
import { sendAccessCodeUpdate } from '../../workflows/naturalisationDefinitions';
import type { ApiDependencies } from '../deps';
import { AppError } from '../errors';
import { accessCodeSettings } from './applicantAccess';
import { messageSecretLifetimeMs, performClerkAction } from './applicationService';
import type { ApplicationView } from './schemas';

async function findOwnHash(deps: ApiDependencies, principal: Principal, id: string, operation: string) {
  const current = await createAccessCodeQueries(deps.pool).findAccessCodeHash(id, principal.authorityId);
  if (!current) {
    await createAuditQueries(deps.pool).insertAuditEntry({
      actor: principal.subject, action: operation, authorityId: principal.authorityId, caseId: id, outcome: 'refused', detail: { reason: "no such case in the caller's authority" },
    });
    throw new AppError('application.not_found', 404, `no naturalisation application ${id}`);
  }
  return current;
}

/**
 * Issues a new access code and sends it to the applicant by letter: the new keyed hash replaces
 * the old one at once (the old code stops working), the clear code waits only for its letter's
 * delivery. If the case's workflow refuses the letter (a stale version, a closed case), the old
 * code is put back. The clerk never sees the code.
 */
export async function reissueAccessCode(deps: ApiDependencies, principal: Principal, id: string, body: { expectedVersion: number }): Promise<ApplicationView> {
  const operation = 'naturalisation.access_code.reissue';
  const { pepper } = accessCodeSettings(deps);
  const previous = await findOwnHash(deps, principal, id, operation);
  const code = generateAccessCode();
  await withTransaction(deps.pool, async (client) => {
    const codes = createAccessCodeQueries(client);
    await codes.setAccessCodeHash(id, hashAccessCode(code, pepper));
    await codes.putMessageSecret(id, code, new Date(deps.clock().getTime() + messageSecretLifetimeMs));
  });
  try {
    return await performClerkAction(deps, principal, id, operation, sendAccessCodeUpdate, { expectedVersion: body.expectedVersion, actor: principal.subject });
  } catch (error) {
    await createAccessCodeQueries(deps.pool).restoreAccessCodeHash(id, previous.access_code_hash);
    throw error;
  }
}

/** Revokes the case's access code: neither status lookup nor upload opens the case until a new code is issued. */
export async function revokeAccessCode(deps: ApiDependencies, principal: Principal, id: string): Promise<{ revoked: true }> {
  const operation = 'naturalisation.access_code.revoke';
  await findOwnHash(deps, principal, id, operation);
  await withTransaction(deps.pool, async (client) => {
    await createAccessCodeQueries(client).revokeAccessCode(id, principal.authorityId);
    await createAuditQueries(client).insertAuditEntry({ actor: principal.subject, action: operation, authorityId: principal.authorityId, caseId: id });
  });
  return { revoked: true };
}
