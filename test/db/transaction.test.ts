import { createTestDatabase } from '../support/postgres';
import { PoolSelfWaitError, withTransaction } from '../../db/transaction';

/**
 * Code inside a transaction must query through the transaction's client: a query through the same
 * pool holds one connection while it waits for another, and a pool of one connection (or a busy
 * pool) then waits for itself until the connection timeout. The pool refuses such a query at once.
 */
describe('a transaction never waits for its own pool', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase(undefined, { poolSize: 1 });
  });
  afterAll(async () => {
    await db?.drop();
  });

  test('a query through the pool inside withTransaction is refused at once, and the transaction rolls back', async () => {
    await db.pool.query('CREATE TABLE self_wait_probe (n int)');
    const started = Date.now();
    await expect(
      withTransaction(db.pool, async (client) => {
        await client.query('INSERT INTO self_wait_probe VALUES (1)');
        await db.pool.query('SELECT 1');
      }),
    ).rejects.toThrow(PoolSelfWaitError);
    // Refused, not timed out: a self-wait on a pool of one would take the 5 s connection timeout.
    expect(Date.now() - started).toBeLessThan(4_000);
    expect((await db.pool.query('SELECT count(*)::int AS n FROM self_wait_probe')).rows[0].n).toBe(0);
  });

  test('the same work through the client commits, and the pool serves others after it', async () => {
    await withTransaction(db.pool, async (client) => {
      await client.query('INSERT INTO self_wait_probe VALUES (2)');
      await client.query('SELECT 1');
    });
    expect((await db.pool.query('SELECT n FROM self_wait_probe')).rows).toEqual([{ n: 2 }]);
  });
});
