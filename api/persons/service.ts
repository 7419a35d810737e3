import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import { createAuditQueries } from '../../db/queries/audit';
import { createPersonFactQueries } from '../../db/queries/personFacts';
import { createPersonQueries, type NewPersonRevision } from '../../db/queries/persons';
import { createResidencePeriodQueries } from '../../db/queries/residencePeriods';
import { withTransaction } from '../../db/transaction';
import type { FactSource } from '../../domain/register/fieldRules';
import type { FactInput, RegisterFact } from '../../domain/register/facts';
import { applyPersonCorrection, listChangedPersonFields, type Person, type PersonCorrection, type PersonData, type PersonRecord } from '../../domain/register/person';
import { findOverlappingPeriod, type RegisterResidencePeriod, type ResidencePeriodData } from '../../domain/register/residencePeriods';
import type { Principal } from '../../security/roles';
import type { ApiDependencies } from '../deps';
import { AppError, assertThat } from '../errors';
import { assertDatesOfBirthNotAfter } from '../fields';
import { signalOpenCasesOfPersons } from './caseSignals';

/**
 * The person register's service: every read and write scoped to the caller's authority in SQL,
 * audited (refusals too), every write an append to the person's history under the version the
 * caller saw, and the person's open cases told after a change.
 */

const notFound = (id: string) => new AppError('person.not_found', 404, `no person ${id}`);

function audit(db: Pick<ApiDependencies, 'pool'>['pool'] | PoolClient, principal: Principal, action: string, personId: string | null, outcome: 'allowed' | 'refused', detail: Record<string, unknown> = {}) {
  return createAuditQueries(db).insertAuditEntry({
    actor: principal.subject,
    action,
    authorityId: principal.authorityId,
    outcome,
    detail: { ...(personId ? { personId } : {}), ...detail },
  });
}

async function loadRecord(db: ApiDependencies['pool'] | PoolClient, person: Person): Promise<PersonRecord> {
  const [residencePeriods, facts] = await Promise.all([
    createResidencePeriodQueries(db).listCurrentPeriodsByPerson(person.id),
    createPersonFactQueries(db).listCurrentFactsByPerson(person.id),
  ]);
  return { person, residencePeriods, facts };
}

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';

export async function createPerson(deps: ApiDependencies, principal: Principal, body: PersonData & { source: FactSource }): Promise<PersonRecord> {
  const { source, ...data } = body;
  assertDatesOfBirthNotAfter(deps.clock, [{ path: 'body.dateOfBirth', value: data.dateOfBirth }]);
  const now = deps.clock();
  try {
    const record = await withTransaction(deps.pool, async (client) => {
      const persons = createPersonQueries(client);
      const person = await persons.insertPerson({ id: randomUUID(), authorityId: principal.authorityId, ...data });
      await persons.insertPersonRevisions([
        { personId: person.id, authorityId: principal.authorityId, version: 1, entity: 'person', entityId: person.id, kind: null, action: 'create', before: null, after: data, source, recordedBy: principal.subject, recordedAt: now, reason: null },
      ]);
      await audit(client, principal, 'register.person.create', person.id, 'allowed');
      return { person, residencePeriods: [], facts: [] };
    });
    return record;
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    await audit(deps.pool, principal, 'register.person.create', null, 'refused', { reason: 'file number taken' });
    throw new AppError('person.file_number_taken', 409, `the file number ${data.fileNumber} belongs to another person of this authority`);
  }
}

/** A person of the caller's authority with their periods and facts; another authority's is not found (audited as refused). */
export async function readPersonRecord(deps: ApiDependencies, principal: Principal, id: string, operation = 'register.person.view'): Promise<PersonRecord> {
  const person = await createPersonQueries(deps.pool).findPersonByIdAndAuthority(id, principal.authorityId);
  await audit(deps.pool, principal, operation, id, person ? 'allowed' : 'refused', person ? {} : { reason: "no such person in the caller's authority" });
  assertThat(person, notFound(id));
  return loadRecord(deps.pool, person);
}

interface WriteOutcome {
  /** What changed, for the history's `kind` and the cases' signal. */
  changed: string[];
  revisions: Omit<NewPersonRevision, 'personId' | 'authorityId' | 'version' | 'source' | 'recordedBy' | 'recordedAt' | 'reason'>[];
  person?: PersonData;
}

/**
 * One write to a person: locks the person (scoped to the caller's authority), checks the
 * expected version, lets `work` validate and write, raises the version, appends the revisions
 * and the audit entry — all in one transaction — then tells the person's open cases. A refusal
 * (not found, stale version, a rule) is audited and changes nothing.
 */
export async function writePerson(
  deps: ApiDependencies,
  principal: Principal,
  id: string,
  request: { expectedVersion: number; source: FactSource; reason?: string },
  operation: string,
  work: (client: PoolClient, record: PersonRecord, at: Date) => Promise<WriteOutcome>,
): Promise<PersonRecord> {
  const at = deps.clock();
  let outcome: WriteOutcome | undefined;
  let record: PersonRecord;
  try {
    record = await withTransaction(deps.pool, async (client) => {
      const persons = createPersonQueries(client);
      const person = await persons.lockPersonByIdAndAuthority(id, principal.authorityId);
      assertThat(person, notFound(id));
      assertThat(
        person.version === request.expectedVersion,
        new AppError('person.version_conflict', 409, `the person is at version ${person.version}, not ${request.expectedVersion}: read it again`),
      );
      outcome = await work(client, await loadRecord(client, person), at);
      const version = person.version + 1;
      const updated = outcome.person
        ? await persons.updatePersonById(id, principal.authorityId, outcome.person, version, at)
        : await persons.updatePersonVersionById(id, principal.authorityId, version, at);
      await persons.insertPersonRevisions(
        outcome.revisions.map((revision) => ({
          ...revision,
          personId: id,
          authorityId: principal.authorityId,
          version,
          source: request.source,
          recordedBy: principal.subject,
          recordedAt: at,
          reason: request.reason ?? null,
        })),
      );
      await audit(client, principal, operation, id, 'allowed', { version, changed: outcome.changed });
      return loadRecord(client, updated);
    });
  } catch (error) {
    if (error instanceof AppError) {
      await audit(deps.pool, principal, operation, id, 'refused', { reason: error.message });
    } else if (isUniqueViolation(error)) {
      await audit(deps.pool, principal, operation, id, 'refused', { reason: 'file number taken' });
      throw new AppError('person.file_number_taken', 409, 'the file number belongs to another person of this authority');
    }
    throw error;
  }
  await signalOpenCasesOfPersons(deps, [{ personId: id, changed: outcome!.changed, version: record.person.version, at: at.toISOString() }]).catch((error: unknown) =>
    deps.logger.warn({ err: error, personId: id }, 'person changed: could not list the open cases to signal'),
  );
  return record;
}

const personDataOf = (person: Person): PersonData => ({
  fileNumber: person.fileNumber,
  givenNames: person.givenNames,
  familyName: person.familyName,
  dateOfBirth: person.dateOfBirth,
  nationalities: person.nationalities,
  contact: person.contact,
  preferredLanguage: person.preferredLanguage,
});

export function correctPerson(
  deps: ApiDependencies,
  principal: Principal,
  id: string,
  body: { expectedVersion: number; changes: PersonCorrection; source: FactSource; reason?: string },
): Promise<PersonRecord> {
  assertDatesOfBirthNotAfter(deps.clock, [{ path: 'body.changes.dateOfBirth', value: body.changes.dateOfBirth }]);
  return writePerson(deps, principal, id, body, 'register.person.correct', async (_client, record) => {
    const before = personDataOf(record.person);
    const after = applyPersonCorrection(before, body.changes);
    const fields = listChangedPersonFields(before, after);
    assertThat(fields.length > 0, new AppError('person.unchanged', 422, 'the correction changes nothing'));
    const pick = (data: PersonData) => Object.fromEntries(fields.map((field) => [field, data[field]]));
    return {
      changed: ['person'],
      person: after,
      revisions: [{ entity: 'person', entityId: id, kind: null, action: 'correct', before: pick(before), after: pick(after) }],
    };
  });
}

function assertNoOverlap(periods: readonly RegisterResidencePeriod[], candidate: ResidencePeriodData, except?: string): void {
  const overlapping = findOverlappingPeriod(periods, candidate, except);
  assertThat(
    !overlapping,
    new AppError(
      'person.residence_period_overlap',
      422,
      `the period ${candidate.from} – ${candidate.to ?? 'ongoing'} overlaps the ${overlapping?.status} period ${overlapping?.from} – ${overlapping?.to ?? 'ongoing'} (${overlapping?.id}); correct or retract that one first`,
    ),
  );
}

const periodDataOf = ({ id: _id, source: _s, recordedBy: _b, recordedAt: _a, ...data }: RegisterResidencePeriod): ResidencePeriodData => data;
const factDataOf = (fact: RegisterFact): FactInput => ({ kind: fact.kind, data: fact.data }) as FactInput;

export function addResidencePeriod(
  deps: ApiDependencies,
  principal: Principal,
  id: string,
  body: { expectedVersion: number; period: ResidencePeriodData; source: FactSource; reason?: string },
): Promise<PersonRecord> {
  return writePerson(deps, principal, id, body, 'register.residence_period.add', async (client, record, at) => {
    assertNoOverlap(record.residencePeriods, body.period);
    const period = await createResidencePeriodQueries(client).insertPeriod({ ...body.period, id: randomUUID(), personId: id, source: body.source, recordedBy: principal.subject, recordedAt: at });
    return { changed: ['residence_period'], revisions: [{ entity: 'residence_period', entityId: period.id, kind: period.status, action: 'create', before: null, after: body.period }] };
  });
}

export function correctResidencePeriod(
  deps: ApiDependencies,
  principal: Principal,
  id: string,
  periodId: string,
  body: { expectedVersion: number; period: ResidencePeriodData; source: FactSource; reason?: string },
): Promise<PersonRecord> {
  return writePerson(deps, principal, id, body, 'register.residence_period.correct', async (client, record, at) => {
    const current = record.residencePeriods.find((period) => period.id === periodId);
    assertThat(current, new AppError('person.residence_period_not_found', 404, `no residence period ${periodId} in force for this person`));
    assertNoOverlap(record.residencePeriods, body.period, periodId);
    await createResidencePeriodQueries(client).updatePeriodById(periodId, id, { ...body.period, source: body.source, recordedBy: principal.subject, recordedAt: at });
    return {
      changed: ['residence_period'],
      revisions: [{ entity: 'residence_period', entityId: periodId, kind: body.period.status, action: 'correct', before: periodDataOf(current), after: body.period }],
    };
  });
}

export function retractResidencePeriod(
  deps: ApiDependencies,
  principal: Principal,
  id: string,
  periodId: string,
  body: { expectedVersion: number; source: FactSource; reason: string },
): Promise<PersonRecord> {
  return writePerson(deps, principal, id, body, 'register.residence_period.retract', async (client, record, at) => {
    const current = record.residencePeriods.find((period) => period.id === periodId);
    assertThat(current, new AppError('person.residence_period_not_found', 404, `no residence period ${periodId} in force for this person`));
    await createResidencePeriodQueries(client).retractPeriodById(periodId, id, at);
    return { changed: ['residence_period'], revisions: [{ entity: 'residence_period', entityId: periodId, kind: current.status, action: 'retract', before: periodDataOf(current), after: null }] };
  });
}

/** A fact naming a relative by name and date of birth (spouse, minor child): born not after the request's day. */
function assertFactDateOfBirthNotAfter(deps: ApiDependencies, fact: FactInput): void {
  const data = fact.data as { dateOfBirth?: string | null };
  assertDatesOfBirthNotAfter(deps.clock, [{ path: 'body.fact.data.dateOfBirth', value: data.dateOfBirth }]);
}

export function addFact(
  deps: ApiDependencies,
  principal: Principal,
  id: string,
  body: { expectedVersion: number; fact: FactInput; source: FactSource; reason?: string },
): Promise<PersonRecord> {
  assertFactDateOfBirthNotAfter(deps, body.fact);
  return writePerson(deps, principal, id, body, 'register.fact.add', async (client, _record, at) => {
    const fact = await createPersonFactQueries(client).insertFact({ ...body.fact, id: randomUUID(), personId: id, source: body.source, recordedBy: principal.subject, recordedAt: at });
    return { changed: [fact.kind], revisions: [{ entity: 'fact', entityId: fact.id, kind: fact.kind, action: 'create', before: null, after: body.fact.data }] };
  });
}

export function correctFact(
  deps: ApiDependencies,
  principal: Principal,
  id: string,
  factId: string,
  body: { expectedVersion: number; fact: FactInput; source: FactSource; reason?: string },
): Promise<PersonRecord> {
  assertFactDateOfBirthNotAfter(deps, body.fact);
  return writePerson(deps, principal, id, body, 'register.fact.correct', async (client, record, at) => {
    const current = record.facts.find((fact) => fact.id === factId);
    assertThat(current, new AppError('person.fact_not_found', 404, `no fact ${factId} in force for this person`));
    assertThat(current.kind === body.fact.kind, new AppError('person.fact_kind_mismatch', 422, `fact ${factId} is a ${current.kind}; a correction keeps the kind (retract it and add another)`));
    await createPersonFactQueries(client).updateFactById(factId, id, { ...body.fact, source: body.source, recordedBy: principal.subject, recordedAt: at });
    return { changed: [current.kind], revisions: [{ entity: 'fact', entityId: factId, kind: current.kind, action: 'correct', before: factDataOf(current).data, after: body.fact.data }] };
  });
}

export function retractFact(
  deps: ApiDependencies,
  principal: Principal,
  id: string,
  factId: string,
  body: { expectedVersion: number; source: FactSource; reason: string },
): Promise<PersonRecord> {
  return writePerson(deps, principal, id, body, 'register.fact.retract', async (client, record, at) => {
    const current = record.facts.find((fact) => fact.id === factId);
    assertThat(current, new AppError('person.fact_not_found', 404, `no fact ${factId} in force for this person`));
    await createPersonFactQueries(client).retractFactById(factId, id, at);
    return { changed: [current.kind], revisions: [{ entity: 'fact', entityId: factId, kind: current.kind, action: 'retract', before: current.data, after: null }] };
  });
}

/** A keyset cursor over (family name, given names, id), opaque to clients. */
export function encodePersonCursor(person: Person): string {
  return Buffer.from(JSON.stringify([person.familyName, person.givenNames, person.id])).toString('base64url');
}

export function decodePersonCursor(cursor: string): { familyName: string; givenNames: string; id: string } {
  try {
    const [familyName, givenNames, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof familyName === 'string' && typeof givenNames === 'string' && typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id) && !`${familyName}${givenNames}`.includes('\u0000')) {
      return { familyName, givenNames, id };
    }
  } catch {
    // fall through
  }
  throw new AppError('request.invalid', 400, 'the request is invalid', [{ path: 'query.after', message: 'must be the `next` value of the previous page' }]);
}
