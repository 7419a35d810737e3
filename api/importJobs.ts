import { createAuditQueries } from '../db/queries/audit';
import type { Principal } from '../security/roles';
import type { ApiDependencies } from './deps';
import { AppError, assertThat } from './errors';

/**
 * One of the caller's authority's import jobs (backlog or person register), looked up by `find`
 * scoped to that authority; another authority's is not found, and every attempt is audited.
 */
export async function findOwnImportJob<Job>(
  deps: Pick<ApiDependencies, 'pool'>,
  principal: Principal,
  id: string,
  operation: string,
  find: (id: string, authorityId: string) => Promise<Job | undefined>,
): Promise<Job> {
  const job = await find(id, principal.authorityId);
  await createAuditQueries(deps.pool).insertAuditEntry({
    actor: principal.subject,
    action: operation,
    authorityId: principal.authorityId,
    outcome: job ? 'allowed' : 'refused',
    detail: job ? { importJobId: id } : { importJobId: id, reason: "no such import in the caller's authority" },
  });
  assertThat(job, new AppError('import.not_found', 404, `no import ${id}`));
  return job;
}
