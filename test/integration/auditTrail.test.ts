import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { createAuditQueries } from '../../db/queries/audit';
import { startApiOnly } from '../support/api';

describe('the audit trail: hash chain and privileges', () => {
  let api: Awaited<ReturnType<typeof startApiOnly>>;
  beforeAll(async () => {
    api = await startApiOnly();
  });
  afterAll(async () => {
    await api?.stop();
  });

  async function writeEntries(n: number) {
    const audit = createAuditQueries(api.db.pool);
    for (let i = 0; i < n; i++) await audit.insertAuditEntry({ actor: `clerk-${i}`, action: 'naturalisation.application.view', authorityId: 'koeln', detail: { i } });
    // And through the API, as production writes them.
    const admin = await api.tokenFor(['admin'], 'koeln', 'admin-koeln');
    await api.request('GET', '/api/v1/audit?limit=2', { authorization: `Bearer ${admin}` });
  }
  /** As the superuser, bypassing the append-only triggers. */
  async function tamper(sql: string, params: unknown[] = []) {
    const client = await api.db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('ALTER TABLE audit_log DISABLE TRIGGER USER');
      await client.query(sql, params);
      await client.query('ALTER TABLE audit_log ENABLE TRIGGER USER');
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  }

  test('each row is chained to the one before; concurrent writers keep one chain', async () => {
    await writeEntries(5);
    const audit = createAuditQueries(api.db.pool);
    await Promise.all(Array.from({ length: 20 }, (_, i) => audit.insertAuditEntry({ actor: `parallel-${i}`, action: 'x', authorityId: 'koeln' })));
    expect(await audit.verifyAuditChain()).toEqual([]);
    const { rows } = await api.db.pool.query('SELECT chain_seq, prev_hash, row_hash FROM audit_log ORDER BY chain_seq');
    rows.forEach((row, index) => {
      expect(Number(row.chain_seq)).toBe(index + 1);
      if (index > 0) expect(row.prev_hash).toEqual(rows[index - 1].row_hash);
    });
  });

  test('a row changed by the superuser with the triggers switched off is found', async () => {
    await writeEntries(3);
    const { rows } = await api.db.pool.query("SELECT id FROM audit_log WHERE actor = 'clerk-1' ORDER BY id DESC LIMIT 1");
    await tamper("UPDATE audit_log SET actor = 'someone-else' WHERE id = $1", [rows[0].id]);
    expect(await createAuditQueries(api.db.pool).verifyAuditChain()).toEqual([
      { chainSeq: expect.any(String), id: String(rows[0].id), problem: 'the row was changed after it was written' },
    ]);
    await tamper("UPDATE audit_log SET actor = 'clerk-1' WHERE id = $1", [rows[0].id]);
    expect(await createAuditQueries(api.db.pool).verifyAuditChain()).toEqual([]);
  });

  test('a row deleted by the superuser leaves a gap that is found', async () => {
    await writeEntries(3);
    const { rows } = await api.db.pool.query('SELECT id, chain_seq FROM audit_log ORDER BY chain_seq DESC LIMIT 3');
    const middle = rows[1];
    await tamper('DELETE FROM audit_log WHERE id = $1', [middle.id]);
    const problems = await createAuditQueries(api.db.pool).verifyAuditChain();
    expect(problems).toEqual([expect.objectContaining({ id: String(rows[0].id), problem: `rows ${middle.chain_seq} to ${middle.chain_seq} are missing` })]);
  });

  test('a role that does not own the table may insert and read, but not update, delete or truncate', async () => {
    const role = `kim_app_${randomBytes(4).toString('hex')}`;
    const password = randomBytes(12).toString('hex');
    const pool = api.db.pool;
    await pool.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
    try {
      await pool.query(`GRANT ALL ON audit_log TO ${role}`);
      await pool.query(`GRANT USAGE ON SEQUENCE audit_log_id_seq TO ${role}`);
      await pool.query('SELECT audit_log_restrict_role($1)', [role]);
      const url = new URL(api.db.url);
      url.username = role;
      url.password = password;
      const app = new Pool({ connectionString: url.toString(), max: 1 });
      try {
        await createAuditQueries(app).insertAuditEntry({ actor: 'app-role', action: 'x', authorityId: 'koeln' });
        expect((await app.query("SELECT count(*)::int AS n FROM audit_log WHERE actor = 'app-role'")).rows[0].n).toBe(1);
        await expect(app.query("UPDATE audit_log SET actor = 'x' WHERE actor = 'app-role'")).rejects.toThrow(/permission denied/);
        await expect(app.query("DELETE FROM audit_log WHERE actor = 'app-role'")).rejects.toThrow(/permission denied/);
        await expect(app.query('TRUNCATE audit_log')).rejects.toThrow(/permission denied/);
        await expect(app.query('ALTER TABLE audit_log DISABLE TRIGGER USER')).rejects.toThrow(/must be owner/);
      } finally {
        await app.end();
      }
      // PUBLIC holds no such privilege either.
      const { rows } = await pool.query("SELECT privilege_type FROM information_schema.role_table_grants WHERE table_name = 'audit_log' AND grantee = 'PUBLIC'");
      expect(rows.map((r) => r.privilege_type)).not.toEqual(expect.arrayContaining(['UPDATE']));
    } finally {
      await pool.query(`REVOKE ALL ON audit_log FROM ${role}`);
      await pool.query(`REVOKE ALL ON SEQUENCE audit_log_id_seq FROM ${role}`);
      await pool.query(`DROP ROLE ${role}`);
    }
  });
});

describe('/health', () => {
  let api: Awaited<ReturnType<typeof startApiOnly>>;
  beforeAll(async () => {
    // Temporal is not running, SMTP not reachable: liveness still answers, and says nothing about them.
    api = await startApiOnly();
  });
  afterAll(async () => {
    await api?.stop();
  });

  test('the public answer is liveness only: no dependency, no error text, no SMTP login', async () => {
    const response = await api.request('GET', '/health');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  test('details only for an admin', async () => {
    expect((await api.request('GET', '/health/details')).status).toBe(401);
    const clerk = await api.tokenFor(['ebh_clerk']);
    expect((await api.request('GET', '/health/details', { authorization: `Bearer ${clerk}` })).status).toBe(403);
    const admin = await api.tokenFor(['admin']);
    const details = await api.request('GET', '/health/details', { authorization: `Bearer ${admin}` });
    expect(details.status).toBe(503);
    expect(details.body).toMatchObject({
      status: 'degraded',
      checks: { database: { status: 'ok' }, temporal: { status: 'failing' }, smtp: { status: 'failing', error: expect.any(String) } },
    });
  });
});
