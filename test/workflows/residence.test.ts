import fs from 'node:fs/promises';
import path from 'node:path';
import { Client, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import pino from 'pino';
import { createActivities } from '../../activities';
import type { ApiDependencies } from '../../api/deps';
import { startResidenceCheck } from '../../api/residence/service';
import { addFact, addResidencePeriod, correctResidencePeriod, createPerson } from '../../api/persons/service';
import { recordConsent } from '../../api/handoff/consentService';
import { handoffStatusChangedSignal } from '../../workflows/shared/handoffs';
import { handoffTaskQueue } from '../../workflows/handoffDefinitions';
import { startOfDayInBerlin, toBerlinLocalDate } from '../../domain/calendar/berlinTime';
import { addDays, splitLocalDate, makeLocalDate } from '../../domain/calendar/localDate';
import type { FactInput } from '../../domain/register/facts';
import type { ResidencePeriodData } from '../../domain/register/residencePeriods';
import type { Principal } from '../../security/roles';
import { createMailer } from '../../worker/mailer';
import {
  decideResidenceCheckUpdate,
  getExpiryWatchStateQuery,
  getResidenceCheckStateQuery,
  recordEvidenceUpdate,
  recordRenewalFiledUpdate,
  residenceTaskQueues,
  residenceWorkflowId,
  confirmHandoffProposalUpdate,
  type ExpiryWatchState,
  type ResidenceCheckState,
} from '../../workflows/residenceDefinitions';
import { serialiseHistory } from '../support/histories';
import { createTestDatabase } from '../support/postgres';
import { startTestSmtp, subjectOf } from '../support/smtp';
import { startTestRelay } from '../support/relay';
import { createTimeSkippingEnvironment, workflowBundle } from '../support/temporal';
import { testMail } from '../support/system';
import { residenceSweep } from '../../workflows/residence';
import { residenceProcess } from '../../processes/residence';

const minute = 60_000;

/** With RECORD_HISTORIES=1, a scenario's history goes to test/histories, which replay.test.ts replays. */
async function recordHistory(name: string, handle: WorkflowHandle): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const dir = path.resolve(__dirname, '..', '..', '..', 'test', 'histories');
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, `${name}.json`), serialiseHistory(await handle.fetchHistory()));
}

/**
 * The instant an event was recorded is the timer's instant: a timer is armed from the workflow
 * task's time and fires that long after the server took it, a few milliseconds later.
 */
function expectAt(recorded: string, instant: number): void {
  const at = Date.parse(recorded);
  expect(at).toBeGreaterThanOrEqual(instant);
  expect(at - instant).toBeLessThan(1_000);
}
const clerk: Principal = { subject: 'clerk.abh@test.localhost', roles: ['abh_clerk'], authorityId: 'koeln' };

/** The same day `years` later (28 February for a 29 February in a common year). */
function addYears(date: string, years: number): string {
  const { year, month, day } = splitLocalDate(date);
  const target = year + years;
  const leap = (target % 4 === 0 && target % 100 !== 0) || target % 400 === 0;
  return makeLocalDate(target, month, month === 2 && day === 29 && !leap ? 28 : day);
}

/**
 * The residence process on the time-skipping test server, with the real activities against
 * PostgreSQL and a real SMTP listener; persons are registered through the register's service
 * (the path the API takes), checks started through the residence service.
 */
describe('residence workflows (time skipping)', () => {
  let env: TestWorkflowEnvironment;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let smtp: Awaited<ReturnType<typeof startTestSmtp>>;
  let workers: Worker[];
  let running: Promise<unknown>;
  let relay: ReturnType<typeof startTestRelay> | undefined;
  let deps: ApiDependencies;

  beforeAll(async () => {
    [env, db, smtp] = await Promise.all([createTimeSkippingEnvironment(), createTestDatabase(), startTestSmtp()]);
    const mailer = createMailer(smtp.url);
    const activities = createActivities({ pool: db.pool, mailer, clock: () => new Date(), mail: testMail, temporal: env.client });
    const bundle = await workflowBundle();
    workers = await Promise.all([
      Worker.create({ connection: env.nativeConnection, taskQueue: residenceTaskQueues.residence, workflowBundle: bundle, activities }),
      Worker.create({ connection: env.nativeConnection, taskQueue: residenceTaskQueues.messages, activities }),
      // The handoff a confirmed proposal starts runs on its own queue.
      Worker.create({ connection: env.nativeConnection, taskQueue: handoffTaskQueue, workflowBundle: bundle, activities }),
    ]);
    running = Promise.all(workers.map((w) => w.run()));
    relay = startTestRelay(db.pool, smtp.url);
    deps = { pool: db.pool, temporal: env.client, mailer, logger: pino({ level: 'silent' }), clock: () => new Date(), settings: { inactionWarningLeadTimesMs: [] } } as unknown as ApiDependencies;
  });

  afterAll(async () => {
    workers?.forEach((w) => w.shutdown());
    await running;
    await relay?.stop();
    await env?.teardown();
    await smtp?.stop();
    await db?.drop();
  });

  const today = async () => toBerlinLocalDate(await env.currentTimeMs());

  /**
   * Runs the daily sweep once. Its result is read only after it completed: awaiting a result
   * unlocks time skipping, and the server would leap to the next timer of another workflow.
   */
  async function runSweep(workflowId: string) {
    const handle = await env.client.workflow.start(residenceSweep, { taskQueue: residenceTaskQueues.residence, workflowId, args: [{}] });
    for (let i = 0; i < 200 && (await handle.describe()).status.name === 'RUNNING'; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    // A plain client: its result() does not touch time skipping.
    return new Client({ connection: env.connection, namespace: env.namespace }).workflow.getHandle<typeof residenceSweep>(workflowId).result();
  }
  const period = (p: Partial<ResidencePeriodData> & Pick<ResidencePeriodData, 'status' | 'from'>): ResidencePeriodData => ({
    to: null,
    permitBasis: null,
    duldungGround: null,
    protectionGrantedLater: null,
    documentNumber: null,
    documentExpiry: null,
    ...p,
  });

  /** Registers a person with periods and facts through the register's service. */
  async function registerPerson(input: { fileNumber: string; dateOfBirth: string; email: string | null; language?: string; periods: ResidencePeriodData[]; facts?: FactInput[] }) {
    let record = await createPerson(deps, clerk, {
      fileNumber: input.fileNumber,
      givenNames: 'Samir',
      familyName: `Haddad-${input.fileNumber}`,
      dateOfBirth: input.dateOfBirth,
      nationalities: ['SY'],
      contact: { postalAddress: null, email: input.email, phone: null },
      preferredLanguage: input.language ?? 'ar',
      source: 'clerk',
    });
    for (const p of input.periods) record = await addResidencePeriod(deps, clerk, record.person.id, { expectedVersion: record.person.version, period: p, source: 'document' });
    for (const f of input.facts ?? []) record = await addFact(deps, clerk, record.person.id, { expectedVersion: record.person.version, fact: f, source: 'document' });
    return record;
  }

  const integratedFacts = (on: string): FactInput[] => [
    { kind: 'language_certificate', data: { level: 'A2', issuedOn: on, issuer: 'telc' } },
    { kind: 'employment', data: { from: on, to: null, hoursPerWeek: 39, fullTime: true } },
    { kind: 'benefits', data: { scheme: 'none', from: on, to: null, responsible: null } },
    { kind: 'orientation_course', data: { completedOn: on, testPassed: true } },
    { kind: 'identity_clarified', data: { clarified: true, on } },
  ];

  async function waitFor<T>(handle: WorkflowHandle, query: typeof getResidenceCheckStateQuery | typeof getExpiryWatchStateQuery, predicate: (state: T) => boolean, what: string): Promise<T> {
    for (let i = 0; i < 200; i++) {
      const state = (await handle.query(query as never)) as T;
      if (predicate(state)) return state;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`${what} not reached`);
  }
  const waitForCheck = (handle: WorkflowHandle, predicate: (s: ResidenceCheckState) => boolean, what: string) =>
    waitFor<ResidenceCheckState>(handle, getResidenceCheckStateQuery, predicate, what);

  async function act<R extends { expectedVersion: number }>(handle: WorkflowHandle, update: UpdateDefinition<ResidenceCheckState, [R]>, request: Omit<R, 'expectedVersion'>) {
    const { version } = await handle.query(getResidenceCheckStateQuery);
    return handle.executeUpdate(update, { args: [{ ...request, expectedVersion: version } as R] });
  }

  test('§ 25b: a Duldung of six years less 40 days → evidence → "not yet" → the timer fires at the start of the day six years are complete → clerk and person told → grant', async () => {
    const start = await today();
    const duldungFrom = addDays(addYears(start, -6), 40);
    const record = await registerPerson({
      fileNumber: 'ABH-25B-1',
      dateOfBirth: '1985-05-05',
      email: 'samir.25b@example.org',
      periods: [period({ status: 'duldung', from: duldungFrom, duldungGround: '§ 60a Abs. 2 Satz 1 AufenthG' })],
      facts: integratedFacts(addDays(start, -30)),
    });
    const view = await startResidenceCheck(deps, clerk, { personId: record.person.id, contactConsent: true });
    const handle = env.client.workflow.getHandle(residenceWorkflowId(view.id));

    // Evaluated on the register's data: § 25b's six years are reached on the anniversary; the passport is unknown.
    const waiting = await waitForCheck(handle, (s) => s.stage === 'awaiting_evidence', 'evidence request');
    const eligibleFrom = addYears(duldungFrom, 6);
    expect(waiting.evaluation!.nextEligibleOn).toBe(eligibleFrom);
    expect(waiting.evaluation!.dates.find((d) => d.rule === '§ 25b AufenthG')!.eligibleFrom).toBe(eligibleFrom);
    expect(waiting.evidence!.requested).toContain('passport');
    const [request] = await smtp.waitFor((m) => m.recipients.includes('samir.25b@example.org'));
    expect(subjectOf(request)).toMatch(/^Unterlagen für Ihre aufenthaltsrechtliche Prüfung .* \/ documents for your residence check/);

    // The clerk records the passport and the findings; the decision is "not yet".
    await act(handle, recordEvidenceUpdate, {
      actor: clerk.subject,
      received: waiting.evidence!.requested,
      findings: { passportHeld: 'yes', declaredCommitmentToBasicOrder: 'yes', indicationsAgainstDemocraticOrder: 'no', ownDeceptionAboutIdentity: 'no', nonCooperation: 'no', seriousExpulsionInterest: 'no' },
    });
    const notYet = await act(handle, decideResidenceCheckUpdate, { actor: clerk.subject, outcome: 'not_yet', reason: 'Sechs Jahre noch nicht erreicht' });
    expect(notYet.stage).toBe('not_yet');
    expect(notYet.notYet!.until).toBe(eligibleFrom);
    const { rows } = await db.pool.query('SELECT stage, person_id, waiting_for FROM case_projections WHERE case_id = $1', [view.id]);
    expect(rows[0]).toEqual({ stage: 'not_yet', person_id: record.person.id, waiting_for: 'date' });

    // A minute before the day: nothing. At the day's start: the clerk's task.
    const firesAt = startOfDayInBerlin(eligibleFrom);
    await env.sleep(firesAt - (await env.currentTimeMs()) - minute);
    expect((await handle.query(getResidenceCheckStateQuery)).events.map((e) => e.kind)).not.toContain('eligibility_date_reached');
    await env.sleep(2 * minute);
    const reached = await waitForCheck(handle, (s) => s.stage === 'decision' && s.flags.includes('eligibility_date_reached'), 'eligibility date');
    expectAt(reached.events.find((e) => e.kind === 'eligibility_date_reached')!.at, firesAt);
    await smtp.waitFor((m) => m.recipients.includes(testMail.teamMailbox) && subjectOf(m).startsWith('Aufenthaltsrecht: Stichtag erreicht'));
    const [told] = await smtp.waitFor((m) => m.recipients.includes('samir.25b@example.org') && subjectOf(m).startsWith('Ihr Aufenthaltsrecht'));
    expect(told.raw.indexOf('Guten Tag')).toBeLessThan(told.raw.indexOf('Dear'));

    // Evaluated on the day: § 25b is met; the clerk grants it.
    expect(reached.evaluation!.evaluations.find((e) => e.rule === '§ 25b AufenthG')!.overall).toBe('met');
    const granted = await act(handle, decideResidenceCheckUpdate, { actor: clerk.subject, outcome: 'grant', title: '§ 25b AufenthG', reason: 'Voraussetzungen erfüllt' });
    expect(granted).toMatchObject({ stage: 'decided', decision: { outcome: 'grant', title: '§ 25b AufenthG' } });
    await recordHistory('residence-v2-relay-not-yet-then-granted', handle);

    // Retention: the decided check is listed; anonymising it removes the person and the details
    // from its projection and the letters' addresses and texts, and keeps stage and decision for the figures.
    for (let i = 0; i < 100 && (await handle.describe()).status.name === 'RUNNING'; i++) await new Promise((r) => setTimeout(r, 50));
    expect((await residenceProcess.retention.listClosedCasesWithPersonalData(db.pool)).map((c) => c.caseId)).toContain(view.id);
    const client = await db.pool.connect();
    try {
      await residenceProcess.retention.anonymise(client, view.id);
    } finally {
      client.release();
    }
    const { rows: after } = await db.pool.query("SELECT stage, person_id, details, decision ->> 'outcome' AS outcome FROM case_projections WHERE case_id = $1", [view.id]);
    expect(after[0]).toEqual({ stage: 'decided', person_id: null, details: {}, outcome: 'grant' });
    const letters = await db.pool.query('SELECT DISTINCT recipient, body_text FROM outbox WHERE case_id = $1', [view.id]);
    expect(letters.rows).toEqual([{ recipient: 'anonymised', body_text: '' }]);
    expect((await residenceProcess.retention.listClosedCasesWithPersonalData(db.pool)).map((c) => c.caseId)).not.toContain(view.id);
  });

  test('evidence: the reminder goes out the configured days before the deadline, and at its expiry the clerk gets a task', async () => {
    const start = await today();
    const record = await registerPerson({
      fileNumber: 'ABH-EVID-1',
      dateOfBirth: '1984-04-04',
      email: 'evidence@example.org',
      periods: [period({ status: 'duldung', from: addYears(start, -7), duldungGround: '§ 60a Abs. 2 Satz 1 AufenthG' })],
      facts: integratedFacts(addDays(start, -30)),
    });
    const view = await startResidenceCheck(deps, clerk, { personId: record.person.id, contactConsent: false });
    const handle = env.client.workflow.getHandle(residenceWorkflowId(view.id));
    const waiting = await waitForCheck(handle, (s) => s.stage === 'awaiting_evidence', 'evidence request');
    const { requestedOn, reminderOn, dueOn } = waiting.evidence!;
    expect(reminderOn).toBe(addDays(dueOn, -7));
    expect(dueOn >= addDays(requestedOn, 28)).toBe(true);

    const reminderAt = startOfDayInBerlin(reminderOn);
    await env.sleep(reminderAt - (await env.currentTimeMs()) - minute);
    expect((await handle.query(getResidenceCheckStateQuery)).evidence!.reminderSent).toBe(false);
    await env.sleep(2 * minute);
    const reminded = await waitForCheck(handle, (s) => s.evidence!.reminderSent, 'reminder');
    expectAt(reminded.events.find((e) => e.kind === 'evidence_reminder')!.at, reminderAt);
    const [reminder] = await smtp.waitFor((m) => m.recipients.includes('evidence@example.org') && subjectOf(m).startsWith('Erinnerung: Unterlagen'));
    expect(reminder.raw.indexOf('Guten Tag')).toBeLessThan(reminder.raw.indexOf('Dear'));

    // The day after the deadline: the clerk's task, and the check waits for the authority.
    const overdueAt = startOfDayInBerlin(addDays(dueOn, 1));
    await env.sleep(overdueAt - (await env.currentTimeMs()) - minute);
    expect((await handle.query(getResidenceCheckStateQuery)).flags).not.toContain('evidence_overdue');
    await env.sleep(2 * minute);
    const overdue = await waitForCheck(handle, (s) => s.flags.includes('evidence_overdue'), 'evidence overdue');
    expectAt(overdue.events.find((e) => e.kind === 'evidence_overdue')!.at, overdueAt);
    expect(overdue).toMatchObject({ stage: 'decision', waitingFor: 'authority' });
    await smtp.waitFor((m) => subjectOf(m) === `Unterlagen nicht eingegangen: ${view.reference}`);
    const { rows } = await db.pool.query('SELECT stage, flags FROM case_projections WHERE case_id = $1', [view.id]);
    expect(rows[0]).toEqual({ stage: 'decision', flags: ['evidence_overdue'] });
  });

  test('a fact change re-evaluates at once and re-arms the "not yet" timer; a language deficit proposes a handoff', async () => {
    const start = await today();
    const duldungFrom = addDays(addYears(start, -6), 100);
    const record = await registerPerson({
      fileNumber: 'ABH-25B-2',
      dateOfBirth: '1980-02-29',
      email: 'lina.change@example.org',
      periods: [period({ status: 'duldung', from: duldungFrom, duldungGround: '§ 60a Abs. 2 Satz 1 AufenthG' })],
      facts: [...integratedFacts(addDays(start, -30)).filter((f) => f.kind !== 'language_certificate'), { kind: 'language_certificate', data: { level: 'A1', issuedOn: addDays(start, -20), issuer: 'telc' } }],
    });
    const view = await startResidenceCheck(deps, clerk, { personId: record.person.id, contactConsent: false });
    const handle = env.client.workflow.getHandle(residenceWorkflowId(view.id));
    const evaluated = await waitForCheck(handle, (s) => s.stage === 'awaiting_evidence' || s.stage === 'decision', 'evaluation');
    expect(evaluated.evaluation!.deficits).toEqual(['language']);
    const notYet = await act(handle, decideResidenceCheckUpdate, { actor: clerk.subject, outcome: 'not_yet', reason: 'A2 fehlt, sechs Jahre nicht erreicht' });
    expect(notYet.notYet!.until).toBe(addYears(duldungFrom, 6));
    expect(notYet.handoff).toMatchObject({ needs: ['language'], status: 'proposed' });
    expect(notYet.flags).toContain('handoff_proposed');
    const { rows } = await db.pool.query("SELECT flags, details -> 'handoffProposal' ->> 'status' AS proposal FROM case_projections WHERE case_id = $1", [view.id]);
    expect(rows[0]).toEqual({ flags: expect.arrayContaining(['handoff_proposed']), proposal: 'proposed' });

    // The Duldung turns out to have begun 30 days earlier: corrected in the register, the check re-evaluates at once.
    const earlier = addDays(duldungFrom, -30);
    await correctResidencePeriod(deps, clerk, record.person.id, record.residencePeriods[0].id, {
      expectedVersion: (await db.pool.query('SELECT version FROM persons WHERE id = $1', [record.person.id])).rows[0].version,
      period: period({ status: 'duldung', from: earlier, duldungGround: '§ 60a Abs. 2 Satz 1 AufenthG' }),
      source: 'document',
      reason: 'Duldung seit früher',
    });
    const moved = await waitForCheck(handle, (s) => s.notYet?.until === addYears(earlier, 6), 're-armed timer');
    expect(moved.events.map((e) => e.kind)).toContain('facts_changed');

    // The timer fires at the new date, not the old one.
    const firesAt = startOfDayInBerlin(addYears(earlier, 6));
    await env.sleep(firesAt - (await env.currentTimeMs()) + minute);
    const reached = await waitForCheck(handle, (s) => s.flags.includes('eligibility_date_reached'), 'new date');
    expectAt(reached.events.find((e) => e.kind === 'eligibility_date_reached')!.at, firesAt);
    // No consent: the person is not written to.
    expect(smtp.received.filter((m) => m.recipients.includes('lina.change@example.org') && subjectOf(m).startsWith('Ihr Aufenthaltsrecht'))).toHaveLength(0);

    // With the person's consent on record, the clerk confirms the proposal: the handoff module starts a handoff.
    await recordConsent(deps, clerk, record.person.id, {
      purpose: 'case_management_handoff',
      recipients: ['case_management', 'kim_coordinator', 'originating_authority'],
      dataCategories: ['name', 'contact', 'language', 'needs', 'case_deadline', 'outcomes'],
      // In force from a year before the services' (wall) clock's day to two years after the test server's day.
      validFrom: addDays(toBerlinLocalDate(Date.now()), -365),
      validUntil: addDays(toBerlinLocalDate(await env.currentTimeMs()), 730),
      formReference: 'EW-25B-2',
    });
    const confirmed = await act(handle, confirmHandoffProposalUpdate, { actor: clerk.subject });
    expect(confirmed.handoff).toMatchObject({ status: 'requested', confirmedBy: clerk.subject, needs: ['language'] });
    expect(confirmed.flags).toContain('handoff_requested');
    const handoffs = await db.pool.query('SELECT count(*)::int AS n FROM handoffs WHERE person_id = $1', [record.person.id]);
    expect(handoffs.rows[0].n).toBe(1);
    // A second confirmation is refused: the proposal is no longer open.
    const again = await act(handle, confirmHandoffProposalUpdate, { actor: clerk.subject }).then(() => undefined, (error: unknown) => error);
    expect(again).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((again as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'residence.no_handoff_proposal', message: 'there is no handoff proposal to confirm' });

    // The handoff's status comes back as a signal: recorded, and the check evaluates again.
    const evaluationsBefore = confirmed.evaluations;
    await handle.signal(handoffStatusChangedSignal, { handoffId: confirmed.handoff!.handoffId!, status: 'accepted' });
    const signalled = await waitForCheck(handle, (s) => s.evaluations > evaluationsBefore, 'handoff signal');
    expect(signalled.handoff!.events).toEqual([expect.objectContaining({ handoffId: confirmed.handoff!.handoffId, status: 'accepted' })]);
    await recordHistory('residence-v2-relay-fact-change-handoff', handle);
  });

  test('§ 25a: the clerk is told the configured weeks before the last day to apply (the day before the 27th birthday)', async () => {
    const start = await today();
    const birthday27 = addDays(start, 120);
    const dateOfBirth = addYears(birthday27, -27);
    const record = await registerPerson({
      fileNumber: 'ABH-25A-1',
      dateOfBirth,
      email: 'noor.25a@example.org',
      periods: [period({ status: 'duldung', from: addYears(start, -4), duldungGround: '§ 60a Abs. 2 Satz 1 AufenthG' })],
      facts: [{ kind: 'education', data: { kind: 'schooling', inGermany: true, from: addYears(start, -4), to: addYears(start, -1), successful: true, description: null } }],
    });
    const view = await startResidenceCheck(deps, clerk, { personId: record.person.id, contactConsent: false });
    const handle = env.client.workflow.getHandle(residenceWorkflowId(view.id));
    const evaluated = await waitForCheck(handle, (s) => s.evaluation !== null && s.stage !== 'evaluation', 'evaluation');
    const lastDay = addDays(birthday27, -1);
    expect(evaluated.evaluation!.dates.find((d) => d.rule === '§ 25a AufenthG')!.eligibleUntil).toBe(lastDay);

    const noticeAt = startOfDayInBerlin(addDays(lastDay, -56));
    await env.sleep(noticeAt - (await env.currentTimeMs()) - minute);
    expect((await handle.query(getResidenceCheckStateQuery)).flags).not.toContain('age_limit_approaching');
    await env.sleep(2 * minute);
    const told = await waitForCheck(handle, (s) => s.flags.includes('age_limit_approaching'), 'age-limit notice');
    expectAt(told.events.find((e) => e.kind === 'age_limit_approaching')!.at, noticeAt);
    const [notice] = await smtp.waitFor((m) => subjectOf(m) === `§ 25a AufenthG: Altersgrenze naht: ${view.reference}`);
    expect(notice.raw.replace(/=\r?\n/g, '')).toContain(lastDay.split('-').reverse().join('.'));
  });

  test('permit expiry: the daily sweep starts one watch per permit; the reminder goes out at the configured instant (German first; "to print" without e-mail); a clerk task when nothing is filed; on time continues, one day late is discretion', async () => {
    const start = await today();
    const expiresA = addDays(start, 60);
    const expiresB = addDays(start, 61);
    const a = await registerPerson({
      fileNumber: 'ABH-EXP-A',
      dateOfBirth: '1990-01-01',
      email: 'ana.permit@example.org',
      language: 'uk',
      periods: [period({ status: 'permit', from: addYears(start, -2), to: expiresA, permitBasis: '§ 25 Abs. 2 AufenthG', documentExpiry: expiresA })],
    });
    const b = await registerPerson({
      fileNumber: 'ABH-EXP-B',
      dateOfBirth: '1991-01-01',
      email: null,
      periods: [period({ status: 'permit', from: addYears(start, -2), to: expiresB, permitBasis: '§ 18b AufenthG' })],
    });
    const sweep = () => runSweep(`sweep-${Math.random()}`);
    expect(await sweep()).toEqual({ watchesStarted: 2, transitionChecksStarted: 0 });
    const watchOf = async (personId: string) => {
      const { rows } = await db.pool.query("SELECT id FROM residence_checks WHERE person_id = $1 AND kind = 'permit_expiry'", [personId]);
      expect(rows).toHaveLength(1);
      return env.client.workflow.getHandle(residenceWorkflowId(rows[0].id));
    };
    const [watchA, watchB] = [await watchOf(a.person.id), await watchOf(b.person.id)];
    const stateA = await waitFor<ExpiryWatchState>(watchA, getExpiryWatchStateQuery, (s) => s.reminderOn !== null, 'watch A');
    await waitFor<ExpiryWatchState>(watchA, getExpiryWatchStateQuery, () => true, 'projection');
    // A second sweep starts nothing new.
    await sweep();
    expect((await db.pool.query("SELECT count(*)::int AS n FROM residence_checks WHERE kind = 'permit_expiry'")).rows[0].n).toBe(2);

    const reminderAt = startOfDayInBerlin(stateA.reminderOn!);
    await env.sleep(reminderAt - (await env.currentTimeMs()) - minute);
    expect((await watchA.query(getExpiryWatchStateQuery)).reminder).toBeNull();
    await env.sleep(2 * minute);
    const [reminder] = await smtp.waitFor((m) => m.recipients.includes('ana.permit@example.org'));
    expect(subjectOf(reminder)).toMatch(/^Ihr Aufenthaltstitel läuft am .* ab .* \/ Your residence permit expires on/);
    expect(reminder.raw.indexOf('Guten Tag')).toBeLessThan(reminder.raw.indexOf('Dear'));
    const remindedA = await waitFor<ExpiryWatchState>(watchA, getExpiryWatchStateQuery, (s) => s.reminder !== null, 'reminder A');
    expectAt(remindedA.reminder!.at, reminderAt);
    expect(remindedA.reminder!.channel).toBe('email');
    const stateB = await watchB.query(getExpiryWatchStateQuery);
    const waitB = startOfDayInBerlin(stateB.reminderOn!) - (await env.currentTimeMs());
    if (waitB > 0) await env.sleep(waitB + minute);
    const remindedB = await waitFor<ExpiryWatchState>(watchB, getExpiryWatchStateQuery, (s) => s.reminder !== null, 'reminder B');
    expect(remindedB.reminder!.channel).toBe('print');
    const printed = await db.pool.query("SELECT status, recipient FROM outbox WHERE kind = 'residence.expiry_reminder' AND recipient = 'print'");
    expect(printed.rows).toEqual([{ status: 'to_print', recipient: 'print' }]);

    // Nothing filed by the clerk-task day: a task for the clerk.
    const taskAt = startOfDayInBerlin(stateA.clerkTaskOn!);
    await env.sleep(taskAt - (await env.currentTimeMs()) + minute);
    const overdue = await waitFor<ExpiryWatchState>(watchA, getExpiryWatchStateQuery, (s) => s.flags.includes('renewal_not_filed'), 'clerk task');
    expectAt(overdue.clerkTaskAt!, taskAt);
    await smtp.waitFor((m) => subjectOf(m).startsWith('Verlängerung nicht beantragt'));

    // A files on time: the permit continues by law (§ 81 Abs. 4 Satz 1 AufenthG).
    const filedA = await watchA.executeUpdate(recordRenewalFiledUpdate, { args: [{ expectedVersion: overdue.version, actor: clerk.subject, filedOn: await today() }] });
    expect(filedA.renewal).toMatchObject({ effect: 'continued', basis: '§ 81 Abs. 4 Satz 1 AufenthG', daysLate: 0, continuesFrom: addDays(expiresA, 1) });
    // B files one day after expiry: continuation only at discretion (Satz 3).
    await env.sleep(startOfDayInBerlin(addDays(expiresB, 1)) - (await env.currentTimeMs()) + minute);
    const beforeB = await watchB.query(getExpiryWatchStateQuery);
    const filedB = await watchB.executeUpdate(recordRenewalFiledUpdate, { args: [{ expectedVersion: beforeB.version, actor: clerk.subject, filedOn: addDays(expiresB, 1) }] });
    expect(filedB.renewal).toMatchObject({ effect: 'discretion', basis: '§ 81 Abs. 4 Satz 3 AufenthG', daysLate: 1 });
    expect(filedB.flags).toContain('continuation_discretion');
    await recordHistory('residence-v2-relay-expiry-watch-late-renewal', watchB);
  });

  test('§ 104c: the sweep starts the transition check, which begins 6 months before expiry and escalates to the team lead 8 weeks before when no follow-on application exists', async () => {
    const start = await today();
    const expiresOn = addDays(start, 190);
    const record = await registerPerson({
      fileNumber: 'ABH-104C-1',
      dateOfBirth: '1988-08-08',
      email: 'omar.104c@example.org',
      periods: [period({ status: 'permit', from: addDays(expiresOn, -547), to: expiresOn, permitBasis: '§ 104c AufenthG' })],
    });
    const result = await runSweep('sweep-104c');
    expect(result.transitionChecksStarted).toBe(1);
    const { rows } = await db.pool.query("SELECT id, reference FROM residence_checks WHERE person_id = $1 AND kind = 'transition'", [record.person.id]);
    const handle = env.client.workflow.getHandle(residenceWorkflowId(rows[0].id));
    const scheduled = await waitForCheck(handle, (s) => s.stage === 'scheduled', 'scheduled');
    const checkStartsOn = scheduled.evaluation!.transition!.checkStartsOn;
    const escalationOn = scheduled.evaluation!.transition!.escalationOn;
    expect(checkStartsOn).toBe(addDays(start, 190 - (daysInSixMonthsBefore(expiresOn))));
    expect(escalationOn).toBe(addDays(expiresOn, -56));

    const startsAt = startOfDayInBerlin(checkStartsOn);
    await env.sleep(startsAt - (await env.currentTimeMs()) - minute);
    expect((await handle.query(getResidenceCheckStateQuery)).stage).toBe('scheduled');
    await env.sleep(2 * minute);
    const started = await waitForCheck(handle, (s) => s.events.some((e) => e.kind === 'transition_check_started'), 'transition start');
    expectAt(started.events.find((e) => e.kind === 'transition_check_started')!.at, startsAt);
    await smtp.waitFor((m) => subjectOf(m) === `§ 104c AufenthG: Übergangsprüfung: ${rows[0].reference}`);

    const escalatesAt = startOfDayInBerlin(escalationOn);
    await env.sleep(escalatesAt - (await env.currentTimeMs()) - minute);
    expect((await handle.query(getResidenceCheckStateQuery)).flags).not.toContain('escalated_to_team_lead');
    await env.sleep(2 * minute);
    const escalated = await waitForCheck(handle, (s) => s.flags.includes('escalated_to_team_lead'), 'escalation');
    expectAt(escalated.events.find((e) => e.kind === 'transition_escalation')!.at, escalatesAt);
    const [mail] = await smtp.waitFor((m) => subjectOf(m).startsWith('Eskalation an die Teamleitung'));
    expect(mail.recipients).toEqual([testMail.teamMailbox]);
    await recordHistory('residence-v2-relay-transition-escalated', handle);
  });
});

/** Days between the day six calendar months before `date` and `date` (§ 188 Abs. 2 BGB by analogy, counted back). */
function daysInSixMonthsBefore(date: string): number {
  const { year, month, day } = splitLocalDate(date);
  const index = year * 12 + month - 1 - 6;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const before = makeLocalDate(y, m, Math.min(day, last));
  return (Date.parse(date) - Date.parse(before)) / 86_400_000;
}
