import { spawn } from 'node:child_process';
import { killProcessTree } from './processTree';

/**
 * `node dist/scripts/childGuard.js <program> [args…]`: runs the program as a child that dies with
 * the process that started this guard. Node has no parent-death signal (Linux `prctl`), so the
 * guard watches its parent two ways: its stdin is a pipe from the parent, which the kernel closes
 * whenever the parent ends — even by SIGKILL or a crash — and, as a fallback, its parent id
 * changing (re-parented to init). Then, or on SIGTERM/SIGINT, it stops the program and exits with
 * it. The starter puts the guard in its own process group (`detached`), so the group can be killed
 * as a whole (scripts/temporalDevServer.ts, scripts/embedded/postgres.ts).
 *
 * Settings, from the environment (removed before the program starts):
 * - `CHILD_GUARD_STOP_SIGNAL` (default SIGTERM): how the program is asked to stop. PostgreSQL's
 *   fast shutdown is SIGINT (SIGTERM waits for every client to disconnect).
 * - `CHILD_GUARD_GRACE_MS` (default 5000): after that, the program and all its descendants are
 *   killed (SIGKILL) — also those a stopped or hanging program would leave behind.
 * - `CHILD_GUARD_UID`, `CHILD_GUARD_GID`: run the program as that user (PostgreSQL refuses root).
 */
const [program, ...args] = process.argv.slice(2);
if (!program) {
  process.stderr.write('usage: childGuard <program> [args…]\n');
  process.exit(2);
}
const env = { ...process.env };
const setting = (name: string): string | undefined => {
  const value = env[name];
  delete env[name];
  return value;
};
const stopSignal = (setting('CHILD_GUARD_STOP_SIGNAL') ?? 'SIGTERM') as NodeJS.Signals;
const graceMs = Number(setting('CHILD_GUARD_GRACE_MS') ?? 5_000);
const uid = setting('CHILD_GUARD_UID');
const gid = setting('CHILD_GUARD_GID');
const parent = process.ppid;
const child = spawn(program, args, {
  stdio: ['ignore', 'inherit', 'inherit'],
  env,
  ...(uid ? { uid: Number(uid) } : {}),
  ...(gid ? { gid: Number(gid) } : {}),
});
let stopping = false;

function stop(reason: string): void {
  if (stopping) return;
  stopping = true;
  if (reason !== 'signal') process.stderr.write(`childGuard: ${reason}; stopping ${program} (pid ${child.pid})\n`);
  child.kill(stopSignal);
  // Then the program and everything it started (PostgreSQL's backends are session leaders of
  // their own, so a process group would miss them), and the guard with them.
  setTimeout(() => killProcessTree(process.pid), graceMs).unref();
}

child.once('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
child.once('error', (error) => {
  process.stderr.write(`childGuard: cannot start ${program}: ${error.message}\n`);
  process.exit(127);
});
process.stdin.on('data', () => undefined);
process.stdin.once('end', () => stop('the parent process ended'));
process.stdin.once('error', () => stop('the parent process ended'));
setInterval(() => {
  if (process.ppid !== parent) stop('the parent process ended');
}, 1_000).unref();
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => stop('signal'));
