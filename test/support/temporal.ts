import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { resolveTemporalCli, resolveTestServer } from '../../scripts/temporalBinaries';
import { startTemporalDevServer } from '../../scripts/temporalDevServer';
import { workflowsPath } from '../../worker/run';
import { failureConverterPath } from '../../security/payloadCodec';

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** The workflow bundle, built once per test file. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath, failureConverterPath, logger: { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: console.error } as never });
  return bundle;
}

/** The time-skipping test server (the Java one from Maven Central where the SDK cannot download). */
export async function createTimeSkippingEnvironment(): Promise<TestWorkflowEnvironment> {
  const source = await resolveTestServer();
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: source.type === 'existing-path' ? { type: 'existing-path', path: source.path } : { type: 'cached-download' } },
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
}

/** The real Temporal dev server (the CLI the project builds), on a fresh SQLite file. */
export async function startDevServer(dbFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kim-temporal-')), 'temporal.db'), port?: number) {
  const cli = await resolveTemporalCli();
  if (cli.type !== 'existing-path') throw new Error('the dev-server tests need the Temporal CLI binary');
  const serverPort = port ?? (await freePort());
  const server = await startTemporalDevServer({ binary: cli.path, dbFile, port: serverPort });
  return { ...server, dbFile, port: serverPort, binary: cli.path };
}

// The SDK's own log lines (worker state changes, reconnect retries while a fault test has
// stopped a server, retried activities) only clutter test output; errors still show.
import { DefaultLogger, Runtime } from '@temporalio/worker';
try {
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } },
  });
} catch {
  // already installed in this process
}
