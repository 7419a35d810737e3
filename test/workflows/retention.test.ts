import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { createApplicationQueries } from '../../db/queries/applications';
import { createCaseProjectionQueries } from '../../db/queries/caseProjections';
import { createOutboxQueries } from '../../db/queries/outbox';
import { createRetentionQueries } from '../../db/queries/retention';
import { createMailer } from '../../worker/mailer';
import { taskQueues } from '../../workflows/naturalisationDefinitions';
import { retentionSweep } from '../../workflows/retention';
import { createTestDatabase } from '../support/postgres';
import { startTestSmtp } from '../support/smtp';
import { testMail } from '../support/system';
import { createTimeSkippingEnvironment, workflowBundle } from '../support/temporal';

const day = 86_400_000;

/**
 * The retention sweep on the time-skipping server, against PostgreSQL: closed cases keep their
 * personal data for the configured period, then are anonymised or deleted, and the audit trail
 * records what was removed.
 */
describe('retention of closed cases (time skipping)', () => {
  let env: TestWorkflowEnvironment;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let smtp: Awaited<ReturnType<typeof startTestSmtp>>;
  let worker: Worker;
  let running: Promise<void>;

  beforeAll(async () => {
    [env, db, smtp] = await Promise.all([createTimeSkippingEnvironment(), createTestDatabase(), startTestSmtp()]);
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: taskQueues.naturalisation,
      workflowBundle: await workflowBundle(),
      activities: createActivities({ pool: db.pool, mailer: createMailer(smtp.url), clock: () => new Date(), mail: testMail }),
    });
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
    await smtp?.stop();
    await db?.drop();
  });

  /** A case of `authorityId` decided at `decidedAt`, with a letter in the outbox. */
  async function closedCase(authorityId: string, decidedAt: number, stage = 'decided') {
    const id = randomUUID();
    await createApplicationQueries(db.pool).insertApplication({
      id, authority_id: authorityId, reference: `EBH-R-${id.slice(0, 8)}`, given_names: 'Yusuf', family_name: 'Demir',
      date_of_birth: '1979-03-03', email: `${id}@example.org`, preferred_language: 'tr', filed_on: '2026-01-05',
    });
    await createCaseProjectionQueries(db.pool).upsertProjectionIfNewer({
      caseId: id, caseType: 'naturalisation', authorityId, workflowId: `naturalisation/${id}`, version: 5, stage,
      waitingFor: null, flags: [], deadlines: {},
      decision: stage === 'decided' ? { outcome: 'approved', reason: 'Herr Demir erfüllt alle Voraussetzungen', decidedBy: 'clerk-1', decidedAt: new Date(decidedAt).toISOString() } : null,
    });
    await createOutboxQueries(db.pool).insertMessageOnce({
      messageKey: `${id}/acknowledgement/1`, caseId: id, kind: 'naturalisation.acknowledgement', recipient: `${id}@example.org`,
      subject: 'Eingangsbestätigung', bodyText: 'Guten Tag Yusuf Demir', messageId: `<${id}@test>`,
    });
    return id;
  }

  test('anonymises after the period where the authority says so, deletes where it says so, leaves open cases alone', async () => {
    const now = await env.currentTimeMs();
    const retention = createRetentionQueries(db.pool);
    await retention.upsertRetentionSetting({ authorityId: 'koeln', caseType: 'naturalisation', retainDays: 30, action: 'anonymise', updatedBy: 'admin' });
    await retention.upsertRetentionSetting({ authorityId: 'bonn', caseType: 'naturalisation', retainDays: 60, action: 'delete', updatedBy: 'admin' });
    const koelnCase = await closedCase('koeln', now);
    const bonnCase = await closedCase('bonn', now);
    const openCase = await closedCase('koeln', now, 'in_progress');
    const defaultCase = await closedCase('dueren', now); // no setting: the default (ten years)

    const handle = await env.client.workflow.start(retentionSweep, {
      taskQueue: taskQueues.naturalisation,
      workflowId: `retention/${randomUUID()}`,
      args: [{ sweepsSoFar: 0 }],
    });
    const application = (id: string) => createApplicationQueries(db.pool).findApplicationById(id);

    await env.sleep(29 * day);
    expect((await application(koelnCase))?.family_name).toBe('Demir');

    await env.sleep(3 * day);
    const anonymised = await application(koelnCase);
    expect(anonymised).toMatchObject({ given_names: '', family_name: '', email: '', date_of_birth: null, authority_id: 'koeln', filed_on: '2026-01-05' });
    expect(anonymised?.anonymised_at).toBeInstanceOf(Date);
    const projection = await createCaseProjectionQueries(db.pool).findProjectionByCaseId(koelnCase);
    expect(projection?.decision).toEqual({ outcome: 'approved', decidedBy: 'clerk-1', decidedAt: new Date(now).toISOString() });
    const letters = await createOutboxQueries(db.pool).listMessagesByCase(koelnCase);
    expect(letters.map((l) => [l.recipient, l.body_text])).toEqual([['', '']]);
    expect((await application(bonnCase))?.family_name).toBe('Demir');

    await env.sleep(30 * day);
    expect(await application(bonnCase)).toBeUndefined();
    expect(await createCaseProjectionQueries(db.pool).findProjectionByCaseId(bonnCase)).toBeUndefined();
    expect(await createOutboxQueries(db.pool).listMessagesByCase(bonnCase)).toEqual([]);
    expect((await application(openCase))?.family_name).toBe('Demir');
    expect((await application(defaultCase))?.family_name).toBe('Demir');

    const { rows } = await db.pool.query(
      "SELECT action, case_id, authority_id, detail->>'retainDays' AS days FROM audit_log WHERE actor = 'system:retention' ORDER BY id",
    );
    expect(rows).toEqual([
      { action: 'retention.anonymise', case_id: koelnCase, authority_id: 'koeln', days: '30' },
      { action: 'retention.delete', case_id: bonnCase, authority_id: 'bonn', days: '60' },
    ]);
    await handle.terminate('test done');
  });
});
