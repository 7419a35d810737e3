import { createAuditQueries } from '../../db/queries/audit';
import { createPersonDataRightsQueries } from '../../db/queries/personDataRights';
import { createRetentionQueries } from '../../db/queries/retention';
import { withTransaction } from '../../db/transaction';
import { toBerlinLocalDate } from '../../domain/calendar/berlinTime';
import { addDays } from '../../domain/calendar/localDate';
import { determineErasureObstacles, type ErasureCase } from '../../domain/register/erasure';
import type { PersonCorrection } from '../../domain/register/person';
import { caseTypes, findProcess, isFinalStage } from '../../processes';
import type { Principal } from '../../security/roles';
import type { ApiDependencies } from '../deps';
import { AppError } from '../errors';
import { correctPerson } from './service';

/**
 * The data subject's rights for a person of the register (Art. 15, 16, 17 DSGVO), for admins of
 * the person's authority: every step audited, refusals too.
 */

async function findPersonOrRefuse(deps: ApiDependencies, principal: Principal, id: string, action: string) {
  const queries = createPersonDataRightsQueries(deps.pool);
  const person = await queries.findPersonRow(id, principal.authorityId);
  if (!person) {
    await createAuditQueries(deps.pool).insertAuditEntry({
      actor: principal.subject, action, authorityId: principal.authorityId, outcome: 'refused', detail: { personId: id, reason: "no such person in the caller's authority" },
    });
    throw new AppError('person.not_found', 404, `no person ${id}`);
  }
  return person;
}

/** Art. 15 DSGVO: everything stored about the person and the cases that reference them, as one JSON document. */
export async function exportPersonData(deps: ApiDependencies, principal: Principal, id: string) {
  const action = 'admin.person.export';
  const person = await findPersonOrRefuse(deps, principal, id, action);
  const queries = createPersonDataRightsQueries(deps.pool);
  const cases = await queries.listCasesOfPerson(id, principal.authorityId);
  const caseIds = cases.map((c) => c.case_id);
  const data = await queries.collectPersonData(id, principal.authorityId, caseIds);
  await createAuditQueries(deps.pool).insertAuditEntry({ actor: principal.subject, action, authorityId: principal.authorityId, detail: { personId: id, cases: caseIds.length } });
  return {
    format: 'kim-person-export/1',
    legalBasis: 'Art. 15 DSGVO',
    exportedAt: deps.clock().toISOString(),
    exportedBy: principal.subject,
    authorityId: principal.authorityId,
    person,
    residencePeriods: data.residencePeriods,
    facts: data.facts,
    contactConsents: data.contactConsents,
    history: data.history,
    cases: cases.map((c) => ({ caseId: c.case_id, caseType: c.case_type, stage: c.stage })),
    naturalisationApplications: data.naturalisationApplications,
    caseProjections: data.caseProjections,
    eligibilityChecks: data.eligibilityChecks,
    messages: data.messages,
    documents: data.documents,
    outreach: data.outreach,
    handoffConsents: data.handoffConsents,
    handoffs: data.handoffs,
    handoffProgress: data.handoffProgress,
    residenceChecks: data.residenceChecks,
    audit: data.audit,
  };
}

/** Art. 16 DSGVO: a correction through the register's own append-only path, the reason naming the request. */
export async function rectifyPerson(
  deps: ApiDependencies,
  principal: Principal,
  id: string,
  body: { expectedVersion: number; changes: PersonCorrection; reason: string },
) {
  await findPersonOrRefuse(deps, principal, id, 'admin.person.rectify');
  const record = await correctPerson(deps, principal, id, { ...body, source: 'clerk', reason: `Art. 16 DSGVO: ${body.reason}` });
  await createAuditQueries(deps.pool).insertAuditEntry({ actor: principal.subject, action: 'admin.person.rectify', authorityId: principal.authorityId, detail: { personId: id, version: record.person.version } });
  return record;
}

/**
 * Art. 17 DSGVO: erases the person where the law allows — refused (409, with every reason) while a
 * case is open, where a naturalisation was approved, or while a closed case's retention period runs;
 * otherwise the register entry and the person's closed cases are anonymised, in one transaction.
 */
export async function erasePerson(deps: ApiDependencies, principal: Principal, id: string, body: { reason: string }) {
  const action = 'admin.person.erase';
  const person = await findPersonOrRefuse(deps, principal, id, action);
  if (person.erased_at) throw new AppError('person.erased', 409, 'the person has already been erased');
  const today = toBerlinLocalDate(deps.clock().getTime());
  const cases = await createPersonDataRightsQueries(deps.pool).listCasesOfPerson(id, principal.authorityId);
  const settings = new Map((await createRetentionQueries(deps.pool).listRetentionSettingsByAuthority(principal.authorityId)).map((s) => [s.case_type, s]));
  const erasureCases: ErasureCase[] = cases.map((c) => {
    const finished = isFinalStage(c.case_type, c.stage);
    const retainDays = settings.get(c.case_type)?.retain_days
      ?? ((caseTypes as readonly string[]).includes(c.case_type) ? findProcess(c.case_type as (typeof caseTypes)[number]).retention.defaultPolicy.retainDays : 0);
    return {
      caseId: c.case_id,
      caseType: c.case_type,
      finished,
      naturalisationApproved: c.case_type === 'naturalisation' && c.decision?.outcome === 'approved',
      retainedUntil: finished && c.updated_at ? addDays(toBerlinLocalDate(c.updated_at.getTime()), retainDays) : null,
    };
  });
  const obstacles = determineErasureObstacles(erasureCases, today);
  const audit = createAuditQueries(deps.pool);
  if (obstacles.length > 0) {
    await audit.insertAuditEntry({
      actor: principal.subject, action, authorityId: principal.authorityId, outcome: 'refused',
      detail: { personId: id, reasons: obstacles.map((o) => ({ code: o.code, caseId: o.caseId })) },
    });
    throw new AppError(
      'person.erasure_refused',
      409,
      'the data must be kept: ' + obstacles.map((o) => o.reason.en).join(' '),
      obstacles.map((o) => ({ path: `cases.${o.caseId}`, code: o.code, message: `${o.reason.de} / ${o.reason.en} (${o.basis})` })),
    );
  }
  await withTransaction(deps.pool, async (client) => {
    const retention = createRetentionQueries(client);
    for (const c of erasureCases) if (c.caseType === 'naturalisation') await retention.anonymiseNaturalisationCase(c.caseId);
    await createPersonDataRightsQueries(client).erasePerson(id, principal.authorityId);
    await createAuditQueries(client).insertAuditEntry({
      actor: principal.subject, action, authorityId: principal.authorityId, detail: { personId: id, reason: body.reason, cases: erasureCases.map((c) => c.caseId) },
    });
  });
  return { personId: id, erased: true as const, casesAnonymised: erasureCases.map((c) => c.caseId) };
}
