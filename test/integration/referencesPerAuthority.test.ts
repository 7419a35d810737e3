import { randomUUID } from 'node:crypto';
import { formatCsv } from '../../api/naturalisation/csv';
import { toBerlinLocalDate } from '../../domain/calendar/berlinTime';
import { addDays } from '../../domain/calendar/localDate';
import { subjectOf } from '../support/smtp';
import { validApplicationBody } from '../support/system';
import { startBacklogSystem, waitUntil } from '../support/backlogImport';

const header = ['reference', 'given_names', 'family_name', 'date_of_birth', 'email', 'preferred_language', 'filed_on'];
const base = '/api/v1/naturalisation/applications';
const codePattern = /[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}/;
const mailText = (raw: string) => raw.replace(/=\r?\n/g, '');

/**
 * Issue 12, item 8: a backlog import must not tell one authority that a reference belongs to
 * another authority's case. References are unique per authority; the applicant's status lookup
 * (reference and access code) still opens exactly the right case.
 */
describe('case references per authority', () => {
  let backlog: Awaited<ReturnType<typeof startBacklogSystem>>;
  beforeAll(async () => {
    backlog = await startBacklogSystem({ settings: { chunkSize: 10, chunksPerRun: 2, maxBytes: 1024 * 1024 } });
  });
  afterAll(async () => {
    await backlog?.stop();
  });

  const importAs = async (token: string, rows: string[][]) => {
    const upload = await backlog.request('POST', '/api/v1/naturalisation/imports', {
      body: formatCsv([header, ...rows]),
      token,
      headers: { 'idempotency-key': `refs-${randomUUID()}` },
    });
    expect(upload.status).toBe(202);
    let job: Record<string, unknown> = upload.body;
    await waitUntil(async () => {
      job = (await backlog.request('GET', `/api/v1/naturalisation/imports/${upload.body.id}`, { token })).body;
      return job.status === 'completed';
    }, 60_000, 'the import to complete');
    const rejections = (await backlog.request('GET', `/api/v1/naturalisation/imports/${upload.body.id}/rejections?limit=50`, { token })).body.items;
    return { job, rejections };
  };
  const row = (reference: string, email: string) => [reference, 'Lina', 'Berger', '1988-03-14', email, 'de', addDays(toBerlinLocalDate(Date.now()), -10)];

  test("authority B imports references A uses (typed in by A, and generated at A's registration): accepted, no hint; a lookup still opens the right case", async () => {
    const koelnClerk = await backlog.system.tokenFor(['ebh_clerk'], 'koeln', 'clerk-koeln');
    const bonnClerk = await backlog.system.tokenFor(['ebh_clerk'], 'bonn', 'clerk-bonn');
    // Typed in lower case; stored, like every reference, in capitals.
    const typed = `az-${randomUUID().slice(0, 8)}/17`;
    const legacy = typed.toUpperCase();

    // Köln: one case imported under its legacy reference, one registered (generated reference).
    const koelnImport = await importAs(koelnClerk, [row(typed, 'koeln-import@example.org')]);
    expect(koelnImport.job).toMatchObject({ accepted: 1, rejected: 0 });
    const registered = await backlog.system.request('POST', base, validApplicationBody(), { authorization: `Bearer ${koelnClerk}` });
    expect(registered.status).toBe(201);

    // Bonn imports both references: accepted like any fresh reference — nothing says Köln has them.
    const bonnImport = await importAs(bonnClerk, [row(legacy, 'bonn-legacy@example.org'), row(registered.body.reference, 'bonn-applicant@example.org')]);
    expect(bonnImport.job).toMatchObject({ accepted: 2, rejected: 0 });
    expect(bonnImport.rejections).toEqual([]);
    const stored = await backlog.system.db.pool.query<{ authority_id: string; reference: string }>(
      'SELECT authority_id, reference FROM naturalisation_applications WHERE reference = ANY($1) ORDER BY reference, authority_id',
      [[legacy, registered.body.reference]],
    );
    expect(stored.rows.map((r) => `${r.authority_id}:${r.reference}`).sort()).toEqual(
      [`bonn:${legacy}`, `koeln:${legacy}`, `bonn:${registered.body.reference}`, `koeln:${registered.body.reference}`].sort(),
    );

    // Within its own authority a reference is still unique, in whatever case it is typed: the answer names its own case only.
    const again = await importAs(bonnClerk, [row(typed, 'bonn-again@example.org')]);
    expect(again.job).toMatchObject({ accepted: 0, rejected: 1 });
    expect(again.rejections[0].reason).toBe('reference: is already the reference of another case');

    // The applicant lookup: Köln's code opens Köln's case; Bonn's case under the same reference
    // opens with Bonn's code only (issued by Bonn's clerk, told by letter).
    const bonnCase = (await backlog.system.db.pool.query<{ id: string }>("SELECT id FROM naturalisation_applications WHERE authority_id = 'bonn' AND reference = $1", [registered.body.reference])).rows[0];
    let view = await backlog.system.request('GET', `${base}/${bonnCase.id}`, undefined, { authorization: `Bearer ${bonnClerk}` });
    for (let i = 0; i < 100 && view.body.stage !== 'completeness_check'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      view = await backlog.system.request('GET', `${base}/${bonnCase.id}`, undefined, { authorization: `Bearer ${bonnClerk}` });
    }
    const reissued = await backlog.system.request('POST', `${base}/${bonnCase.id}/access-code`, { expectedVersion: view.body.version }, { authorization: `Bearer ${bonnClerk}` });
    expect(reissued.status).toBe(200);
    const [letter] = await backlog.system.smtp.waitFor((m) => m.recipients.includes('bonn-applicant@example.org') && subjectOf(m).startsWith('Neuer Zugangscode'));
    const bonnCode = mailText(letter.raw).match(codePattern)![0];

    const lookup = (accessCode: string) =>
      backlog.system.request('POST', '/api/v1/status/naturalisation', { reference: registered.body.reference, accessCode }, { authorization: null });
    expect((await lookup(registered.body.accessCode)).status).toBe(200);
    expect((await lookup(bonnCode)).status).toBe(200);
    expect((await lookup('AAAA-BBBB-CCCC')).status).toBe(404);
    const audited = await backlog.system.db.pool.query<{ authority_id: string | null; case_id: string | null; outcome: string }>(
      "SELECT authority_id, case_id, outcome FROM audit_log WHERE action = 'naturalisation.status.lookup' ORDER BY id",
    );
    expect(audited.rows.map((r) => [r.authority_id, r.case_id, r.outcome])).toEqual([
      ['koeln', registered.body.id, 'allowed'],
      ['bonn', bonnCase.id, 'allowed'],
      [null, null, 'refused'],
    ]);
  });
});
