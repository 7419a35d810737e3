import { AsyncLocalStorage } from 'node:async_hooks';
import type { Pool, PoolClient } from 'pg';

/** The pools on which the current async context holds a transaction's connection. */
const heldPools = new AsyncLocalStorage<ReadonlySet<Pool>>();

/** A query through a pool by code that holds a transaction on that same pool. */
export class PoolSelfWaitError extends Error {
  constructor() {
    super(
      'a query went through the connection pool while the same request holds a transaction on it: ' +
        'pass the transaction\'s client instead (with a small or busy pool, this waits for itself)',
    );
  }
}

/**
 * Throws where the current async context holds a transaction on `pool`: such a query would wait
 * for a second connection while keeping the first, and a small or exhausted pool then waits for
 * itself until the connection timeout (db/pool.ts calls this before every query and connect).
 */
export function assertNoTransactionHeldOn(pool: Pool): void {
  if (heldPools.getStore()?.has(pool)) throw new PoolSelfWaitError();
}

/**
 * Runs `work` in one transaction on one connection: committed when it resolves, rolled back
 * (and the error rethrown) when it throws; the connection always goes back to the pool.
 *
 * While checked out, a connection has no `error` listener of the pool: if the server ends it
 * between two statements (a restart), `pg` would emit an unhandled `error` and end the process.
 * The listener here keeps it an ordinary failure of the next statement, and a connection that
 * failed is discarded rather than returned to the pool.
 *
 * Inside `work`, everything goes through `client`: a query through the same pool throws
 * PoolSelfWaitError (assertNoTransactionHeldOn), since it would hold one connection while waiting
 * for another.
 */
export async function withTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  const held = new Set(heldPools.getStore() ?? []).add(pool);
  return heldPools.run(held, () => inTransaction(client, work));
}

async function inTransaction<T>(client: PoolClient, work: (client: PoolClient) => Promise<T>): Promise<T> {
  let broken: Error | undefined;
  const onError = (error: Error) => {
    broken = error;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      broken ??= rollbackError;
    });
    throw error;
  } finally {
    client.removeListener('error', onError);
    client.release(broken);
  }
}
