import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { failureConverterPath, createDataConverter, EncryptionCodec } from '../../security/payloadCodec';
import { loadPayloadKeys } from '../../security/payloadKeys';
import { createMailer } from '../../worker/mailer';
import { createWorkers } from '../../worker/run';
import { naturalisationWorkflowId, taskQueues } from '../../workflows/naturalisationDefinitions';
import { startSystem, testMail, validApplicationBody } from '../support/system';
import { workflowBundle } from '../support/temporal';

const base = '/api/v1/naturalisation/applications';
const quiet = { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: console.error };

/**
 * A case started on workflow version 1 (before the procedure stages) is decided through the API
 * with four eyes: one clerk proposes, a second confirms, then the v1 workflow records it. The
 * case is started the way such cases were: by a worker of the old deployment (the v1 entry,
 * test/support/naturalisationFirstVersionWorkflow.ts); today's workers then take it over and
 * replay it as version 1 (`patched()` is false for its history).
 */
describe('decision of a workflow-version-1 case', () => {
  let system: Awaited<ReturnType<typeof startSystem>>;
  let connection: NativeConnection;
  let current: Awaited<ReturnType<typeof createWorkers>> | undefined;
  let currentRunning: Promise<void> | undefined;

  beforeAll(async () => {
    system = await startSystem({ inProcessWorker: false });
    connection = await NativeConnection.connect({ address: system.temporalServer.address });
  });
  afterAll(async () => {
    current?.shutdown();
    await currentRunning;
    await connection?.close();
    await system?.stop();
  });

  test('two different clerks decide it (proposal, confirmation); one clerk alone is refused', async () => {
    const dataConverter = createDataConverter(new EncryptionCodec(loadPayloadKeys({ env: system.payloadKeysEnv, dataDir: '/nonexistent' })));
    const mailer = createMailer(system.smtp.url);
    const starter = { client: system.temporal, inactionWarningLeadTimesMs: system.deps.settings.inactionWarningLeadTimesMs };
    const workerParts = { connection, namespace: 'default', pool: system.db.pool, mailer, mail: testMail, dataConverter, starter };

    // The old deployment: the v1 workflow on the naturalisation queue, delivery as today.
    const delivery = await createWorkers({ ...workerParts, workflowBundle: await workflowBundle(), taskQueues: ['messages'] });
    const deliveryRunning = delivery.run();
    const oldWorker = await Worker.create({
      connection,
      namespace: 'default',
      taskQueue: taskQueues.naturalisation,
      dataConverter,
      workflowBundle: await bundleWorkflowCode({ workflowsPath: require.resolve('../support/naturalisationFirstVersionWorkflow'), failureConverterPath, logger: quiet as never }),
      activities: createActivities({ pool: system.db.pool, mailer, clock: () => new Date(), mail: testMail }),
    });
    const oldRunning = oldWorker.run();
    const created = await system.request('POST', base, validApplicationBody());
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const viewOf = async () => (await system.request('GET', `${base}/${id}`)).body;
    let view = await viewOf();
    for (let i = 0; i < 200 && view.stage !== 'in_progress'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      view = await viewOf();
    }
    expect(view.stage).toBe('in_progress'); // a stage only version 1 reports
    oldWorker.shutdown();
    await oldRunning;

    // Today's workers take the run over.
    current = await createWorkers({ ...workerParts, workflowBundle: await workflowBundle(), taskQueues: [taskQueues.naturalisation] });
    currentRunning = current.run();

    const clerk = async (subject: string) => ({ authorization: `Bearer ${await system.tokenFor(['ebh_clerk'], 'koeln', subject)}` });
    const proposer = await clerk('clerk-weber');
    const second = await clerk('clerk-yilmaz');
    // An approval needs the eligibility evaluation of the decision day, as on version 2.
    const approval = await system.request('POST', `${base}/${id}/decision`, { outcome: 'approved', reason: 'Voraussetzungen erfüllt', expectedVersion: view.version }, proposer);
    expect([approval.status, approval.body.code]).toEqual([409, 'naturalisation.eligibility_missing']);
    const proposed = await system.request('POST', `${base}/${id}/decision`, { outcome: 'refused', reason: 'Lebensunterhalt nicht gesichert', expectedVersion: view.version }, proposer);
    expect(proposed.status).toBe(200);
    expect(proposed.body.stage).toBe('in_progress');
    expect(proposed.body.decision).toBeNull();
    // The case view shows the pending proposal where a version 2 case shows its own.
    expect(proposed.body.details.decisionProposal).toMatchObject({ outcome: 'refused', reason: 'Lebensunterhalt nicht gesichert', proposedBy: 'clerk-weber' });
    const seen = await system.request('GET', `${base}/${id}`, undefined, second);
    expect(seen.body.details.decisionProposal).toEqual(proposed.body.details.decisionProposal);
    expect(Date.parse(seen.body.details.decisionProposal.proposedAt)).not.toBeNaN();

    // The proposer alone cannot make it take effect.
    const alone = await system.request('POST', `${base}/${id}/decision/confirmation`, { expectedVersion: view.version }, proposer);
    expect(alone.status).toBe(403);
    expect(alone.body.code).toBe('naturalisation.four_eyes');
    const state = await system.temporal.workflow.getHandle(naturalisationWorkflowId(id)).query('getNaturalisationState');
    expect(state).toMatchObject({ stage: 'in_progress', version: view.version });
    expect((state as { decision?: unknown }).decision).toBeUndefined();

    // A second clerk confirms: the v1 workflow records the decision and ends.
    const confirmed = await system.request('POST', `${base}/${id}/decision/confirmation`, { expectedVersion: view.version }, second);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.stage).toBe('decided');
    expect(confirmed.body.decision).toMatchObject({ outcome: 'refused', reason: 'Lebensunterhalt nicht gesichert', decidedBy: 'clerk-weber' });
    expect(confirmed.body.details.decisionProposal ?? null).toBeNull();
    const result = await system.temporal.workflow.getHandle(naturalisationWorkflowId(id)).result();
    expect(result).toMatchObject({ stage: 'decided', decision: { outcome: 'refused', decidedBy: 'clerk-weber' } });

    // Both steps are in the audit trail; a second confirmation is refused.
    const audit = await system.db.pool.query<{ actor: string; action: string; outcome: string }>(
      "SELECT actor, action, outcome FROM audit_log WHERE case_id = $1 AND action LIKE 'naturalisation.decision.%' ORDER BY id",
      [id],
    );
    expect(audit.rows.map((r) => [r.actor, r.action, r.outcome])).toEqual([
      ['clerk-weber', 'naturalisation.decision.propose', 'refused'],
      ['clerk-weber', 'naturalisation.decision.propose', 'allowed'],
      ['clerk-weber', 'naturalisation.decision.confirm', 'refused'],
      ['clerk-yilmaz', 'naturalisation.decision.confirm', 'allowed'],
      ['clerk-yilmaz', 'naturalisation.decision.decide', 'allowed'],
    ]);
    const again = await system.request('POST', `${base}/${id}/decision/confirmation`, { expectedVersion: view.version + 1 }, await clerk('clerk-third'));
    expect(again.status).toBe(409);

    delivery.shutdown();
    await deliveryRunning;
  });
});
