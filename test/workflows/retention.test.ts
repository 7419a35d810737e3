import { randomBytes, randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import pino from 'pino';
import { createActivities } from '../../activities';
import type { ApiDependencies } from '../../api/deps';
import { registerApplication } from '../../api/naturalisation/applicationService';
import { createApplicationQueries } from '../../db/queries/applications';
import { createCaseProjectionQueries } from '../../db/queries/caseProjections';
import { createOutboxQueries } from '../../db/queries/outbox';
import { createRetentionQueries } from '../../db/queries/retention';
import { toBerlinLocalDate } from '../../domain/calendar/berlinTime';
import { inquiryKinds } from '../../domain/naturalisation/stages';
import { createMailer } from '../../worker/mailer';
import {
  completeCheckUpdate,
  getNaturalisationStateQuery,
  naturalisationWorkflowId,
  proposeDecisionUpdate,
  confirmDecisionUpdate,
  type RecordDecisionRequest,
  recordHandoverUpdate,
  recordInquiryAnswerUpdate,
  scheduleAppointmentUpdate,
  taskQueues,
  type NaturalisationState,
} from '../../workflows/naturalisationDefinitions';
import { retentionSweep } from '../../workflows/retention';
import { housekeepingTaskQueue } from '../../workflows/taskQueues';
import { createTestDatabase } from '../support/postgres';
import { startTestSmtp } from '../support/smtp';
import { testMail } from '../support/system';
import { createTimeSkippingEnvironment, workflowBundle } from '../support/temporal';

const day = 86_400_000;

/**
 * The retention sweep on the time-skipping server, against PostgreSQL: cases registered through
 * the service and run by today's workflow to their end — refused, withdrawn, handed over — keep
 * their personal data for the configured period, then are anonymised or deleted, and the audit
 * trail records what was removed. Open cases are never touched.
 */
describe('retention of closed cases (time skipping)', () => {
  let env: TestWorkflowEnvironment;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let smtp: Awaited<ReturnType<typeof startTestSmtp>>;
  let workers: Worker[];
  let running: Promise<unknown>;
  let deps: ApiDependencies;

  beforeAll(async () => {
    [env, db, smtp] = await Promise.all([createTimeSkippingEnvironment(), createTestDatabase(), startTestSmtp()]);
    const activities = createActivities({ pool: db.pool, mailer: createMailer(smtp.url), clock: () => new Date(), mail: testMail });
    const bundle = await workflowBundle();
    workers = await Promise.all([
      Worker.create({ connection: env.nativeConnection, taskQueue: taskQueues.naturalisation, workflowBundle: bundle, activities }),
      Worker.create({ connection: env.nativeConnection, taskQueue: housekeepingTaskQueue, workflowBundle: bundle, activities }),
      Worker.create({ connection: env.nativeConnection, taskQueue: taskQueues.messages, activities }),
    ]);
    running = Promise.all(workers.map((w) => w.run()));
    deps = {
      pool: db.pool,
      temporal: env.client,
      logger: pino({ level: 'silent' }),
      clock: () => new Date(),
      settings: { inactionWarningLeadTimesMs: [28 * day, 7 * day], accessCodes: { pepper: randomBytes(32) } },
    } as unknown as ApiDependencies;
  });
  afterAll(async () => {
    workers?.forEach((w) => w.shutdown());
    await running;
    await env?.teardown();
    await smtp?.stop();
    await db?.drop();
  });

  const principal = (authorityId: string) => ({ subject: `clerk-${authorityId}`, roles: ['ebh_clerk' as const], authorityId });

  /** Registers an application of `authorityId` through the service; its workflow starts. */
  async function register(authorityId: string) {
    const email = `${randomUUID()}@example.org`;
    const { view } = await registerApplication(deps, principal(authorityId), {
      applicant: { givenNames: 'Yusuf', familyName: 'Demir', dateOfBirth: '1979-03-03', email, preferredLanguage: 'tr' },
    } as never, undefined);
    const handle = env.client.workflow.getHandle(naturalisationWorkflowId(view.id));
    await waitFor(handle, (s) => s.stage === 'completeness_check');
    return { id: view.id, handle };
  }

  async function waitFor(handle: WorkflowHandle, predicate: (state: NaturalisationState) => boolean) {
    for (let i = 0; i < 200; i++) {
      if (predicate(await handle.query(getNaturalisationStateQuery))) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the workflow did not reach the expected state');
  }

  async function act<R extends { expectedVersion: number }>(handle: WorkflowHandle, update: UpdateDefinition<NaturalisationState, [R]>, request: Omit<R, 'expectedVersion'>) {
    const { version } = await handle.query(getNaturalisationStateQuery);
    return handle.executeUpdate(update, { args: [{ ...request, expectedVersion: version } as R] });
  }

  /** Four eyes: a clerk proposes the decision (`decidedBy`), a second one confirms it. */
  async function decide(handle: WorkflowHandle, request: Omit<RecordDecisionRequest, 'expectedVersion'>) {
    await act(handle, proposeDecisionUpdate, request);
    return act(handle, confirmDecisionUpdate, { actor: 'clerk-confirming' });
  }

  /** Completeness check with every document present, and both agency answers: the case awaits its decision. */
  async function toDecision(handle: WorkflowHandle) {
    const today = toBerlinLocalDate(await env.currentTimeMs());
    await act(handle, completeCheckUpdate, { actor: 'clerk-1', checklist: [{ type: 'passport', status: 'present', issuedOn: today }] } as never);
    for (const inquiry of inquiryKinds) {
      await act(handle, recordInquiryAnswerUpdate, { actor: 'clerk-1', inquiry, result: 'no_findings', answeredOn: today, note: 'Herr Demir: keine Erkenntnisse' });
    }
  }

  /** Waits until the workflow has written its final projection. */
  async function projected(id: string, stage: string) {
    for (let i = 0; i < 200; i++) {
      if ((await createCaseProjectionQueries(db.pool).findProjectionByCaseId(id))?.stage === stage) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`case ${id} never projected stage ${stage}`);
  }

  test('closed cases (refused, withdrawn, handed over) are anonymised or deleted after their period; open cases are left alone', async () => {
    const retention = createRetentionQueries(db.pool);
    await retention.upsertRetentionSetting({ authorityId: 'koeln', caseType: 'naturalisation', retainDays: 30, action: 'anonymise', updatedBy: 'admin' });
    await retention.upsertRetentionSetting({ authorityId: 'bonn', caseType: 'naturalisation', retainDays: 60, action: 'delete', updatedBy: 'admin' });

    const refused = await register('koeln');
    await toDecision(refused.handle);
    await decide(refused.handle, { outcome: 'refused', reason: 'Herr Demir bezieht Leistungen nach dem SGB II', decidedBy: 'clerk-2', refusalFeeEuro: 25 });

    const withdrawn = await register('bonn');
    await decide(withdrawn.handle, { outcome: 'withdrawn', reason: 'Herr Demir zieht zurück', decidedBy: 'clerk-2', refusalFeeEuro: 25 });

    const handedOver = await register('koeln');
    await toDecision(handedOver.handle);
    await decide(handedOver.handle, { outcome: 'approved', reason: 'Herr Demir erfüllt alle Voraussetzungen', decidedBy: 'clerk-2' });
    const appointmentAt = (await env.currentTimeMs()) + 2 * day;
    await act(handedOver.handle, scheduleAppointmentUpdate, { actor: 'clerk-1', at: new Date(appointmentAt).toISOString(), place: 'Rathaus, Raum 1' });

    const open = await register('koeln');
    const defaultCase = await register('dueren'); // no setting: the default (ten years)
    await toDecision(defaultCase.handle);
    await decide(defaultCase.handle, { outcome: 'refused', reason: 'Herr Demir bezieht Leistungen', decidedBy: 'clerk-3', refusalFeeEuro: 25 });

    const handle = await env.client.workflow.start(retentionSweep, {
      taskQueue: housekeepingTaskQueue,
      workflowId: `retention/${randomUUID()}`,
      args: [{ sweepsSoFar: 0 }],
    });
    const application = (id: string) => createApplicationQueries(db.pool).findApplicationById(id);
    const auditedRemovals = async () =>
      (await db.pool.query("SELECT action, case_id, authority_id, detail->>'retainDays' AS days FROM audit_log WHERE actor = 'system:retention' ORDER BY id")).rows;

    // The handover two days later closes the third case (§ 16 StAG).
    await env.sleep(3 * day);
    await act(handedOver.handle, recordHandoverUpdate, { actor: 'clerk-1', handedOverOn: toBerlinLocalDate(await env.currentTimeMs()) });
    await Promise.all([projected(refused.id, 'closed'), projected(withdrawn.id, 'closed'), projected(handedOver.id, 'closed'), projected(defaultCase.id, 'closed')]);

    // 29 days after the refusal: nothing is removed yet (the sweeps of those days ran).
    await env.sleep(26 * day);
    expect((await application(refused.id))?.family_name).toBe('Demir');
    expect(await auditedRemovals()).toEqual([]);

    // Past 30 days (and the next daily sweep): the refused case is anonymised, with every free text about the person.
    await env.sleep(2 * day);
    const anonymised = await application(refused.id);
    expect(anonymised).toMatchObject({ given_names: '', family_name: '', email: '', date_of_birth: null, authority_id: 'koeln' });
    expect(anonymised?.anonymised_at).toBeInstanceOf(Date);
    const projection = await createCaseProjectionQueries(db.pool).findProjectionByCaseId(refused.id);
    expect(projection?.stage).toBe('closed');
    expect(projection?.decision).toMatchObject({ outcome: 'refused', decidedBy: 'clerk-2' });
    expect(projection?.decision).not.toHaveProperty('reason');
    expect(JSON.stringify(projection?.details)).not.toContain('Demir');
    const letters = await createOutboxQueries(db.pool).listMessagesByCase(refused.id);
    expect(letters.length).toBeGreaterThanOrEqual(2);
    expect(letters.every((l) => l.recipient === '' && l.body_text === '' && l.subject === '')).toBe(true);
    // The handed-over case closed three days later: still kept.
    expect((await application(handedOver.id))?.family_name).toBe('Demir');

    await env.sleep(3 * day);
    expect((await application(handedOver.id))?.family_name).toBe('');

    // Bonn deletes its withdrawn case after 60 days.
    expect((await application(withdrawn.id))?.family_name).toBe('Demir');
    await env.sleep(30 * day);
    expect(await application(withdrawn.id)).toBeUndefined();
    expect(await createCaseProjectionQueries(db.pool).findProjectionByCaseId(withdrawn.id)).toBeUndefined();
    expect(await createOutboxQueries(db.pool).listMessagesByCase(withdrawn.id)).toEqual([]);
    expect((await application(open.id))?.family_name).toBe('Demir');
    expect((await application(defaultCase.id))?.family_name).toBe('Demir');

    expect(await auditedRemovals()).toEqual([
      { action: 'retention.anonymise', case_id: refused.id, authority_id: 'koeln', days: '30' },
      { action: 'retention.anonymise', case_id: handedOver.id, authority_id: 'koeln', days: '30' },
      { action: 'retention.delete', case_id: withdrawn.id, authority_id: 'bonn', days: '60' },
    ]);
    await handle.terminate('test done');
  });
});
