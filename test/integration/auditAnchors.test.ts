import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createAuditQueries } from '../../db/queries/audit';
import { createTestDatabase } from '../support/postgres';

const run = promisify(execFile);

/**
 * The audit chain's head anchored outside the database (`npm run audit-chain -- anchor`, a line
 * with an HMAC under a key the database does not hold appended to a file under DATA_DIR), and
 * checked against it (`… verify`). What audit_log_verify() alone cannot see — the owner of the
 * table deleting the newest rows, or rewriting a row and recomputing every hash after it — the
 * anchors show; a forged anchor line without the key is refused. The script as npm runs it.
 */
describe('audit chain anchors outside the database (PostgreSQL)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let dataDir: string;
  beforeEach(async () => {
    db = await createTestDatabase();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kim-audit-anchors-'));
  });
  afterEach(async () => {
    await db?.drop();
  });

  const auditChain = (...args: string[]) =>
    run(process.execPath, [path.resolve(__dirname, '../../scripts/auditChain.js'), ...args], { env: { ...process.env, DATABASE_URL: db.url, DATA_DIR: dataDir } })
      .then(({ stdout }) => ({ code: 0, stdout }), (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }));
  const write = async (count: number) => {
    for (let i = 0; i < count; i++) await createAuditQueries(db.pool).insertAuditEntry({ actor: 'clerk-1', action: 'register.person.read', authorityId: 'koeln', detail: { n: i } });
  };
  /** What the table's owner can do: switch the append-only trigger off, change, switch it on. */
  const asOwner = async (sql: string, params: unknown[] = []) => {
    await db.pool.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_or_delete');
    await db.pool.query(sql, params);
    await db.pool.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update_or_delete');
  };

  test('anchored, intact: verify passes; the anchor file and the key file outside the database are 0600', async () => {
    await write(3);
    expect((await auditChain('anchor')).code).toBe(0);
    await write(2);
    expect((await auditChain('anchor')).code).toBe(0);
    const file = path.join(dataDir, 'audit-anchors.log');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line).chainSeq)).toEqual(['3', '5']);
    expect(fs.statSync(path.join(dataDir, 'keys', 'audit-chain-key')).mode & 0o777).toBe(0o600);
    const verified = await auditChain('verify');
    expect(verified).toMatchObject({ code: 0 });
    expect(verified.stdout).toContain('intact');
  });

  test('the newest rows deleted by the owner: the chain alone looks intact, the anchor finds them missing', async () => {
    await write(6);
    expect((await auditChain('anchor')).code).toBe(0);
    await asOwner('DELETE FROM audit_log WHERE chain_seq > 4');
    expect(await createAuditQueries(db.pool).verifyAuditChain()).toEqual([]);
    const verified = await auditChain('verify');
    expect(verified.code).toBe(1);
    expect(verified.stdout).toContain('row 6');
    expect(verified.stdout).toContain('missing');
  });

  test('a row rewritten and every hash after it recomputed: the anchored head no longer matches', async () => {
    await write(5);
    expect((await auditChain('anchor')).code).toBe(0);
    await asOwner("UPDATE audit_log SET actor = 'someone-else' WHERE chain_seq = 2");
    await asOwner(`DO $$ DECLARE r audit_log; previous bytea; BEGIN
      SELECT row_hash INTO previous FROM audit_log WHERE chain_seq = 1;
      FOR r IN SELECT * FROM audit_log WHERE chain_seq >= 2 ORDER BY chain_seq LOOP
        r.prev_hash := previous; r.row_hash := sha256(previous || audit_log_canonical(r));
        UPDATE audit_log SET prev_hash = r.prev_hash, row_hash = r.row_hash WHERE id = r.id;
        previous := r.row_hash;
      END LOOP; END $$`);
    expect(await createAuditQueries(db.pool).verifyAuditChain()).toEqual([]);
    const verified = await auditChain('verify');
    expect(verified.code).toBe(1);
    expect(verified.stdout).toContain('row 5');
    expect(verified.stdout).toContain('differs');
  });

  test('an anchor line written without the key is refused', async () => {
    await write(2);
    expect((await auditChain('anchor')).code).toBe(0);
    const { rows } = await db.pool.query("SELECT encode(row_hash, 'hex') AS hash FROM audit_log WHERE chain_seq = 2");
    fs.appendFileSync(path.join(dataDir, 'audit-anchors.log'), `${JSON.stringify({ chainSeq: '2', rowHash: rows[0].hash, at: new Date(0).toISOString(), mac: randomBytes(32).toString('hex') })}\n`);
    const verified = await auditChain('verify');
    expect(verified.code).toBe(1);
    expect(verified.stdout).toContain('line 2');
    expect(verified.stdout).toContain('HMAC');
  });
});
