import { createOutreachActivities, refreshOutreachDates } from '../../activities/outreach';
import { optOutUrl } from '../../activities/outreach/relay';
import { outreachSettings } from '../../api/outreach/service';
import { addResidencePeriod, createPerson } from '../../api/persons/service';
import { createPersonBodySchema, periodBodySchema } from '../../api/persons/schemas';
import { toBerlinLocalDate } from '../../domain/calendar/berlinTime';
import { startApiOnly } from '../support/api';
import { testMail } from '../support/system';

process.env.OUTREACH_CONTACT_BASIS = 'legal_basis';
process.env.OUTREACH_LEGAL_BASIS_REFERENCE = '§ 1 Informationsschreiben-Testgrundlage NRW';
process.env.OUTREACH_OPT_OUT_SECRET = 'opt-out-page-test-secret';

/**
 * The opt-out link over HTTP, without login, against PostgreSQL: GET shows a confirmation page
 * (German, then the person's language, nothing about the person, a form with the signed token)
 * and changes nothing — the daily run still queues the person's message; POST opts out at once,
 * from the page's form (an HTML answer) and as RFC 8058 one-click (the mails' List-Unsubscribe-Post);
 * a forged token gets a 403 page and changes nothing.
 */
describe('outreach opt-out page (HTTP, PostgreSQL)', () => {
  let api: Awaited<ReturnType<typeof startApiOnly>>;
  const principal = { subject: 'clerk-1', roles: ['abh_clerk' as const], authorityId: 'koeln' };
  const today = toBerlinLocalDate(Date.now());

  beforeAll(async () => {
    api = await startApiOnly();
  });
  afterAll(async () => {
    await api?.stop();
  });

  /** A person whose five years of residence are complete today (§ 10 Abs. 1 Satz 1 StAG): due for the eligibility message. */
  async function registerDueToday(name: string, language: string) {
    const record = await createPerson(
      api.deps,
      principal,
      createPersonBodySchema.parse({
        fileNumber: `F-${name}`,
        givenNames: name,
        familyName: 'Haddad',
        dateOfBirth: '1990-05-05',
        contact: { postalAddress: null, email: `${name.toLowerCase()}@example.org`, phone: null },
        preferredLanguage: language,
      }),
    );
    const from = `${Number(today.slice(0, 4)) - 5}${today.slice(4)}`;
    await addResidencePeriod(api.deps, principal, record.person.id, periodBodySchema.parse({ expectedVersion: record.person.version, period: { status: 'permit', from, permitBasis: '§ 25 Abs. 2 AufenthG' } }));
    return record.person.id;
  }

  const linkOf = (personId: string) => {
    const url = new URL(optOutUrl(outreachSettings(), personId));
    return `${url.pathname}${url.search}`;
  };
  const get = (path: string) => fetch(`${api.baseUrl}${path}`, { headers: { accept: 'text/html' } });
  const messages = async () =>
    Object.fromEntries((await api.db.pool.query<{ person_id: string; status: string }>('SELECT person_id, status FROM outreach_messages')).rows.map((r) => [r.person_id, r.status]));
  const optOuts = async () => (await api.db.pool.query<{ person_id: string }>('SELECT person_id FROM outreach_opt_outs ORDER BY person_id')).rows.map((r) => r.person_id);

  test('GET asks and changes nothing; POST from the form and one-click opt out at once; a forged link is a 403 page', async () => {
    const amina = await registerDueToday('Amina', 'ar');
    const berk = await registerDueToday('Berk', 'tr');

    // A link scanner (or the person) opens both links: a page in German, then the person's language.
    const page = await get(linkOf(amina));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    const german = html.indexOf('<section lang="de" dir="ltr">');
    const arabic = html.indexOf('<section lang="ar" dir="rtl">');
    expect(german).toBeGreaterThan(0);
    expect(arabic).toBeGreaterThan(german);
    expect(html).toContain('Möchten Sie keine weiteren Informationsschreiben');
    expect(html).toContain('إلغاء الاشتراك');
    // Nothing about the person but the signed token in the form.
    for (const personal of ['Amina', 'Haddad', 'amina@example.org', '1990']) expect(html).not.toContain(personal);
    const action = /<form method="post" action="([^"]+)">/.exec(html)?.[1]?.replace(/&amp;/g, '&');
    expect(action).toBe(linkOf(amina));
    expect((await get(linkOf(berk))).status).toBe(200);
    expect(await optOuts()).toEqual([]);

    // Berk's mail client unsubscribes by RFC 8058 one-click: a POST of the List-Unsubscribe URL.
    const oneClick = await fetch(`${api.baseUrl}${linkOf(berk)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    expect(await oneClick.json()).toEqual({ optedOut: true });
    expect(await optOuts()).toEqual([berk]);

    // The day's run still addresses Amina, whose link was only opened — and not Berk.
    await refreshOutreachDates(api.db.pool, today);
    expect(await createOutreachActivities({ pool: api.db.pool, mail: testMail }).queueDueEligibilityMessages({ day: today })).toBe(1);
    expect(await messages()).toEqual({ [amina]: 'queued' });

    // Amina submits the page's form: opted out at once, her queued message withdrawn; the answer is a page in German and Arabic.
    const submitted = await fetch(`${api.baseUrl}${action}`, {
      method: 'POST',
      headers: { accept: 'text/html,application/xhtml+xml', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(submitted.status).toBe(200);
    const done = await submitted.text();
    expect(done).toContain('Sie sind abgemeldet.');
    expect(done).toContain('<section lang="ar" dir="rtl">');
    expect(done).not.toContain('<form');
    expect((await optOuts()).sort()).toEqual([amina, berk].sort());
    expect(await messages()).toEqual({ [amina]: 'skipped_opted_out' });

    // A forged or altered link: a 403 page in German and English (the person is unknown), nothing changes.
    const carla = await registerDueToday('Carla', 'fa');
    const genuine = new URL(optOutUrl(outreachSettings(), carla)).searchParams.get('token')!;
    const forged = `/api/v1/outreach/opt-out?token=${encodeURIComponent(genuine.slice(0, -2) + (genuine.endsWith('AA') ? 'BB' : 'AA'))}`;
    const refused = await get(forged);
    expect(refused.status).toBe(403);
    const refusedHtml = await refused.text();
    expect(refusedHtml).toContain('Dieser Abmeldelink ist nicht gültig.');
    expect(refusedHtml).toContain('<section lang="en" dir="ltr">');
    expect(refusedHtml).not.toContain('<form');
    expect((await fetch(`${api.baseUrl}${forged}`, { method: 'POST', headers: { accept: 'text/html' } })).status).toBe(403);
    const forgedJson = await fetch(`${api.baseUrl}${forged}`, { method: 'POST' });
    expect(forgedJson.status).toBe(403);
    expect(await forgedJson.json()).toMatchObject({ code: 'outreach.invalid_token' });
    expect((await get('/api/v1/outreach/opt-out')).status).toBe(400);
    expect((await optOuts()).sort()).toEqual([amina, berk].sort());
    const audit = await api.db.pool.query<{ action: string; outcome: string }>(
      "SELECT action, outcome FROM audit_log WHERE actor = 'opt-out-link' ORDER BY id",
    );
    expect(audit.rows).toEqual([
      { action: 'outreach.opt_out.page', outcome: 'allowed' },
      { action: 'outreach.opt_out.page', outcome: 'allowed' },
      { action: 'outreach.opt_out', outcome: 'allowed' },
      { action: 'outreach.opt_out', outcome: 'allowed' },
      { action: 'outreach.opt_out.page', outcome: 'refused' },
      { action: 'outreach.opt_out', outcome: 'refused' },
      { action: 'outreach.opt_out', outcome: 'refused' },
    ]);
  });
});
