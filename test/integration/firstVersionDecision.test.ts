import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { failureConverterPath, createDataConverter, EncryptionCodec } from '../../security/payloadCodec';
import { loadPayloadKeys } from '../../security/payloadKeys';
import { createMailer } from '../../worker/mailer';
import { createWorkers } from '../../worker/run';
import { naturalisationWorkflowId, taskQueues } from '../../workflows/naturalisationDefinitions';
import { makeFacts } from '../domain/naturalisationFixtures';
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
  let cases: { id: string; version: number }[];
  let stopDelivery: (() => Promise<void>) | undefined;
  afterAll(async () => {
    current?.shutdown();
    await currentRunning;
    await stopDelivery?.();
    await connection?.close();
    await system?.stop();
  });

  beforeAll(async () => {
    const dataConverter = createDataConverter(new EncryptionCodec(loadPayloadKeys({ env: system.payloadKeysEnv, dataDir: '/nonexistent' })));
    const mailer = createMailer(system.smtp.url);
    const starter = { client: system.temporal, inactionWarningLeadTimesMs: system.deps.settings.inactionWarningLeadTimesMs };
    const workerParts = { connection, namespace: 'default', pool: system.db.pool, mailer, mail: testMail, dataConverter, starter };

    // The old deployment: the v1 workflow on the naturalisation queue, delivery as today.
    const delivery = await createWorkers({ ...workerParts, workflowBundle: await workflowBundle(), taskQueues: ['messages'] });
    const deliveryRunning = delivery.run();
    stopDelivery = async () => {
      delivery.shutdown();
      await deliveryRunning;
    };
    const oldWorker = await Worker.create({
      connection,
      namespace: 'default',
      taskQueue: taskQueues.naturalisation,
      dataConverter,
      workflowBundle: await bundleWorkflowCode({ workflowsPath: require.resolve('../support/naturalisationFirstVersionWorkflow'), failureConverterPath, logger: quiet as never }),
      activities: createActivities({ pool: system.db.pool, mailer, clock: () => new Date(), mail: testMail }),
    });
    const oldRunning = oldWorker.run();
    cases = [];
    for (let n = 0; n < 2; n++) {
      const created = await system.request('POST', base, validApplicationBody());
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      let view = (await system.request('GET', `${base}/${id}`)).body;
      for (let i = 0; i < 200 && view.stage !== 'in_progress'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        view = (await system.request('GET', `${base}/${id}`)).body;
      }
      expect(view.stage).toBe('in_progress'); // a stage only version 1 reports
      cases.push({ id, version: view.version });
    }
    oldWorker.shutdown();
    await oldRunning;

    // Today's workers take the runs over.
    current = await createWorkers({ ...workerParts, workflowBundle: await workflowBundle(), taskQueues: [taskQueues.naturalisation] });
    currentRunning = current.run();
  });
  const clerk = async (subject: string) => ({ authorization: `Bearer ${await system.tokenFor(['ebh_clerk'], 'koeln', subject)}` });

  test('two different clerks decide it (proposal, confirmation); one clerk alone is refused', async () => {
    const { id } = cases[0];
    const view = { version: cases[0].version };
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
    const proposalId: string = seen.body.details.decisionProposal.id;
    const alone = await system.request('POST', `${base}/${id}/decision/confirmation`, { expectedVersion: view.version, proposalId }, proposer);
    expect(alone.status).toBe(403);
    expect(alone.body.code).toBe('naturalisation.four_eyes');
    const state = await system.temporal.workflow.getHandle(naturalisationWorkflowId(id)).query('getNaturalisationState');
    expect(state).toMatchObject({ stage: 'in_progress', version: view.version });
    expect((state as { decision?: unknown }).decision).toBeUndefined();

    // A second clerk confirms: the v1 workflow records the decision and ends.
    const confirmed = await system.request('POST', `${base}/${id}/decision/confirmation`, { expectedVersion: view.version, proposalId }, second);
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
    const again = await system.request('POST', `${base}/${id}/decision/confirmation`, { expectedVersion: view.version + 1, proposalId }, await clerk('clerk-third'));
    expect(again.status).toBe(409);
  });

  /**
   * Issue 20 (four eyes walked around): A proposes a refusal, B opens the case, A proposes an
   * approval. The new proposal replaces the old one without changing the case's version, so the
   * confirmation names the proposal it confirms: B's confirmation of the refusal B saw is refused
   * (409) and nothing is decided; only a confirmation naming A's approval, as shown to B, sends it.
   */
  test('a new proposal invalidates the one the second clerk saw: confirming the old one gets 409 and decides nothing', async () => {
    const { id, version } = cases[1];
    const a = await clerk('clerk-arnold');
    const b = await clerk('clerk-brandt');
    const refusal = await system.request('POST', `${base}/${id}/decision`, { outcome: 'refused', reason: 'Lebensunterhalt nicht gesichert', expectedVersion: version }, a);
    expect(refusal.status).toBe(200);
    const opened = await system.request('GET', `${base}/${id}`, undefined, b);
    const seenByB = opened.body.details.decisionProposal;
    expect(seenByB).toMatchObject({ outcome: 'refused', proposedBy: 'clerk-arnold', id: expect.any(String) });

    // A replaces it with an approval (on an evaluation of the day); the case's version stays.
    const filedOn: string = opened.body.filedOn;
    const evaluation = await system.request('POST', `${base}/${id}/eligibility-checks`, { facts: makeFacts({ applicationFiledOn: filedOn }) }, a);
    expect(evaluation.body.overall).toBe('eligible');
    const approval = await system.request('POST', `${base}/${id}/decision`, { outcome: 'approved', reason: 'Voraussetzungen erfüllt', expectedVersion: version }, a);
    expect(approval.status).toBe(200);
    const replacing = approval.body.details.decisionProposal;
    expect(replacing).toMatchObject({ outcome: 'approved', proposedBy: 'clerk-arnold' });
    expect(replacing.id).not.toBe(seenByB.id);
    expect(approval.body.version).toBe(version);

    // B confirms what B saw: refused, nothing decided, the refusal audited.
    const stale = await system.request('POST', `${base}/${id}/decision/confirmation`, { expectedVersion: version, proposalId: seenByB.id }, b);
    expect([stale.status, stale.body.code]).toEqual([409, 'naturalisation.proposal_superseded']);
    expect(stale.body.title).toContain('replaced');
    const state = await system.temporal.workflow.getHandle(naturalisationWorkflowId(id)).query('getNaturalisationState');
    expect((state as { decision?: unknown }).decision).toBeUndefined();
    const after = await system.request('GET', `${base}/${id}`, undefined, b);
    expect(after.body).toMatchObject({ stage: 'in_progress', decision: null, details: { decisionProposal: replacing } });

    // Confirming the approval by its id, as now shown to B, sends it; the audit names what was confirmed.
    const confirmed = await system.request('POST', `${base}/${id}/decision/confirmation`, { expectedVersion: version, proposalId: replacing.id }, b);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.decision).toMatchObject({ outcome: 'approved', decidedBy: 'clerk-arnold' });
    const audit = await system.db.pool.query<{ actor: string; action: string; outcome: string; detail: Record<string, unknown> }>(
      "SELECT actor, action, outcome, detail FROM audit_log WHERE case_id = $1 AND action LIKE 'naturalisation.decision.%' ORDER BY id",
      [id],
    );
    expect(audit.rows.map((r) => [r.actor, r.action, r.outcome, r.detail.proposalId])).toEqual([
      ['clerk-arnold', 'naturalisation.decision.propose', 'allowed', seenByB.id],
      ['clerk-arnold', 'naturalisation.decision.propose', 'allowed', replacing.id],
      ['clerk-brandt', 'naturalisation.decision.confirm', 'refused', seenByB.id],
      ['clerk-brandt', 'naturalisation.decision.confirm', 'allowed', undefined],
      ['clerk-brandt', 'naturalisation.decision.decide', 'allowed', replacing.id],
    ]);
  });
});
