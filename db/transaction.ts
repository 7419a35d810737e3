import type { Pool, PoolClient } from 'pg';

/**
 * Runs `work` in one transaction on one connection: committed when it resolves, rolled back
 * (and the error rethrown) when it throws; the connection always goes back to the pool.
 *
 * While checked out, a connection has no `error` listener of the pool: if the server ends it
 * between two statements (a restart), `pg` would emit an unhandled `error` and end the process.
 * The listener here keeps it an ordinary failure of the next statement, and a connection that
 * failed is discarded rather than returned to the pool.
 */
export async function withTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
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
