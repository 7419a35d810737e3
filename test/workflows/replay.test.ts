import fs from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { deserialiseHistory } from '../support/histories';
import { workflowBundle } from '../support/temporal';

const historiesDir = path.resolve(__dirname, '..', '..', '..', 'test', 'histories');

/**
 * Replays histories recorded from real runs (`RECORD_HISTORIES=1 npm test`) and committed under
 * test/histories against today's workflow code. Any non-deterministic change to a running
 * workflow's logic (one not guarded by `patched()`) fails here.
 */
describe('replay of recorded workflow histories', () => {
  const files = fs.readdirSync(historiesDir).filter((name) => name.endsWith('.json')).sort();

  test('there are recorded histories to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(2);
  });

  test.each(files)('%s replays without non-determinism', async (file) => {
    const history = deserialiseHistory(fs.readFileSync(path.join(historiesDir, file), 'utf8'));
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, file);
  });
});
