import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { ApplicationFailure } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import { createApplicationQueries } from '../../db/queries/applications';
import { createCaseProjectionQueries } from '../../db/queries/caseProjections';
import { createOutboxQueries } from '../../db/queries/outbox';
import { startOfDayInBerlin, toBerlinLocalDate } from '../../domain/calendar/berlinTime';
import { addDays } from '../../domain/calendar/localDate';
import { formatGermanDate } from '../../domain/letters/naturalisationLetters';
import { determineInactionDeadline, determineWarningInstants } from '../../domain/naturalisation/inactionDeadline';
import { createMailer } from '../../worker/mailer';
import { naturalisationApplication } from '../../workflows/naturalisation';
import {
  completeCheckUpdate,
  extendDocumentDeadlineUpdate,
  reassignUpdate,
  recordDocumentsUpdate,
  recordHandoverUpdate,
  recordInquiryAnswerUpdate,
  resumeUpdate,
  scheduleAppointmentUpdate,
  suspendUpdate,
  getNaturalisationStateQuery,
  naturalisationWorkflowId,
  recordDecisionUpdate,
  proposeDecisionUpdate,
  confirmDecisionUpdate,
  taskQueues,
  type NaturalisationState,
  type RecordDecisionRequest,
} from '../../workflows/naturalisationDefinitions';
import { serialiseHistory } from '../support/histories';
import { startTestRelay } from '../support/relay';
import { createTestDatabase } from '../support/postgres';
import { startTestSmtp, subjectOf } from '../support/smtp';
import { createTimeSkippingEnvironment, workflowBundle } from '../support/temporal';
import { testMail } from '../support/system';

const day = 86_400_000;

/**
 * With RECORD_HISTORIES=1, each scenario's finished history is written to test/histories, where
 * the replay test (replay.test.ts) keeps proving that the workflow code can still replay it.
 */
async function recordHistory(name: string, handle: WorkflowHandle): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const dir = path.resolve(__dirname, '..', '..', '..', 'test', 'histories');
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, `${name}.json`), serialiseHistory(await handle.fetchHistory()));
}

/**
 * The naturalisation workflow on the time-skipping test server, with the real activities
 * against PostgreSQL and a real SMTP listener: the § 75 Satz 2 VwGO clock is tested as three
 * months of skipped time.
 */
describe('naturalisation workflow: § 75 VwGO clock (time skipping)', () => {
  let env: TestWorkflowEnvironment;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let smtp: Awaited<ReturnType<typeof startTestSmtp>>;
  let workers: Worker[];
  let running: Promise<unknown>;
  let relay: ReturnType<typeof startTestRelay>;

  beforeAll(async () => {
    [env, db, smtp] = await Promise.all([createTimeSkippingEnvironment(), createTestDatabase(), startTestSmtp()]);
    relay = startTestRelay(db.pool, smtp.url);
    const activities = createActivities({ pool: db.pool, mailer: createMailer(smtp.url), clock: () => new Date(), mail: testMail });
    workers = await Promise.all([
      Worker.create({
        connection: env.nativeConnection,
        taskQueue: taskQueues.naturalisation,
        workflowBundle: await workflowBundle(),
        activities,
      }),
      Worker.create({ connection: env.nativeConnection, taskQueue: taskQueues.messages, activities }),
    ]);
    running = Promise.all(workers.map((w) => w.run()));
  });

  afterAll(async () => {
    workers?.forEach((w) => w.shutdown());
    await running;
    await relay?.stop();
    await env?.teardown();
    await smtp?.stop();
    await db?.drop();
  });

  async function fileApplication(email: string) {
    const id = randomUUID();
    const filedOn = toBerlinLocalDate(await env.currentTimeMs());
    await createApplicationQueries(db.pool).insertApplication({
      id,
      authority_id: 'koeln',
      reference: `EBH-TEST-${id.slice(0, 8)}`,
      given_names: 'Lena',
      family_name: 'Petrenko',
      date_of_birth: '1988-09-01',
      email,
      preferred_language: 'uk',
      filed_on: filedOn,
    });
    const handle = await env.client.workflow.start(naturalisationApplication, {
      taskQueue: taskQueues.naturalisation,
      workflowId: naturalisationWorkflowId(id),
      args: [{ applicationId: id, authorityId: 'koeln', filedOn, inactionWarningLeadTimesMs: [28 * day, 7 * day], accessCode: 'TEST-CODE-0001' }],
    });
    return { id, handle, filedOn, reference: `EBH-TEST-${id.slice(0, 8)}` };
  }

  const mailsTo = (recipient: string, reference: string) =>
    smtp.received.filter((m) => m.recipients.includes(recipient) && subjectOf(m).includes(reference));
  const warningsFor = (reference: string) => mailsTo(testMail.teamMailbox, reference).filter((m) => subjectOf(m).includes('Untätigkeitsfrist'));

  /**
   * The result of a workflow that has completed. (Awaiting `handle.result()` on the time-skipping
   * server unlocks time skipping, and with nothing left to wait for the server leaps ten years
   * ahead, which would shift every later test's dates.)
   */
  async function completedState(handle: WorkflowHandle): Promise<NaturalisationState> {
    for (let i = 0; i < 100 && (await handle.describe()).status.name === 'RUNNING'; i++) await new Promise((r) => setTimeout(r, 50));
    expect((await handle.describe()).status.name).toBe('COMPLETED');
    return handle.query(getNaturalisationStateQuery);
  }

  /** Runs a clerk action on the version the workflow reports now. */
  /** Four eyes: one clerk proposes the decision (`decidedBy`), a second confirms it. */
  async function decide(handle: WorkflowHandle, request: Omit<RecordDecisionRequest, 'expectedVersion'>, confirmedBy: string): Promise<NaturalisationState> {
    const proposed = await act(handle, proposeDecisionUpdate, request);
    expect(proposed.decisionProposal).toMatchObject({ outcome: request.outcome, proposedBy: request.decidedBy });
    return act(handle, confirmDecisionUpdate, { actor: confirmedBy });
  }

  async function act<R extends { expectedVersion: number }>(
    handle: WorkflowHandle,
    update: UpdateDefinition<NaturalisationState, [R]>,
    request: Omit<R, 'expectedVersion'>,
  ): Promise<NaturalisationState> {
    const { version } = await handle.query(getNaturalisationStateQuery);
    return handle.executeUpdate(update, { args: [{ ...request, expectedVersion: version } as R] });
  }

  /** Waits (in real time) until `check` holds: activities run between skips. */
  async function waitUntil(check: () => Promise<boolean>, what: string) {
    for (let i = 0; i < 100; i++) {
      if (await check()) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`${what}: not reached`);
  }

  /** Waits (in real time) until the workflow reports the stage: activities run between skips. */
  async function waitForStage(handle: WorkflowHandle, stage: string) {
    for (let i = 0; i < 100; i++) {
      if ((await handle.query(getNaturalisationStateQuery)).stage === stage) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`stage ${stage} not reached`);
  }

  test('the § 75 instants for a concrete filing date: filed 2026-01-15 → warnings 2026-03-18T22:00Z and 2026-04-08T22:00Z, lawsuit possible from 2026-04-16 00:00 in Germany', () => {
    // § 187 Abs. 1 BGB: the period starts on 16 January; § 188 Abs. 2 BGB: it ends on 15 April;
    // the lawsuit is possible from 16 April, 00:00 German summer time (UTC+2).
    const deadline = determineInactionDeadline('2026-01-15');
    expect(deadline).toMatchObject({ periodEndsOn: '2026-04-15', lawsuitPossibleFrom: '2026-04-16', lawsuitPossibleAt: Date.parse('2026-04-15T22:00:00.000Z') });
    // 28 and 7 days before, in milliseconds (the lead times are durations, so across the change to summer time on 29 March the first falls at 23:00 CET).
    expect(determineWarningInstants(deadline, [28 * day, 7 * day]).map((instant) => new Date(instant).toISOString())).toEqual([
      '2026-03-18T22:00:00.000Z',
      '2026-04-08T22:00:00.000Z',
    ]);
  });

  test('undecided: the team is warned exactly 28 and 7 days before the 3-month mark, then the case is flagged "lawsuit possible" at the mark', async () => {
    const { id, handle, reference, filedOn } = await fileApplication('lena@example.org');
    await smtp.waitFor((m) => m.recipients.includes('lena@example.org'));
    await waitForStage(handle, 'completeness_check');

    // The instants, from the filing date by the domain's rules.
    const deadline = determineInactionDeadline(filedOn);
    const [firstWarningAt, secondWarningAt] = determineWarningInstants(deadline, [28 * day, 7 * day]);
    const state = await handle.query(getNaturalisationStateQuery);
    expect(state.deadlines).toEqual({
      inactionPeriodEndsOn: deadline.periodEndsOn,
      lawsuitPossibleFrom: deadline.lawsuitPossibleFrom,
      nextWarningAt: new Date(firstWarningAt).toISOString(),
    });
    expect(deadline.lawsuitPossibleAt).toBe(startOfDayInBerlin(addDays(deadline.periodEndsOn, 1)));
    const projected = async () => (await db.pool.query('SELECT flags, stage, next_due_at FROM case_projections WHERE case_id = $1', [id])).rows[0];
    expect((await projected()).next_due_at.toISOString()).toBe(new Date(deadline.lawsuitPossibleAt).toISOString());

    /** Skips to `margin` ms before (negative) or after `instant`, on the test server's clock. */
    const skipTo = async (instant: number, margin: number) => env.sleep(instant + margin - (await env.currentTimeMs()));
    const warningTimers = async () => (await handle.query(getNaturalisationStateQuery)).deadlines.nextWarningAt;

    // A second before the first warning: its timer is still armed for that instant, nothing sent.
    await skipTo(firstWarningAt, -1_000);
    expect(await warningTimers()).toBe(new Date(firstWarningAt).toISOString());
    expect(warningsFor(reference)).toHaveLength(0);
    // A second after: the warning went out, and the clock waits for the second one.
    await skipTo(firstWarningAt, 1_000);
    await smtp.waitFor((m) => subjectOf(m).includes(`Untätigkeitsfrist: Antrag ${reference}`), 1);
    await waitUntil(async () => (await warningTimers()) === new Date(secondWarningAt).toISOString(), 'the second warning armed');

    await skipTo(secondWarningAt, -1_000);
    expect(warningsFor(reference)).toHaveLength(1);
    await skipTo(secondWarningAt, 1_000);
    await smtp.waitFor((m) => subjectOf(m).includes(`Untätigkeitsfrist: Antrag ${reference}`), 2);

    // A second before the mark: not flagged; a second after: flagged, in the workflow and in the projection.
    await waitUntil(async () => (await warningTimers()) === undefined, 'the warnings done');
    await skipTo(deadline.lawsuitPossibleAt, -1_000);
    expect((await handle.query(getNaturalisationStateQuery)).flags).toEqual(['inaction_warning_sent']);
    await skipTo(deadline.lawsuitPossibleAt, 1_000);
    await waitUntil(async () => (await projected()).flags.includes('lawsuit_possible'), 'the lawsuit flag projected');
    const flagged = await handle.query(getNaturalisationStateQuery);
    expect(flagged.flags).toEqual(['inaction_warning_sent', 'lawsuit_possible']);
    expect(flagged.stage).toBe('completeness_check');
    expect(await projected()).toMatchObject({ flags: ['inaction_warning_sent', 'lawsuit_possible'], stage: 'completeness_check' });
    expect(warningsFor(reference)).toHaveLength(2);

    // The applicant withdraws: the case closes.
    const closed = await decide(handle, { outcome: 'withdrawn', reason: 'Rücknahme', decidedBy: 'clerk-7', refusalFeeEuro: 25 }, 'clerk-8');
    expect(closed.stage).toBe('closed');
    expect(await completedState(handle)).toMatchObject({ stage: 'closed', decision: { outcome: 'withdrawn', fee: { euro: 25 } } });
    await recordHistory('naturalisation-v3-relay-withdrawn-after-mark', handle);
  });

  test('intake in at most 10 history events: projection and acknowledgement in one local activity, delivered by the outbox relay', async () => {
    const { handle, reference, id } = await fileApplication('ines@example.org');
    const [acknowledgement] = await smtp.waitFor((m) => m.recipients.includes('ines@example.org') && subjectOf(m).includes(reference));
    expect(acknowledgement.raw).toContain('TEST-CODE-0001');
    await waitForStage(handle, 'completeness_check');
    const events = (await handle.fetchHistory()).events ?? [];
    expect(events.length).toBeLessThanOrEqual(10);
    // No activity task at all: the projection and the outbox row were one local activity.
    expect(events.filter((e) => e.activityTaskScheduledEventAttributes)).toEqual([]);
    const [row] = await createOutboxQueries(db.pool).listMessagesByCase(id);
    expect(row).toMatchObject({ status: 'sent', kind: 'naturalisation.acknowledgement' });
    expect((await createCaseProjectionQueries(db.pool).findProjectionByCaseId(id))?.stage).toBe('completeness_check');
  });

  test('from intake to handover through almost four months: documents, reminder, expiry, extension, inquiries, follow-up, decision, certificate', async () => {
    const { handle, reference, filedOn } = await fileApplication('yara@example.org');
    const toApplicant = () => mailsTo('yara@example.org', reference);
    const [acknowledgement] = await smtp.waitFor((m) => m.recipients.includes('yara@example.org'));
    expect(acknowledgement.raw).toContain('TEST-CODE-0001');
    await waitForStage(handle, 'completeness_check');
    await act(handle, reassignUpdate, { assignee: 'clerk.yilmaz@test.localhost', actor: 'lead' });

    // Completeness check: the passport is missing, the income proof is eight months old.
    const eightMonthsAgo = toBerlinLocalDate((await env.currentTimeMs()) - 240 * day);
    const checked = await act(handle, completeCheckUpdate, {
      actor: 'clerk.yilmaz@test.localhost',
      checklist: [
        { type: 'passport', status: 'missing' },
        { type: 'income_proof', status: 'present', issuedOn: eightMonthsAgo },
        { type: 'language_certificate', status: 'present', expires: false },
      ],
    });
    expect(checked.stage).toBe('waiting_for_documents');
    expect(checked.waitingFor).toBe('applicant');
    expect(checked.documentRequest).toMatchObject({ missing: ['passport'], outdated: ['income_proof'] });
    expect(checked.flags).toContain('documents_outdated');
    const dueOn = checked.documentRequest!.dueOn;
    const [request] = await smtp.waitFor((m) => m.recipients.includes('yara@example.org') && subjectOf(m).startsWith('Unterlagen'), 1);
    expect(request.raw).toContain(formatGermanDate(dueOn));

    // A week before the deadline: the reminder.
    await env.sleep(startOfDayInBerlin(checked.documentRequest!.reminderOn) + 9 * 3_600_000 - (await env.currentTimeMs()));
    await smtp.waitFor((m) => m.recipients.includes('yara@example.org') && subjectOf(m).startsWith('Erinnerung'), 1);

    // The deadline passes: a clerk task, to the team lead and the assigned clerk.
    await env.sleep(startOfDayInBerlin(dueOn) + 2 * day - (await env.currentTimeMs()));
    const [expired] = await smtp.waitFor((m) => subjectOf(m).includes(`Frist abgelaufen: Unterlagen zu Antrag ${reference}`), 1);
    expect(expired.recipients.sort()).toEqual(['clerk.yilmaz@test.localhost', testMail.teamMailbox]);
    let state = await handle.query(getNaturalisationStateQuery);
    expect(state.flags).toContain('document_deadline_expired');
    expect(state.waitingFor).toBe('authority');

    // The clerk extends; the documents arrive; the inquiries go out.
    const today = toBerlinLocalDate(await env.currentTimeMs());
    state = await act(handle, extendDocumentDeadlineUpdate, { actor: 'clerk.yilmaz@test.localhost', dueOn: addDays(today, 14) });
    expect(state.flags).not.toContain('document_deadline_expired');
    await env.sleep(5 * day);
    state = await act(handle, recordDocumentsUpdate, {
      actor: 'clerk.yilmaz@test.localhost',
      received: [
        { type: 'passport', status: 'present', expires: false },
        { type: 'income_proof', status: 'present', issuedOn: toBerlinLocalDate(await env.currentTimeMs()) },
      ],
    });
    expect(state.stage).toBe('inquiries');
    expect(state.inquiries?.map((i) => i.kind)).toEqual(['regelanfrage', 'register_extract']);
    expect(state.flags).not.toContain('documents_outdated');

    // Six weeks without answers: follow-ups for both.
    await env.sleep(43 * day);
    await smtp.waitFor((m) => subjectOf(m).startsWith('Nachfassen') && subjectOf(m).includes(reference), 2);
    state = await handle.query(getNaturalisationStateQuery);
    expect(state.flags).toContain('inquiry_overdue');
    expect(state.waitingFor).toBe('other_agency');

    const answeredOn = toBerlinLocalDate(await env.currentTimeMs());
    await act(handle, recordInquiryAnswerUpdate, { actor: 'clerk.yilmaz@test.localhost', inquiry: 'regelanfrage', result: 'no_findings', answeredOn });
    state = await act(handle, recordInquiryAnswerUpdate, { actor: 'clerk.yilmaz@test.localhost', inquiry: 'register_extract', result: 'no_findings', answeredOn });
    expect(state.stage).toBe('decision');
    expect(state.flags).not.toContain('inquiry_overdue');

    // Four eyes: no decision in one step; the clerk who recorded the answers neither proposes nor
    // confirms it; the proposer does not confirm their own proposal.
    const refusalOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: WorkflowUpdateFailedError) => (error.cause as ApplicationFailure).type);
    const approval = { outcome: 'approved' as const, reason: '§ 10 Abs. 1 StAG erfüllt' };
    expect(await refusalOf(act(handle, recordDecisionUpdate, { ...approval, decidedBy: 'clerk.demir@test.localhost' }))).toBe('naturalisation.confirmation_required');
    expect(await refusalOf(act(handle, proposeDecisionUpdate, { ...approval, decidedBy: 'clerk.yilmaz@test.localhost' }))).toBe('naturalisation.four_eyes');
    expect(await refusalOf(act(handle, confirmDecisionUpdate, { actor: 'clerk.weber@test.localhost' }))).toBe('naturalisation.no_proposal');
    state = await act(handle, proposeDecisionUpdate, { ...approval, decidedBy: 'clerk.demir@test.localhost' });
    expect(state).toMatchObject({ stage: 'decision', decisionProposal: { ...approval, proposedBy: 'clerk.demir@test.localhost' } });
    expect(await refusalOf(act(handle, confirmDecisionUpdate, { actor: 'clerk.demir@test.localhost' }))).toBe('naturalisation.four_eyes');
    expect(await refusalOf(act(handle, confirmDecisionUpdate, { actor: 'clerk.yilmaz@test.localhost' }))).toBe('naturalisation.four_eyes');
    expect((await handle.query(getNaturalisationStateQuery)).version).toBe(state.version);
    state = await act(handle, confirmDecisionUpdate, { actor: 'clerk.weber@test.localhost' });
    expect(state.stage).toBe('certificate');
    expect(state.decision).toMatchObject({ outcome: 'approved', decidedBy: 'clerk.demir@test.localhost', confirmedBy: 'clerk.weber@test.localhost' });
    expect(state.decisionProposal).toBeNull();
    expect(state.decision?.fee).toEqual({ euro: 255, basis: '§ 38 Abs. 2 StAG (verify the amounts)' });
    await smtp.waitFor((m) => m.recipients.includes('yara@example.org') && subjectOf(m).startsWith('Entscheidung'), 1);

    // Decided before the § 75 mark: no "lawsuit possible", however long the certificate takes.
    await env.sleep(30 * day);
    state = await handle.query(getNaturalisationStateQuery);
    expect(state.flags).not.toContain('lawsuit_possible');

    const at = new Date((await env.currentTimeMs()) + 10 * day).toISOString();
    state = await act(handle, scheduleAppointmentUpdate, { actor: 'clerk.yilmaz@test.localhost', at, place: 'Rathaus, Saal 2' });
    await smtp.waitFor((m) => m.recipients.includes('yara@example.org') && subjectOf(m).startsWith('Termin'), 1);
    await env.sleep(10 * day);
    const handedOverOn = toBerlinLocalDate(await env.currentTimeMs());
    state = await act(handle, recordHandoverUpdate, { actor: 'clerk.yilmaz@test.localhost', handedOverOn });
    expect(state.stage).toBe('closed');
    const final = await completedState(handle);
    expect(final.naturalisedOn).toBe(handedOverOn);
    // The whole procedure ran past the three-month mark of § 75 Satz 2 VwGO.
    expect((await env.currentTimeMs()) - startOfDayInBerlin(filedOn)).toBeGreaterThan(110 * day);

    // Every milestone letter reached the applicant exactly once, German first.
    const subjects = toApplicant().map((m) => subjectOf(m).split(' / ')[0].replace(/ ?EBH-TEST-\w+/, '').trim());
    expect(subjects).toEqual([
      'Eingangsbestätigung Ihres Einbürgerungsantrags',
      'Unterlagen für Ihren Einbürgerungsantrag',
      'Erinnerung: Unterlagen für Ihren Einbürgerungsantrag',
      'Entscheidung über Ihren Einbürgerungsantrag',
      'Termin zur Aushändigung Ihrer Einbürgerungsurkunde',
    ]);
    await recordHistory('naturalisation-v3-relay-intake-to-handover', handle);
    // Issue #11: a whole procedure from intake to handover in at most 100 history events. The
    // time-skipping server records a workflow task for each refused update above (five), which a
    // real server drops (speculative workflow tasks): those are not counted.
    const events = (await handle.fetchHistory()).events ?? [];
    const emptyTasks = events.filter((e, i) => e.workflowTaskCompletedEventAttributes && (i + 1 === events.length || events[i + 1]!.workflowTaskScheduledEventAttributes)).length;
    expect(emptyTasks).toBe(5);
    expect(events.length - 3 * emptyTasks).toBeLessThanOrEqual(100);
  });

  test('refused before anything changes: a decision in the wrong stage or while suspended, a stale version, an invalid fee', async () => {
    const { handle } = await fileApplication('sara@example.org');
    await smtp.waitFor((m) => m.recipients.includes('sara@example.org'));
    await waitForStage(handle, 'completeness_check');
    // The § 75 clock has armed its first warning.
    for (let i = 0; i < 100 && !(await handle.query(getNaturalisationStateQuery)).deadlines.nextWarningAt; i++) await new Promise((r) => setTimeout(r, 50));
    const refusal = (promise: Promise<unknown>) =>
      promise.then(
        () => undefined,
        (error: WorkflowUpdateFailedError) => ({ type: (error.cause as ApplicationFailure).type, message: error.cause?.message }),
      );
    const before = await handle.query(getNaturalisationStateQuery);
    const decide = (request: Partial<RecordDecisionRequest>) =>
      refusal(handle.executeUpdate(recordDecisionUpdate, {
        args: [{ outcome: 'approved', reason: 'x', decidedBy: 'clerk-1', expectedVersion: before.version, ...request } as RecordDecisionRequest],
      }));

    expect(await decide({ expectedVersion: before.version + 5 })).toEqual({
      type: 'naturalisation.version_conflict', message: expect.stringMatching(/changed since it was read/),
    });
    expect(await decide({ outcome: 'granted' as never })).toEqual({ type: 'naturalisation.invalid_decision', message: 'unknown outcome granted' });
    expect(await decide({})).toEqual({ type: 'naturalisation.wrong_stage', message: 'no approved decision in stage completeness_check' });
    expect(await decide({ outcome: 'withdrawn', refusalFeeEuro: 300 })).toEqual({
      type: 'naturalisation.invalid_fee', message: 'the fee on withdrawn must lie between 25 and 255 euros',
    });
    expect(await handle.query(getNaturalisationStateQuery)).toEqual(before);

    // § 12a Abs. 3 StAG: a pending investigation suspends the decision.
    const suspended = await act(handle, suspendUpdate, { actor: 'clerk-1', reason: 'Ermittlungsverfahren anhängig' });
    expect(suspended.suspended).toMatchObject({ reason: 'Ermittlungsverfahren anhängig' });
    const whileSuspended = await refusal(handle.executeUpdate(completeCheckUpdate, {
      args: [{ actor: 'clerk-1', checklist: [{ type: 'passport', status: 'present' }], expectedVersion: suspended.version }],
    }));
    expect(whileSuspended).toEqual({ type: 'naturalisation.suspended', message: expect.stringMatching(/suspended/) });
    const resumed = await act(handle, resumeUpdate, { actor: 'clerk-1' });
    expect(resumed.suspended).toBeNull();
    const { rows } = await db.pool.query('SELECT suspended FROM case_projections WHERE case_id = $1', [before.applicationId]);
    expect(rows[0].suspended).toBe(false);
  });
});
