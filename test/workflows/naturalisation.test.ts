import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import { createApplicationQueries } from '../../db/queries/applications';
import { startOfDayInBerlin, toBerlinLocalDate } from '../../domain/calendar/berlinTime';
import { createMailer } from '../../worker/mailer';
import { naturalisationApplication } from '../../workflows/naturalisation';
import {
  getNaturalisationStateQuery,
  naturalisationWorkflowId,
  recordDecisionUpdate,
  taskQueues,
} from '../../workflows/naturalisationDefinitions';
import { serialiseHistory } from '../support/histories';
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

  beforeAll(async () => {
    [env, db, smtp] = await Promise.all([createTimeSkippingEnvironment(), createTestDatabase(), startTestSmtp()]);
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
      args: [{ applicationId: id, authorityId: 'koeln', filedOn, inactionWarningLeadTimesMs: [28 * day, 7 * day] }],
    });
    return { id, handle, filedOn };
  }

  const warningsFor = (reference: string) => smtp.received.filter((m) => m.recipients.includes(testMail.teamMailbox) && subjectOf(m).includes(reference));

  test('undecided: the team is warned 28 and 7 days before the 3-month mark, then the case is flagged "lawsuit possible"', async () => {
    const { id, handle } = await fileApplication('lena@example.org');
    const reference = `EBH-TEST-${id.slice(0, 8)}`;
    await smtp.waitFor((m) => m.recipients.includes('lena@example.org'));

    const state = await handle.query(getNaturalisationStateQuery);
    const lawsuitAt = startOfDayInBerlin(state.deadlines.lawsuitPossibleFrom);
    const startedAt = await env.currentTimeMs();
    // The mark lies three calendar months after filing: 89 to 92 days.
    expect((lawsuitAt - startedAt) / day).toBeGreaterThan(88);
    expect((lawsuitAt - startedAt) / day).toBeLessThan(93);

    // Two days before the first warning: nothing yet.
    await env.sleep(lawsuitAt - 30 * day - startedAt);
    expect(warningsFor(reference)).toHaveLength(0);

    // Past the first warning (28 days before the mark).
    await env.sleep(3 * day);
    await smtp.waitFor((m) => subjectOf(m).includes(reference), 1);
    expect(warningsFor(reference)).toHaveLength(1);
    expect(subjectOf(warningsFor(reference)[0])).toContain(`Untätigkeitsfrist: Antrag ${reference}`);

    // Past the second warning (7 days before).
    await env.sleep(21 * day);
    await smtp.waitFor((m) => subjectOf(m).includes(reference), 2);

    // Past the mark: flagged, in the workflow and in the projection.
    await env.sleep(8 * day);
    const flagged = await handle.query(getNaturalisationStateQuery);
    expect(flagged.flags).toEqual(['inaction_warning_sent', 'lawsuit_possible']);
    expect(flagged.stage).toBe('in_progress');
    const { rows } = await db.pool.query('SELECT flags, stage FROM case_projections WHERE case_id = $1', [id]);
    expect(rows[0]).toEqual({ flags: ['inaction_warning_sent', 'lawsuit_possible'], stage: 'in_progress' });
    expect(warningsFor(reference)).toHaveLength(2);

    // A decision still closes the case.
    const decided = await handle.executeUpdate(recordDecisionUpdate, {
      args: [{ outcome: 'approved', reason: 'criteria met', decidedBy: 'clerk-7', expectedVersion: flagged.version }],
    });
    expect(decided.stage).toBe('decided');
    await expect(handle.result()).resolves.toMatchObject({ stage: 'decided' });
    await recordHistory('naturalisation-warned-then-decided', handle);
  });

  test('decided within a month: no warning is ever sent, and the workflow ends', async () => {
    const { id, handle } = await fileApplication('omar@example.org');
    const reference = `EBH-TEST-${id.slice(0, 8)}`;
    await smtp.waitFor((m) => m.recipients.includes('omar@example.org'));
    await env.sleep(30 * day);
    const state = await handle.query(getNaturalisationStateQuery);
    await handle.executeUpdate(recordDecisionUpdate, {
      args: [{ outcome: 'refused', reason: '§ 10 Abs. 1 Satz 1 Nr. 3 StAG not met', decidedBy: 'clerk-2', expectedVersion: state.version }],
    });
    const final = await handle.result();
    expect(final.decision).toMatchObject({ outcome: 'refused', decidedBy: 'clerk-2' });
    expect(final.flags).toEqual([]);
    // Three months and more later: still no warning for this case.
    await env.sleep(70 * day);
    expect(warningsFor(reference)).toHaveLength(0);
    const { rows } = await db.pool.query('SELECT kind FROM outbox WHERE case_id = $1', [id]);
    expect(rows).toEqual([{ kind: 'naturalisation.acknowledgement' }]);
    await recordHistory('naturalisation-decided-early', handle);
  });

  test('a decision the workflow does not allow is refused before anything changes', async () => {
    const { handle } = await fileApplication('sara@example.org');
    await smtp.waitFor((m) => m.recipients.includes('sara@example.org'));
    // The mail arrives a moment before the workflow records the delivery and moves on.
    await env.sleep(day);
    const before = await handle.query(getNaturalisationStateQuery);
    expect(before.stage).toBe('in_progress');
    const refusal = (promise: Promise<unknown>) =>
      promise.then(
        () => undefined,
        (error: WorkflowUpdateFailedError) => ({ type: (error.cause as ApplicationFailure).type, message: error.cause?.message }),
      );
    expect(
      await refusal(handle.executeUpdate(recordDecisionUpdate, {
        args: [{ outcome: 'approved', reason: 'x', decidedBy: 'clerk-1', expectedVersion: before.version + 5 }],
      })),
    ).toEqual({ type: 'naturalisation.version_conflict', message: expect.stringMatching(/changed since it was read/) });
    expect(
      await refusal(handle.executeUpdate(recordDecisionUpdate, {
        args: [{ outcome: 'granted' as never, reason: 'x', decidedBy: 'clerk-1', expectedVersion: before.version }],
      })),
    ).toEqual({ type: 'naturalisation.invalid_decision', message: 'unknown outcome granted' });
    expect(await handle.query(getNaturalisationStateQuery)).toEqual(before);
  });
});
