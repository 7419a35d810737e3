import { startTemporalDevServer } from '../../scripts/temporalDevServer';

/**
 * A stand-in for `npm start` in the fault tests: starts the embedded Temporal dev server the way
 * scripts/start.ts does, prints its pid, and then either waits (to be killed) or, with mode
 * `throw`, dies of an uncaught error.
 * Usage: node devServerHolder.js <binary> <dbFile> <port> wait|throw
 */
async function main(): Promise<void> {
  const [binary, dbFile, port, mode] = process.argv.slice(2);
  const server = await startTemporalDevServer({ binary, dbFile, port: Number(port) });
  process.stdout.write(`${JSON.stringify({ guardPid: server.process.pid })}\n`);
  if (mode === 'throw') {
    setTimeout(() => {
      throw new Error('an uncaught error in the main process');
    }, 200);
  }
  setInterval(() => undefined, 60_000);
}

void main();
