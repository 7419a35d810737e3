import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { embeddedDatabaseUrl } from '../../scripts/embedded/postgres';
import type { Role } from '../../security/roles';
import { loadOrCreateLocalIssuer, signLocalToken } from '../../security/tokens';
import { createRequester } from './http';
import { freePort } from './temporal';

const startScript = path.resolve(__dirname, '..', '..', 'scripts', 'start.js');

/**
 * `npm start` as a user runs it — `node dist/scripts/start.js` on its embedded defaults (its own
 * PostgreSQL server, SMTP sink, Temporal dev server, clamd where installed) — in a data folder
 * and on ports of the test's own. Its JSON log is kept for the test to read.
 */
export async function startNpmStart(options: { env?: Record<string, string>; timeoutMs?: number; dataDir?: string; keepData?: boolean } = {}) {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'kim-npm-start-'));
  // As root the embedded PostgreSQL runs as `postgres`, which must enter the folder.
  fs.chmodSync(dataDir, 0o755);
  const ports = {
    PORT: await freePort(),
    EMBEDDED_DATABASE_PORT: await freePort(),
    EMBEDDED_SMTP_PORT: await freePort(),
    EMBEDDED_TEMPORAL_PORT: await freePort(),
    TEMPORAL_UI_PORT: await freePort(),
    METRICS_PORT: await freePort(),
    CLAMD_PORT: await freePort(),
  };
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, LOG_FORMAT: 'json', LOG_LEVEL: 'info', ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])), ...options.env };
  for (const name of ['DATABASE_URL', 'SMTP_URL', 'TEMPORAL_ADDRESS', 'OIDC_ISSUER', 'DOCUMENT_SCAN', 'NODE_ENV']) if (!options.env?.[name]) delete env[name];
  const child: ChildProcess = spawn(process.execPath, [startScript], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  const collect = (chunk: Buffer) => log.push(...chunk.toString().split('\n').filter(Boolean));
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const baseUrl = `http://127.0.0.1:${ports.PORT}`;
  const deadline = Date.now() + (options.timeoutMs ?? 180_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${log.slice(-20).join('\n')}`);
    const healthy = await fetch(`${baseUrl}/health`).then((r) => r.ok, () => false);
    if (healthy) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`npm start did not answer /health in time:\n${log.slice(-20).join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }

  // The same key file the running system trusts (the local dev issuer in DATA_DIR).
  const issuer = await loadOrCreateLocalIssuer(dataDir);
  const tokenFor = (roles: Role[], authorityId = 'koeln', subject = `${roles[0]}-1`, extra: { team?: string } = {}) =>
    signLocalToken(issuer, { subject, roles, authorityId, ...extra });
  const defaultToken = await tokenFor(['ebh_clerk']);

  return {
    baseUrl,
    dataDir,
    ports,
    process: child,
    exited,
    /** The JSON log lines written so far, parsed. */
    log: () => log.flatMap((line) => {
      try {
        return [JSON.parse(line) as { level: number; msg: string } & Record<string, unknown>];
      } catch {
        return [];
      }
    }),
    databaseUrl: () => embeddedDatabaseUrl(dataDir, ports.EMBEDDED_DATABASE_PORT),
    /** The mails the embedded SMTP sink received, as raw text. */
    mails: () => {
      const dir = path.join(dataDir, 'mail');
      return fs.existsSync(dir) ? fs.readdirSync(dir).sort().map((name) => fs.readFileSync(path.join(dir, name), 'utf8')) : [];
    },
    tokenFor,
    /** A request as an EBH clerk of "koeln", unless headers give another Authorization (or `null` for none). */
    request: createRequester(baseUrl, defaultToken),
    /** SIGTERM, as Ctrl-C or a service manager stops it; SIGKILL if it is still there after 20 s. */
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(timer);
      }
      if (!options.keepData) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
