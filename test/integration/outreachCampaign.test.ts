import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatCsv } from '../../api/naturalisation/csv';
import { optOutUrl } from '../../activities/outreach/relay';
import { outreachSettings } from '../../api/outreach/service';
import { extractPdfText } from '../support/pdfText';
import { startSystem, validApplicationBody } from '../support/system';

process.env.OUTREACH_CONTACT_BASIS = 'legal_basis';
process.env.OUTREACH_LEGAL_BASIS_REFERENCE = '§ 1 Informationsschreiben-Testgrundlage NRW';
process.env.OUTREACH_OPT_OUT_SECRET = 'integration-test-secret';

const cohortSize = 2000;
const lettersOnly = 3;
const keyOf = (raw: string) => /^x-outbox-key:\s*(.+)$/im.exec(raw)?.[1]?.trim();
const isCampaignMail = (m: { raw: string }) => keyOf(m.raw)?.startsWith('outreach/campaign/') === true;

/**
 * A campaign through the API on real parts (PostgreSQL, the Temporal dev server, an SMTP
 * listener): persons loaded by the register's CSV import, a cohort previewed without personal
 * data, sent at a throttled rate, paused and resumed — every message arrives once, no duplicate
 * and no gap, counted by message key at the listener. The opt-out link works without login (its page
 * asks, its POST opts out) and a forged one is refused; a person who applied drops out; conversion figures suppress small cells.
 */
describe('outreach campaigns (PostgreSQL, Temporal dev server, SMTP)', () => {
  let system: Awaited<ReturnType<typeof startSystem>>;
  let clerk: string;
  let coordinator: string;

  beforeAll(async () => {
    system = await startSystem();
    clerk = `Bearer ${await system.tokenFor(['abh_clerk'], 'koeln', 'clerk-outreach')}`;
    coordinator = `Bearer ${await system.tokenFor(['coordinator'], 'koeln', 'coordinator-1')}`;
  });
  afterAll(async () => {
    await system?.stop();
  });

  const asCoordinator = (method: string, path: string, body?: unknown) => system.request(method, path, body, { authorization: coordinator });
  const name = (i: number) => ({ given: `Given${i}`, family: `Family${i}` });

  async function loadPersons() {
    const languages = ['ar', 'tr', 'uk', 'ru', 'fa', 'en', 'de', 'vi'];
    const rows = [['file_number', 'family_name', 'given_names', 'date_of_birth', 'nationalities', 'email', 'preferred_language', 'street', 'postal_code', 'city']];
    for (let i = 0; i < cohortSize; i++) rows.push([`K-${i}`, name(i).family, name(i).given, '1985-03-04', 'SY', `p${i}@example.org`, languages[i % languages.length]!, '', '', '']);
    for (let i = 0; i < 10; i++) rows.push([`T-${i}`, `Other${i}`, 'Other', '1980-01-01', 'TR', `t${i}@example.org`, 'tr', '', '', '']);
    // Three without e-mail, with a postal address: they get a printed letter.
    for (let i = 0; i < lettersOnly; i++) rows.push([`L-${i}`, `Letter${i}`, 'Letter', '1970-01-01', 'SY', '', 'fa', `Venloer Str. ${100 + i}`, '50825', 'Köln']);
    const upload = await system.request('POST', '/api/v1/persons/imports?kind=persons', formatCsv(rows, ';'), { authorization: clerk, 'content-type': 'text/csv; charset=utf-8' });
    expect(upload.status).toBe(202);
    for (let i = 0; i < 600; i++) {
      const view = await system.request('GET', `/api/v1/persons/imports/${upload.body.id}`, undefined, { authorization: clerk });
      if (view.body.status === 'completed') return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('import did not finish');
  }

  const personIdOf = async (fileNumber: string) =>
    (await system.db.pool.query<{ id: string }>('SELECT id FROM persons WHERE file_number = $1', [fileNumber])).rows[0]!.id;

  async function apply(i: number) {
    const created = await system.request(
      'POST',
      '/api/v1/naturalisation/applications',
      validApplicationBody({ applicant: { givenNames: name(i).given, familyName: name(i).family, dateOfBirth: '1985-03-04', email: `p${i}@example.org`, preferredLanguage: 'en' } }),
    );
    expect(created.status).toBe(201);
  }

  async function waitForStatus(id: string, status: string) {
    for (let i = 0; i < 1200; i++) {
      const view = await asCoordinator('GET', `/api/v1/outreach/campaigns/${id}`);
      if (view.body.status === status) return view.body;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`campaign did not reach ${status}`);
  }

  test('preview, throttled send, pause and resume: every message once; opt-out and applicants excluded; letters printed; cancel; figures suppress small cells', async () => {
    await loadPersons();

    // Opt-out without login: a forged token is refused and changes nothing; the genuine one works.
    const optedOutId = await personIdOf('K-7');
    const token = new URL(optOutUrl(outreachSettings(), optedOutId)).searchParams.get('token')!;
    const forged = await system.request('GET', `/api/v1/outreach/opt-out?token=${encodeURIComponent(token.slice(0, -2) + 'xx')}`, undefined, { authorization: null });
    expect(forged.status).toBe(403);
    expect((await system.db.pool.query('SELECT 1 FROM outreach_opt_outs')).rowCount).toBe(0);
    // Opening the link only shows the confirmation page; its POST (the form, or RFC 8058 one-click) opts out.
    const page = await system.request('GET', `/api/v1/outreach/opt-out?token=${encodeURIComponent(token)}`, undefined, { authorization: null });
    expect(page.status).toBe(200);
    expect((await system.db.pool.query('SELECT 1 FROM outreach_opt_outs')).rowCount).toBe(0);
    const genuine = await system.request('POST', `/api/v1/outreach/opt-out?token=${encodeURIComponent(token)}`, undefined, { authorization: null });
    expect(genuine).toMatchObject({ status: 200, body: { optedOut: true } });
    // A person who has applied drops out of outreach.
    await apply(11);

    const preview = await asCoordinator('POST', '/api/v1/outreach/campaigns/preview', { cohort: { nationalities: ['SY'] } });
    expect(preview.status).toBe(200);
    expect(preview.body.total).toBe(cohortSize - 2 + lettersOnly);
    // Only three have no e-mail: a group below five, so neither the e-mail figure nor the sample (test/integration/outreachCohortPreview.test.ts).
    expect(preview.body).toMatchObject({ withEmail: null, fewerThan: null, sample: [] });
    expect((await asCoordinator('POST', '/api/v1/outreach/campaigns/preview', { cohort: { nationalities: ['syria'] } })).status).toBe(400);

    const created = await asCoordinator('POST', '/api/v1/outreach/campaigns', {
      name: 'Infoabend mit Migrantenorganisationen',
      cohort: { nationalities: ['SY'] },
      content: { topic: 'information_event', title: { de: 'Infoabend Einbürgerung', ar: 'أمسية معلومات حول التجنس' }, details: { de: 'Wir laden Sie ein.' }, eventOn: '2027-01-20', place: 'Köln' },
      ratePerSecond: 100,
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect((await asCoordinator('POST', `/api/v1/outreach/campaigns/${id}/resume`)).status).toBe(409);

    // Pause while sending: it takes effect after the running batch; then nothing more arrives.
    await system.smtp.waitFor(isCampaignMail, 50, 60_000);
    const paused = await asCoordinator('POST', `/api/v1/outreach/campaigns/${id}/pause`);
    expect(paused.status).toBe(200);
    const whilePaused = await waitForStatus(id, 'paused');
    const receivedAtPause = system.smtp.received.filter(isCampaignMail).length;
    expect(receivedAtPause).toBe(whilePaused.progress.sent);
    expect(whilePaused.progress.queued).toBeGreaterThan(0);
    expect(whilePaused.progress.sent).toBeLessThan(cohortSize - 2);

    const resumed = await asCoordinator('POST', `/api/v1/outreach/campaigns/${id}/resume`);
    expect(resumed.status).toBe(200);
    const done = await waitForStatus(id, 'completed');
    expect(done.progress).toMatchObject({ sent: cohortSize - 2, queued: 0, failed: 0, bounced: 0, optedOut: 1, letters: lettersOnly });
    expect(done.recipients).toBe(cohortSize - 2 + lettersOnly);
    expect((await asCoordinator('POST', `/api/v1/outreach/campaigns/${id}/pause`)).status).toBe(409);

    // Count by message key at the listener: each key exactly once, and exactly the queued keys.
    const campaignMails = system.smtp.received.filter(isCampaignMail);
    const keys = campaignMails.map((m) => keyOf(m.raw));
    expect(new Set(keys).size).toBe(keys.length);
    const expected = (await system.db.pool.query<{ message_key: string }>("SELECT message_key FROM outreach_messages WHERE campaign_id = $1 AND status = 'sent'", [id])).rows.map((r) => r.message_key);
    expect([...keys].sort()).toEqual([...expected].sort());
    expect(keys).not.toContain(`outreach/campaign/${id}/${optedOutId}`);
    expect(keys).not.toContain(`outreach/campaign/${id}/${await personIdOf('K-11')}`);
    expect(new Set(campaignMails.flatMap((m) => m.recipients)).size).toBe(cohortSize - 2);

    expect(expected).toHaveLength(cohortSize - 2);

    // The CLI: progress as a bar, and the printed letters as PDFs.
    // Run asynchronously: a blocked event loop would leave the API's idle keep-alive sockets to be reset under the next request.
    const cli = (args: string[]) =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
        const child = spawn(process.execPath, [path.resolve(__dirname, '..', '..', 'scripts', 'campaign.js'), ...args], { env: { ...process.env, DATABASE_URL: system.db.url } });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
        child.once('error', reject);
        child.once('close', (status) => resolve({ status, stdout, stderr }));
      });
    const status = await cli(['status', id, '--once']);
    expect(status.status).toBe(0);
    expect(status.stdout + status.stderr).toContain(`sent ${cohortSize - 2} failed 0 bounced 0 opted out 1 | completed`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outreach-letters-'));
    const letters = await cli(['letters', id, dir, '--authority', 'koeln']);
    expect(letters.status).toBe(0);
    const files = fs.readdirSync(dir);
    expect(files).toHaveLength(lettersOnly);
    // One letter per person without e-mail, named by the person: the window address, then German,
    // then the person's language (Persian; its words come out in visual order, right to left, so
    // "… گرامی،" reads "،یمارگ …" and "با احترام" reads "مارتحا اب").
    for (let i = 0; i < lettersOnly; i++) {
      const file = `${await personIdOf(`L-${i}`)}.pdf`;
      expect(files).toContain(file);
      const pdf = fs.readFileSync(path.join(dir, file));
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      const text = extractPdfText(pdf);
      expect(text.startsWith(`Letter Letter${i}\nVenloer Str. ${100 + i}\n50825 Köln\n`)).toBe(true);
      expect(text).toContain(`Guten Tag Letter Letter${i},\nInfoabend Einbürgerung\nWir laden Sie ein.\nTermin: 20.01.2027, Ort: Köln`);
      expect(text).toContain(`،یمارگ Letter Letter${i}\n`);
      expect(text).toContain('مارتحا اب');
      expect(text.indexOf('Guten Tag')).toBeLessThan(text.indexOf('،یمارگ'));
      expect(text).not.toMatch(/Dear |Merhaba|مرحبا/);
    }

    // Conversion (printed letters count as contacted): 3 applicants after the message are a
    // small cell (suppressed), 6 are shown.
    const contacted = cohortSize - 2 + lettersOnly;
    for (const i of [20, 21, 22]) await apply(i);
    let figures = await asCoordinator('GET', '/api/v1/statistics/outreach');
    expect(figures.status).toBe(200);
    expect(figures.body.cells).toEqual([expect.objectContaining({ kind: 'campaign', contacted, applied: null, conversion: null })]);
    for (const i of [23, 24, 25]) await apply(i);
    figures = await asCoordinator('GET', '/api/v1/statistics/outreach');
    expect(figures.body.cells).toEqual([expect.objectContaining({ kind: 'campaign', contacted, applied: 6, conversion: Math.round((6 / contacted) * 1000) / 1000 })]);
    // A campaign cancelled before its start sends nothing; a second cancel is refused.
    const later = await asCoordinator('POST', '/api/v1/outreach/campaigns', {
      name: 'Später',
      cohort: { nationalities: ['TR'] },
      content: { topic: 'general_information', title: { de: 'Information' }, details: { de: 'Text.' } },
      startsAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(later.status).toBe(201);
    expect((await asCoordinator('POST', `/api/v1/outreach/campaigns/${later.body.id}/cancel`)).status).toBe(200);
    const cancelled = await waitForStatus(later.body.id, 'cancelled');
    expect(cancelled.recipients).toBeNull();
    expect(Object.values(cancelled.progress).every((n) => n === 0)).toBe(true);
    expect((await asCoordinator('POST', `/api/v1/outreach/campaigns/${later.body.id}/cancel`)).status).toBe(409);
    expect(system.smtp.received.filter((m) => keyOf(m.raw)?.startsWith(`outreach/campaign/${later.body.id}`))).toHaveLength(0);

    // Another authority's coordinator sees none of it; a clerk may not read the figures.
    const other = await system.request('GET', '/api/v1/statistics/outreach', undefined, { authorization: `Bearer ${await system.tokenFor(['coordinator'], 'bonn', 'coord-bonn')}` });
    expect(other.body.cells).toEqual([]);
    expect((await system.request('GET', `/api/v1/outreach/campaigns/${id}`, undefined, { authorization: `Bearer ${await system.tokenFor(['coordinator'], 'bonn', 'coord-bonn')}` })).status).toBe(404);
    expect((await system.request('GET', '/api/v1/statistics/outreach', undefined, { authorization: clerk })).status).toBe(403);
  });
});
