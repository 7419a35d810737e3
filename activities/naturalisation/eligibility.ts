import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { createApplicationQueries } from '../../db/queries/applications';
import { createEligibilityCheckQueries, type EligibilityCheckRow } from '../../db/queries/eligibilityChecks';
import { loadPersonRecord } from '../../db/queries/personRecords';
import { withTransaction } from '../../db/transaction';
import { createAuditQueries } from '../../db/queries/audit';
import type { LocalDate } from '../../domain/calendar/localDate';
import { evaluateNaturalisationEligibility } from '../../domain/naturalisation/eligibility';
import { deriveNaturalisationFacts } from '../../domain/register/naturalisationFacts';

export interface CriterionChange {
  criterion: string;
  from: string | null;
  to: string;
}

/** Why a case cannot be evaluated on the register (a 422 in the API, a skipped evaluation in the workflow). */
export class RegisterEvaluationError extends Error {
  constructor(readonly code: 'naturalisation.no_person' | 'person.not_found' | 'eligibility.not_evaluable', message: string) {
    super(message);
  }
}

/**
 * Evaluates a naturalisation case under § 10 StAG on its person's stored register facts as of
 * `asOf` (the filing date is the application's), stores the check with the rule-set version and
 * source `register`, audits it, and says which criteria changed since the case's previous check.
 */
export async function evaluateCaseOnRegister(
  pool: Pool,
  request: { caseId: string; asOf: LocalDate; actor: string },
): Promise<{ check: EligibilityCheckRow; changed: CriterionChange[] }> {
  const application = await createApplicationQueries(pool).findApplicationById(request.caseId);
  if (!application?.person_id) {
    throw new RegisterEvaluationError('naturalisation.no_person', 'the application is not linked to a person of the register: give the facts, or register it with a personId');
  }
  const record = await loadPersonRecord(pool, application.person_id, application.authority_id);
  if (!record) throw new RegisterEvaluationError('person.not_found', `the person ${application.person_id} is not in the register`);
  const facts = { ...deriveNaturalisationFacts(record, request.asOf), applicationFiledOn: application.filed_on };
  let result;
  try {
    result = evaluateNaturalisationEligibility(facts, request.asOf);
  } catch (error) {
    if (error instanceof RangeError) throw new RegisterEvaluationError('eligibility.not_evaluable', `the rules cannot evaluate the register's facts on ${request.asOf}: ${error.message}`);
    throw error;
  }
  const checks = createEligibilityCheckQueries(pool);
  const previous = await checks.findLatestEligibilityCheck(request.caseId);
  const check = await withTransaction(pool, async (client) => {
    const inserted = await createEligibilityCheckQueries(client).insertEligibilityCheck({
      id: randomUUID(),
      case_id: request.caseId,
      authority_id: application.authority_id,
      rule_set_version: result.ruleSetVersion,
      as_of: result.asOf,
      facts,
      result,
      overall: result.overall,
      created_by: request.actor,
      source: 'register',
    });
    await createAuditQueries(client).insertAuditEntry({
      actor: request.actor,
      action: 'naturalisation.eligibility.check',
      authorityId: application.authority_id,
      caseId: request.caseId,
      detail: { checkId: inserted.id, source: 'register', ruleSetVersion: result.ruleSetVersion, asOf: result.asOf, overall: result.overall },
    });
    return inserted;
  });
  const before = new Map((previous?.result.criteria ?? []).map((c) => [c.id, c.status] as const));
  const changed = result.criteria
    .filter((c) => before.get(c.id) !== c.status)
    .map((c) => ({ criterion: c.id, from: before.get(c.id) ?? null, to: c.status }));
  return { check, changed };
}

/** The naturalisation process's own activities. */
export function createNaturalisationActivities(deps: { pool: Pool }) {
  return {
    /**
     * Re-evaluates a case on its person's register facts after they changed. Idempotent enough
     * for retries: a repeated run stores one more check with the same result and reports no
     * change. A case without a person is not evaluated.
     */
    async reevaluateNaturalisationEligibility(request: { caseId: string; asOf: LocalDate }): Promise<{ evaluated: boolean; overall?: string; checkId?: string; changed: CriterionChange[]; reason?: string }> {
      try {
        const { check, changed } = await evaluateCaseOnRegister(deps.pool, { ...request, actor: 'system:register-change' });
        return { evaluated: true, overall: check.overall, checkId: check.id, changed };
      } catch (error) {
        if (error instanceof RegisterEvaluationError) return { evaluated: false, changed: [], reason: error.code };
        throw error;
      }
    },
  };
}
