import { randomUUID } from 'node:crypto';
import { withTransaction } from '../../db/transaction';
import { createApplicationQueries, type NaturalisationApplicationRow } from '../../db/queries/applications';
import { createAuditQueries } from '../../db/queries/audit';
import { createEligibilityCheckQueries, type EligibilityCheckRow } from '../../db/queries/eligibilityChecks';
import { evaluateCaseOnRegister, RegisterEvaluationError } from '../../activities/naturalisation/eligibility';
import { toBerlinLocalDate } from '../../domain/calendar/berlinTime';
import type { LocalDate } from '../../domain/calendar/localDate';
import {
  evaluateNaturalisationEligibility,
  naturalisationRuleSetHistory,
  type EligibilityResult,
} from '../../domain/naturalisation/eligibility';
import type { NaturalisationFacts } from '../../domain/naturalisation/facts';
import type { Principal } from '../../security/roles';
import type { ApiDependencies } from '../deps';
import { AppError, assertThat } from '../errors';
import {
  eligibilityCheckBodySchema,
  eligibilityCheckListQuerySchema,
  eligibilityCheckListSchema,
  eligibilityCheckSchema,
  type EligibilityCheckView,
  type StoredEligibilityCheckView,
} from '../naturalisation/eligibilitySchemas';
import { applicationIdParamsSchema } from '../naturalisation/schemas';
import { defineRoute } from '../route';

const path = '/api/v1/naturalisation/applications/:id/eligibility-checks';
const checkOperation = 'naturalisation.eligibility.check';
const listOperation = 'naturalisation.eligibility.list';

function audit(deps: ApiDependencies, principal: Principal, operation: string, caseId: string, outcome: 'allowed' | 'refused', detail: Record<string, unknown>) {
  return createAuditQueries(deps.pool).insertAuditEntry({ actor: principal.subject, action: operation, authorityId: principal.authorityId, caseId, outcome, detail });
}

/** The case, if it belongs to the caller's authority (scoped in SQL); else 404, audited as refused. */
async function findOwnCase(deps: ApiDependencies, principal: Principal, caseId: string, operation: string): Promise<NaturalisationApplicationRow> {
  const application = await createApplicationQueries(deps.pool).findApplicationByIdAndAuthority(caseId, principal.authorityId);
  if (!application) await audit(deps, principal, operation, caseId, 'refused', { reason: "no such case in the caller's authority" });
  assertThat(application, new AppError('application.not_found', 404, `no naturalisation application ${caseId}`));
  return application;
}

/**
 * The pure rules on the facts and the day. What the rules cannot evaluate is the caller's input,
 * never an internal error: a day before the rule set's start, a day before the birth, or any other
 * range the rules refuse (`RangeError`) is a 422 with the reason.
 */
function evaluateFacts(facts: NaturalisationFacts, asOf: LocalDate): EligibilityResult {
  const first = naturalisationRuleSetHistory[0];
  if (asOf < first.validFrom) {
    throw new AppError(
      'eligibility.rule_set_not_in_force',
      422,
      `no rule set for ${asOf}: the rules of ${first.basis ?? '§ 10 StAG'} are modelled as in force from ${first.validFrom} (rule set ${first.value.version}); choose an asOf on or after ${first.validFrom}`,
    );
  }
  if (asOf < facts.dateOfBirth) {
    throw new AppError('eligibility.as_of_before_birth', 422, `asOf ${asOf} lies before the date of birth (${facts.dateOfBirth})`);
  }
  try {
    return evaluateNaturalisationEligibility(facts, asOf);
  } catch (error) {
    if (error instanceof RangeError) {
      throw new AppError('eligibility.not_evaluable', 422, `the rules cannot evaluate these facts on ${asOf}: ${error.message}`);
    }
    throw error;
  }
}

function toCheckView(row: EligibilityCheckRow): EligibilityCheckView {
  return {
    id: row.id,
    caseId: row.case_id,
    ruleSetVersion: row.rule_set_version,
    asOf: row.as_of,
    overall: row.result.overall,
    earliestEligibleOn: row.result.earliestEligibleOn,
    criteria: row.result.criteria.map((criterion) => ({ ...criterion })),
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    source: row.source,
  };
}

/**
 * Evaluates the facts of a case of the caller's authority under § 10 StAG and stores the facts,
 * the explained result, the rule-set version, the day and the caller; audited either way.
 */
async function checkEligibility(
  deps: ApiDependencies,
  principal: Principal,
  caseId: string,
  body: { facts?: NaturalisationFacts; asOf?: LocalDate },
): Promise<EligibilityCheckView> {
  const application = await findOwnCase(deps, principal, caseId, checkOperation);
  if (application.anonymised_at !== null) {
    await audit(deps, principal, checkOperation, caseId, 'refused', { reason: 'case anonymised' });
    throw new AppError('naturalisation.case_anonymised', 409, 'the case has been anonymised (retention); it takes no new personal data');
  }
  const asOf = body.asOf ?? toBerlinLocalDate(deps.clock().getTime());
  if (!body.facts) {
    // The person's stored register facts as of the day (the evaluation audits itself).
    try {
      return toCheckView((await evaluateCaseOnRegister(deps.pool, { caseId, asOf, actor: principal.subject })).check);
    } catch (error) {
      if (!(error instanceof RegisterEvaluationError)) throw error;
      await audit(deps, principal, checkOperation, caseId, 'refused', { reason: error.code, asOf });
      throw new AppError(error.code, 422, error.message);
    }
  }
  let result: EligibilityResult;
  try {
    result = evaluateFacts(body.facts!, asOf);
  } catch (error) {
    if (error instanceof AppError) await audit(deps, principal, checkOperation, caseId, 'refused', { reason: error.code, asOf });
    throw error;
  }

  const row = await withTransaction(deps.pool, async (client) => {
    const inserted = await createEligibilityCheckQueries(client).insertEligibilityCheck({
      id: randomUUID(),
      case_id: caseId,
      authority_id: principal.authorityId,
      rule_set_version: result.ruleSetVersion,
      as_of: result.asOf,
      facts: body.facts!,
      result,
      overall: result.overall,
      created_by: principal.subject,
    });
    await createAuditQueries(client).insertAuditEntry({
      actor: principal.subject,
      action: checkOperation,
      authorityId: principal.authorityId,
      caseId,
      detail: { checkId: inserted.id, ruleSetVersion: result.ruleSetVersion, asOf: result.asOf, overall: result.overall },
    });
    return inserted;
  });
  return toCheckView(row);
}

/** The stored checks of a case of the caller's authority, newest first; a read of personal data, audited. */
async function listEligibilityChecks(deps: ApiDependencies, principal: Principal, caseId: string, limit: number): Promise<StoredEligibilityCheckView[]> {
  await findOwnCase(deps, principal, caseId, listOperation);
  const rows = await createEligibilityCheckQueries(deps.pool).listEligibilityChecksByCase(caseId, principal.authorityId, limit);
  await audit(deps, principal, listOperation, caseId, 'allowed', { count: rows.length });
  return rows.map((row) => ({ ...toCheckView(row), facts: row.facts as StoredEligibilityCheckView['facts'] }));
}

export const eligibilityRoutes = [
  defineRoute({
    method: 'post',
    path,
    operation: checkOperation,
    access: ['ebh_clerk'],
    summary:
      'Evaluate the facts of a case under § 10 StAG: every criterion with its status, reason (German and English) and paragraph; stored with the rule-set version',
    tags: ['naturalisation'],
    request: { params: applicationIdParamsSchema, body: eligibilityCheckBodySchema },
    responses: {
      201: { description: 'Evaluated and stored', schema: eligibilityCheckSchema },
      400: { description: 'Invalid facts; each bad field is named' },
      404: { description: 'No such application in your authority' },
      409: { description: 'The case has been anonymised' },
      422: { description: 'The rules cannot evaluate the facts on that day (e.g. a day before the rule set is in force)' },
    },
    handler: async ({ params, body }, deps, { principal }) => ({
      status: 201,
      body: await checkEligibility(deps, principal, params.id, body),
    }),
  }),
  defineRoute({
    method: 'get',
    path,
    operation: listOperation,
    access: ['ebh_clerk'],
    summary: 'The eligibility checks of a case, newest first, each with its facts, result and rule-set version',
    tags: ['naturalisation'],
    request: { params: applicationIdParamsSchema, query: eligibilityCheckListQuerySchema },
    responses: {
      200: { description: 'The stored checks', schema: eligibilityCheckListSchema },
      400: { description: 'Invalid id or query' },
      404: { description: 'No such application in your authority' },
    },
    handler: async ({ params, query }, deps, { principal }) => ({
      status: 200,
      body: { checks: await listEligibilityChecks(deps, principal, params.id, query.limit) },
    }),
  }),
];
