import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { NativeConnection } from '@temporalio/worker';
import { createDataConverter, EncryptionCodec } from '../../security/payloadCodec';
import { generatePayloadKey, loadPayloadKeys } from '../../security/payloadKeys';
import { createMailer } from '../../worker/mailer';
import { createWorkers } from '../../worker/run';
import { confirmDecisionUpdate, getNaturalisationStateQuery, proposeDecisionUpdate } from '../../workflows/naturalisationDefinitions';
import { startSystem, testMail, validApplicationBody } from '../support/system';
import { workflowBundle } from '../support/temporal';

/** Every payload of a history, as stored on the server. */
function payloadsOf(history: temporal.api.history.v1.IHistory): temporal.api.common.v1.IPayload[] {
  const found: temporal.api.common.v1.IPayload[] = [];
  const visit = (value: unknown): void => {
    if (!value || typeof value !== 'object') return;
    if (value instanceof Uint8Array) return;
    const candidate = value as temporal.api.common.v1.IPayload;
    if (candidate.metadata && candidate.data !== undefined) {
      found.push(candidate);
      return;
    }
    for (const child of Object.values(value)) visit(child);
  };
  visit(history);
  return found;
}
const keyIdOf = (p: temporal.api.common.v1.IPayload) => Buffer.from(p.metadata?.['encryption-key-id'] ?? []).toString();

describe('payload encryption on the Temporal server', () => {
  test('the stored history holds only ciphertext; after a key rotation the worker still reads old payloads', async () => {
    const system = await startSystem({ inProcessWorker: false });
    const oldKeys = loadPayloadKeys({ env: system.payloadKeysEnv, dataDir: '/nonexistent' });
    const rotatedKeys = {
      activeKeyId: 'rotated-key',
      keys: [{ id: 'rotated-key', key: Buffer.from(generatePayloadKey(), 'base64') }, ...oldKeys.keys],
    };
    const runWorkers = async (keys: typeof oldKeys | typeof rotatedKeys) => {
      const connection = await NativeConnection.connect({ address: system.temporalServer.address });
      const workers = await createWorkers({
        starter: { client: system.temporal, inactionWarningLeadTimesMs: [] },
        connection,
        namespace: 'default',
        pool: system.db.pool,
        mailer: createMailer(system.smtp.url),
        mail: testMail,
        workflowBundle: await workflowBundle(),
        dataConverter: createDataConverter(new EncryptionCodec(keys)),
      });
      const running = workers.run();
      return async () => {
        workers.shutdown();
        await running;
        await connection.close();
      };
    };
    const plainConnection = await Connection.connect({ address: system.temporalServer.address });
    const plainClient = new Client({ connection: plainConnection });
    const rotatedClient = new Client({ connection: plainConnection, dataConverter: createDataConverter(new EncryptionCodec(rotatedKeys)) });
    let stopWorkers = await runWorkers(oldKeys);
    try {
      const created = await system.request('POST', '/api/v1/naturalisation/applications', validApplicationBody());
      expect(created.status).toBe(201);
      const workflowId = `naturalisation/${created.body.id}`;
      // Wait until the acknowledgement is recorded as delivered (the mail arrives a moment before).
      let state = await system.temporal.workflow.getHandle(workflowId).query(getNaturalisationStateQuery);
      for (let i = 0; i < 100 && state.stage !== 'completeness_check'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        state = await system.temporal.workflow.getHandle(workflowId).query(getNaturalisationStateQuery);
      }
      expect(state.stage).toBe('completeness_check');

      // Rotate: workers and clients now encrypt with a new key, and still hold the old one.
      await stopWorkers();
      stopWorkers = await runWorkers(rotatedKeys);
      const handle = rotatedClient.workflow.getHandle(workflowId);
      const proposed = await handle.executeUpdate(proposeDecisionUpdate, {
        args: [{ outcome: 'withdrawn', reason: 'Frau Haddad nimmt den Antrag zurück', decidedBy: 'ebh_clerk-1', expectedVersion: state.version, refusalFeeEuro: 25 }],
      });
      const decided = await handle.executeUpdate(confirmDecisionUpdate, { args: [{ actor: 'ebh_clerk-2', expectedVersion: proposed.version }] });
      expect(decided.decision?.reason).toContain('Haddad');
      await expect(handle.result()).resolves.toMatchObject({ stage: 'closed' });

      // What the server stores: every payload encrypted, with old and new key ids, and no name.
      const history = await plainClient.workflow.getHandle(workflowId).fetchHistory();
      // patched() writes a version marker and the TemporalChangeVersion search attribute without
      // the codec (the server must read search attributes): both hold only the patch id. A local
      // activity's marker holds the SDK's own record of it (id, type, time) in clear beside its
      // result, which is encrypted. Every other payload is encrypted.
      const events = history.events ?? [];
      const versionEvents = events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch' || e.upsertWorkflowSearchAttributesEventAttributes);
      expect(versionEvents.map((e) => e.markerRecordedEventAttributes?.markerName ?? 'search attributes')).toEqual(['core_patch', 'search attributes', 'core_patch', 'search attributes']);
      const changeVersions = versionEvents
        .filter((e) => e.upsertWorkflowSearchAttributesEventAttributes)
        .map((e) => e.upsertWorkflowSearchAttributesEventAttributes!.searchAttributes!.indexedFields!)
        .map((fields) => [Object.keys(fields), Buffer.from(fields.TemporalChangeVersion!.data!).toString()]);
      expect(changeVersions).toEqual([
        [['TemporalChangeVersion'], '["naturalisation-procedure-stages"]'],
        [['TemporalChangeVersion'], '["naturalisation-intake-relay","naturalisation-procedure-stages"]'],
      ]);
      const localActivities = events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity');
      expect(localActivities.length).toBeGreaterThan(0);
      const results = localActivities.map((e) => ({ result: e.markerRecordedEventAttributes!.details!.result }));
      const otherEvents = [...events.filter((e) => !versionEvents.includes(e) && !localActivities.includes(e)), ...(results as temporal.api.history.v1.IHistoryEvent[])];
      const payloads = payloadsOf({ events: otherEvents });
      expect(payloads.length).toBeGreaterThan(5);
      for (const event of otherEvents) {
        for (const payload of payloadsOf({ events: [event] })) {
          expect([event.eventType, Buffer.from(payload.metadata!.encoding!).toString()]).toEqual([event.eventType, 'binary/encrypted']);
        }
      }
      const keyIds = new Set(payloads.map(keyIdOf));
      expect(keyIds).toEqual(new Set(['test-key', 'rotated-key']));
      const stored = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
      for (const plaintext of ['Haddad', 'nimmt den Antrag', 'ebh_clerk-1', 'koeln', 'withdrawn']) {
        expect(stored.includes(Buffer.from(plaintext))).toBe(false);
      }
      // A client without the keys cannot read the result.
      await expect(plainClient.workflow.getHandle(workflowId).result()).rejects.toThrow('Unknown encoding: binary/encrypted');
    } finally {
      await stopWorkers();
      await plainConnection.close();
      await system.stop();
    }
  });
});
