import { Pool } from 'pg';
import type { Logger } from 'pino';
import { assertNoTransactionHeldOn } from './transaction';

// Dates (type 1082) stay ISO strings: a filing date is a calendar day, not an instant.
import { types } from 'pg';
types.setTypeParser(1082, (value: string) => value);

/**
 * A connection pool that rides out a database restart. An idle connection the server ends
 * (restart, failover, `pg_terminate_backend`) makes the pool emit `error`; without a listener
 * Node would end the whole process. Here it is logged and the connection dropped — the next
 * query opens a new one. Acquiring waits at most `connectionTimeoutMillis`, so a request during
 * an outage fails fast (503 with Retry-After, api/errors.ts) instead of hanging.
 */
export function createPool(connectionString: string, max = 10, logger?: Pick<Logger, 'warn'>): Pool {
  const pool = new Pool({ connectionString, max, idleTimeoutMillis: 10_000, connectionTimeoutMillis: 5_000 });
  // Code inside withTransaction must use the transaction's client, never the pool (db/transaction.ts).
  const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  const connect = pool.connect.bind(pool) as (...args: unknown[]) => unknown;
  const guarded =
    (call: (...args: unknown[]) => unknown) =>
    (...args: unknown[]) => {
      try {
        assertNoTransactionHeldOn(pool);
      } catch (error) {
        const callback = args[args.length - 1];
        if (typeof callback === 'function') return void callback(error);
        return Promise.reject(error);
      }
      return call(...args);
    };
  pool.query = guarded(query) as Pool['query'];
  pool.connect = guarded(connect) as Pool['connect'];
  let lastWarning = 0;
  pool.on('error', (error: Error & { code?: string }) => {
    // One line per few seconds: a restart ends every idle connection at once.
    if (Date.now() - lastWarning < 5_000) return;
    lastWarning = Date.now();
    logger?.warn({ code: error.code, message: error.message }, 'database connection lost; reconnecting on the next query');
  });
  return pool;
}

const unavailableCodes = new Set([
  // Node's socket errors
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
  // PostgreSQL: admin_shutdown, crash_shutdown, cannot_connect_now (starting up / shutting down)
  '57P01', '57P02', '57P03',
  // too_many_connections
  '53300',
]);

const unavailableMessages = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Connection is closed',
];

/**
 * Whether an error says the database cannot be reached right now — rather than that a query was
 * wrong. Connection exceptions (SQLSTATE class 08), shutdowns (57P01–57P03), socket errors and
 * the `pg` driver's own "connection terminated" errors; also when found as an error's `cause`.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 5) return false;
  const { code, message, cause, errors } = error as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string' && (unavailableCodes.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  if (typeof message === 'string' && unavailableMessages.some((text) => message.includes(text))) return true;
  // AggregateError (a connect that tried IPv4 and IPv6) carries the socket errors inside.
  if (Array.isArray(errors) && errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true;
  return isDatabaseUnavailable(cause, depth + 1);
}
