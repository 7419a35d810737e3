import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createOutreachCampaignQueries } from '../../db/queries/outreachCampaigns';
import { startApiOnly } from '../support/api';

const run = promisify(execFile);

/**
 * `npm run campaign -- letters`: the print office's PDF letters (names and addresses) of one
 * authority only — named on the command line, required —, written readable by their owner only
 * (0600, in a 0700 folder), and the export audited with the persons it names. The script as
 * `npm run campaign` runs it (dist/scripts/campaign.js) against a test database; the persons
 * registered through the API, the printable messages as the outreach relay leaves them.
 */
describe('campaign letters: one authority, 0600, audited (PostgreSQL)', () => {
  let api: Awaited<ReturnType<typeof startApiOnly>>;
  const persons: Record<string, string> = {};
  let bonnCampaign: string;

  beforeAll(async () => {
    api = await startApiOnly();
    for (const [authority, fileNumber, familyName] of [['koeln', 'K-1', 'Haddad'], ['koeln', 'K-2', 'Osei'], ['bonn', 'B-1', 'Nowak']]) {
      const token = `Bearer ${await api.tokenFor(['abh_clerk'], authority, `clerk-${authority}`)}`;
      const created = await api.request('POST', '/api/v1/persons', { authorization: token }, {
        fileNumber, givenNames: 'Test', familyName, dateOfBirth: '1985-03-04', nationalities: ['SY'], preferredLanguage: 'de',
        contact: { postalAddress: { street: 'Markt 1', postalCode: '50667', city: authority === 'bonn' ? 'Bonn' : 'Köln' }, email: null, phone: null },
      });
      expect(created.status).toBe(201);
      const id = (created.body?.person as { id: string }).id;
      persons[familyName] = id;
      await api.db.pool.query(
        "INSERT INTO outreach_eligibility_dates (person_id, authority_id, residence_met_on, person_version, computed_on) VALUES ($1, $2, '2026-01-15', 1, '2026-01-15')",
        [id, authority],
      );
      await api.db.pool.query(
        "INSERT INTO outreach_messages (message_key, person_id, authority_id, kind, channel, status, languages, created_on) VALUES ($1, $2, $3, 'eligibility', 'letter', 'printable', '{de}', '2026-01-15')",
        [`eligibility:${id}`, id, authority],
      );
    }
    bonnCampaign = (await createOutreachCampaignQueries(api.db.pool).insertCampaign({
      id: '7a0c1e52-3b7d-4f0e-9a61-2d5e8c4b9f10', authorityId: 'bonn', name: 'Infoabend', cohort: { nationalities: ['SY'] },
      content: { topic: 'information_event', title: { de: 'Infoabend' }, details: { de: 'Wir laden Sie ein.' } }, ratePerSecond: 5, startsAt: new Date(), createdBy: 'coordinator-bonn',
    } as never)).id;
  });
  afterAll(async () => {
    await api?.stop();
  });

  const letters = (...args: string[]) =>
    run(process.execPath, [path.resolve(__dirname, '../../scripts/campaign.js'), 'letters', ...args], {
      env: { ...process.env, DATABASE_URL: api.db.url, OUTREACH_OPT_OUT_SECRET: 'campaign-letters-test-secret', DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'kim-letters-data-')) },
    }).then(({ stdout }) => ({ code: 0, stdout, stderr: '' }), (error: { code: number; stdout: string; stderr: string }) => error);
  const outputDir = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kim-letters-')), 'out');

  test("the eligibility letters of Köln only, each 0600 in a 0700 folder, and one audit entry naming Köln's persons", async () => {
    const dir = outputDir();
    const result = await letters('eligibility', dir, '--authority', 'koeln');
    expect(result.code).toBe(0);
    expect(fs.readdirSync(dir).sort()).toEqual([`${persons.Haddad}.pdf`, `${persons.Osei}.pdf`].sort());
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    for (const file of fs.readdirSync(dir)) expect(fs.statSync(path.join(dir, file)).mode & 0o777).toBe(0o600);
    const { rows } = await api.db.pool.query("SELECT actor, authority_id, outcome, detail FROM audit_log WHERE action = 'outreach.letters.export'");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ authority_id: 'koeln', outcome: 'allowed', detail: { letters: 'eligibility', count: 2 } });
    expect(rows[0].actor).toMatch(/^cli:/);
    expect([...rows[0].detail.personIds].sort()).toEqual([persons.Haddad, persons.Osei].sort());
    // Written again into the same folder: still 0600.
    fs.chmodSync(path.join(dir, `${persons.Osei}.pdf`), 0o644);
    expect((await letters('eligibility', dir, '--authority', 'koeln')).code).toBe(0);
    expect(fs.statSync(path.join(dir, `${persons.Osei}.pdf`)).mode & 0o777).toBe(0o600);
  });

  test('without an authority nothing is read or written; another authority\'s campaign is not found', async () => {
    const dir = outputDir();
    const missing = await letters('eligibility', dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--authority');
    expect(fs.existsSync(dir)).toBe(false);
    const foreign = await letters(bonnCampaign, dir, '--authority', 'koeln');
    expect(foreign.code).toBe(1);
    expect(fs.existsSync(dir)).toBe(false);
    const { rows } = await api.db.pool.query("SELECT authority_id, outcome FROM audit_log WHERE action = 'outreach.letters.export' AND outcome = 'refused'");
    expect(rows).toEqual([{ authority_id: 'koeln', outcome: 'refused' }]);
  });
});
