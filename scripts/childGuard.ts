import { spawn } from 'node:child_process';

/**
 * `node dist/scripts/childGuard.js <program> [args…]`: runs the program as a child that dies with
 * the process that started this guard. Node has no parent-death signal (Linux `prctl`), so the
 * guard watches its parent two ways: its stdin is a pipe from the parent, which the kernel closes
 * whenever the parent ends — even by SIGKILL or a crash — and, as a fallback, its parent id
 * changing (re-parented to init). Then, or on SIGTERM/SIGINT, it stops the program (SIGTERM,
 * SIGKILL after a grace time) and exits with it. The starter puts the guard in its own process
 * group, so the group can be killed as a whole (scripts/temporalDevServer.ts).
 */
const [program, ...args] = process.argv.slice(2);
if (!program) {
  process.stderr.write('usage: childGuard <program> [args…]\n');
  process.exit(2);
}
const parent = process.ppid;
const child = spawn(program, args, { stdio: ['ignore', 'inherit', 'inherit'] });
let stopping = false;

function stop(reason: string): void {
  if (stopping) return;
  stopping = true;
  if (reason !== 'signal') process.stderr.write(`childGuard: ${reason}; stopping ${program} (pid ${child.pid})\n`);
  child.kill('SIGTERM');
  setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
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
