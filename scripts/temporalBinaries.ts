import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const projectRoot = path.resolve(__dirname, '..', '..');
export const cacheDir = process.env.KIM_CACHE_DIR ?? path.join(projectRoot, '.cache');

/** The Temporal CLI version built from the Go module proxy: the newest tag without a `replace` directive. */
export const temporalCliModule = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

/** Where a binary comes from: a path to run, or the SDK's own download (needs the internet). */
export type BinarySource = { type: 'existing-path'; path: string; origin: string } | { type: 'cached-download'; origin: string };

function log(message: string): void {
  process.stderr.write(`[temporal-binaries] ${message}\n`);
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Whether the SDK's download host answers within a few seconds. */
async function isSdkDownloadReachable(): Promise<boolean> {
  if (process.env.KIM_NO_SDK_DOWNLOAD === '1') return false;
  try {
    const response = await fetch('https://temporal.download/', { method: 'HEAD', signal: AbortSignal.timeout(3_000) });
    return response.status < 500;
  } catch {
    return false;
  }
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`))));
  });
}

/**
 * The Temporal CLI (dev server with SQLite persistence and Web UI), in this order: the path in
 * TEMPORAL_CLI_PATH; a `temporal` on PATH; the one built before into .cache/bin; the SDK's
 * download where the internet is reachable; otherwise built now with `go install`.
 */
export async function resolveTemporalCli(): Promise<BinarySource> {
  if (process.env.TEMPORAL_CLI_PATH) return { type: 'existing-path', path: process.env.TEMPORAL_CLI_PATH, origin: 'TEMPORAL_CLI_PATH' };
  const onPath = findOnPath('temporal');
  if (onPath) return { type: 'existing-path', path: onPath, origin: 'PATH' };
  const cached = path.join(cacheDir, 'bin', 'temporal');
  if (fs.existsSync(cached)) return { type: 'existing-path', path: cached, origin: 'cache' };
  if (await isSdkDownloadReachable()) return { type: 'cached-download', origin: 'SDK download' };
  if (!findOnPath('go')) throw new Error('no Temporal CLI: set TEMPORAL_CLI_PATH, or install Go so it can be built');
  log(`building the Temporal CLI (${temporalCliModule}) with go install — the first build takes several minutes`);
  await run('go', ['install', '-v', temporalCliModule], {
    ...process.env,
    CGO_ENABLED: '0',
    GOBIN: path.join(cacheDir, 'bin'),
    GOFLAGS: process.env.GOFLAGS ?? '-mod=mod',
  });
  log(`built ${cached}`);
  return { type: 'existing-path', path: cached, origin: 'go install' };
}

/**
 * The time-skipping test server, in this order: TEMPORAL_TEST_SERVER_PATH; the wrapper built
 * before into .cache; the SDK's download where the internet is reachable; otherwise built now
 * from Maven Central by scripts/build-test-server.sh (a JVM wrapper that `exec`s the server).
 */
export async function resolveTestServer(): Promise<BinarySource> {
  if (process.env.TEMPORAL_TEST_SERVER_PATH) {
    return { type: 'existing-path', path: process.env.TEMPORAL_TEST_SERVER_PATH, origin: 'TEMPORAL_TEST_SERVER_PATH' };
  }
  const script = path.join(projectRoot, 'scripts', 'build-test-server.sh');
  const probe = spawnSync('bash', [script, cacheDir, '--cached-only'], { encoding: 'utf8' });
  const cachedPath = probe.status === 0 ? probe.stdout.trim().split('\n').pop() : undefined;
  if (cachedPath && fs.existsSync(cachedPath)) return { type: 'existing-path', path: cachedPath, origin: 'cache' };
  if (await isSdkDownloadReachable()) return { type: 'cached-download', origin: 'SDK download' };
  log('building the time-skipping test server from Maven Central — the first build takes a few minutes');
  const built = spawnSync('bash', [script, cacheDir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (built.status !== 0) throw new Error(`scripts/build-test-server.sh failed with exit code ${built.status}`);
  const wrapper = built.stdout.trim().split('\n').pop()!;
  return { type: 'existing-path', path: wrapper, origin: 'Maven Central' };
}

/** The production Temporal server built by scripts/build-temporal-server.sh (go.temporal.io/server). */
export const temporalServerModule = 'go.temporal.io/server@v1.29.1';

/** The production Temporal server, its SQL schema tool and the schema folders they go with. */
export interface TemporalServerBinaries {
  server: string;
  sqlTool: string;
  /** `<schemaDir>/postgresql/v12/{temporal,visibility}/versioned`. */
  schemaDir: string;
  origin: string;
}

function temporalServerBinaries(origin: string): TemporalServerBinaries {
  const version = temporalServerModule.split('@')[1];
  return {
    server: path.join(cacheDir, 'bin', 'temporal-server'),
    sqlTool: path.join(cacheDir, 'bin', 'temporal-sql-tool'),
    schemaDir: path.join(cacheDir, 'temporal-server', version, 'schema'),
    origin,
  };
}

/** Whether the production Temporal server is built, or can be (Go on PATH). */
export function canHaveTemporalServer(): boolean {
  return fs.existsSync(temporalServerBinaries('cache').server) || findOnPath('go') !== undefined;
}

/**
 * The production Temporal server (`temporal-server`, `temporal-sql-tool` and the PostgreSQL
 * schema): the build cached in .cache, otherwise built now from the Go module proxy by
 * scripts/build-temporal-server.sh (long: see the README's Deployment section). Undefined where
 * it is not built and Go is missing.
 */
export async function resolveTemporalServer(): Promise<TemporalServerBinaries | undefined> {
  const script = path.join(projectRoot, 'scripts', 'build-temporal-server.sh');
  const probe = spawnSync('bash', [script, cacheDir, '--cached-only'], { encoding: 'utf8' });
  if (probe.status === 0) return temporalServerBinaries('cache');
  if (!findOnPath('go')) return undefined;
  log(`building the Temporal server (${temporalServerModule}) with go install — the first build takes a long time`);
  await run('bash', [script, cacheDir], process.env);
  return temporalServerBinaries('go install');
}

// `node dist/scripts/temporalBinaries.js` fetches both (used by .ci/run to show progress up front).
if (require.main === module) {
  (async () => {
    const cli = await resolveTemporalCli();
    log(`Temporal CLI: ${cli.type === 'existing-path' ? cli.path : 'SDK download'} (${cli.origin})`);
    const testServer = await resolveTestServer();
    log(`test server: ${testServer.type === 'existing-path' ? testServer.path : 'SDK download'} (${testServer.origin})`);
  })().catch((error) => {
    log(String(error));
    process.exit(1);
  });
}
