import { Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import { startOfDayInBerlin, toBerlinLocalDate } from '../../domain/calendar/berlinTime';
import { addDays } from '../../domain/calendar/localDate';
import { formatGermanDate } from '../../domain/letters/naturalisationLetters';
import { createMailer } from '../../worker/mailer';
import { residenceSweep } from '../../workflows/residence';
import { getExpiryWatchStateQuery, residenceTaskQueues, residenceWorkflowId, type ExpiryWatchState } from '../../workflows/residenceDefinitions';
import { startApiOnly } from '../support/api';
import { extractPdfText } from '../support/pdfText';
import { startTestSmtp } from '../support/smtp';
import { startTestRelay } from '../support/relay';
import { testMail } from '../support/system';
import { createTimeSkippingEnvironment, workflowBundle } from '../support/temporal';

const minute = 60_000;

/**
 * The print queue end to end: a permit holder without an e-mail address, registered through the
 * register's API, reaches the reminder date of the permit-expiry watch under time skipping; the
 * letter is kept "to print"; the clerk of the authority finds it in the queue, downloads it as a
 * PDF (German first, the documents to bring, the appointment offer, the postal address) and
 * marks it posted, after which it leaves the queue. Another authority's clerk, and a clerk of
 * another process, do not find it.
 */
describe('print queue: letters to persons without e-mail (time skipping, PostgreSQL, API)', () => {
  let env: TestWorkflowEnvironment;
  let api: Awaited<ReturnType<typeof startApiOnly>>;
  let smtp: Awaited<ReturnType<typeof startTestSmtp>>;
  let workers: Worker[];
  let running: Promise<unknown>;
  let relay: ReturnType<typeof startTestRelay> | undefined;
  const auth: Record<string, string> = {};

  beforeAll(async () => {
    [env, smtp] = await Promise.all([createTimeSkippingEnvironment(), startTestSmtp()]);
    api = await startApiOnly({ temporal: env.client });
    const activities = createActivities({ pool: api.db.pool, mailer: createMailer(smtp.url), clock: () => new Date(), mail: testMail, temporal: env.client });
    const bundle = await workflowBundle();
    workers = await Promise.all([
      Worker.create({ connection: env.nativeConnection, taskQueue: residenceTaskQueues.residence, workflowBundle: bundle, activities }),
      Worker.create({ connection: env.nativeConnection, taskQueue: residenceTaskQueues.messages, activities }),
    ]);
    running = Promise.all(workers.map((w) => w.run()));
    relay = startTestRelay(api.db.pool, smtp.url);
    auth.koeln = `Bearer ${await api.tokenFor(['abh_clerk'], 'koeln', 'clerk.koeln')}`;
    auth.bonn = `Bearer ${await api.tokenFor(['abh_clerk'], 'bonn', 'clerk.bonn')}`;
    auth.ebh = `Bearer ${await api.tokenFor(['ebh_clerk'], 'koeln', 'clerk.ebh')}`;
  });
  afterAll(async () => {
    workers?.forEach((w) => w.shutdown());
    await running;
    await relay?.stop();
    await env?.teardown();
    await smtp?.stop();
    await api?.stop();
  });

  const call = async (method: string, path: string, as: string, body?: unknown) => api.request(method, path, { authorization: auth[as] }, body);
  const pdfOf = (id: string, as: string) => fetch(`${api.baseUrl}/api/v1/letters/${id}/pdf`, { headers: { authorization: auth[as] } });

  test('reminder date reached → a letter to print → the clerk downloads its PDF → marks it posted → it leaves the queue; other authority or process: 404', async () => {
    const start = toBerlinLocalDate(await env.currentTimeMs());
    const expiresOn = addDays(start, 60);
    const created = await call('POST', '/api/v1/persons', 'koeln', {
      fileNumber: 'ABH-PRINT-1',
      givenNames: 'Olena',
      familyName: 'Kovalenko',
      dateOfBirth: '1990-04-04',
      nationalities: ['UA'],
      contact: { postalAddress: { street: 'Domstraße 1', postalCode: '50667', city: 'Köln' }, email: null },
      preferredLanguage: 'uk',
      source: 'clerk',
    });
    expect(created.status).toBe(201);
    const person = (created.body as { person: { id: string; version: number } }).person;
    const added = await call('POST', `/api/v1/persons/${person.id}/residence-periods`, 'koeln', {
      expectedVersion: person.version,
      source: 'document',
      period: { status: 'permit', from: addDays(start, -700), to: expiresOn, permitBasis: '§ 24 AufenthG' },
    });
    expect(added.status).toBe(200);
    // A second holder without e-mail, whose letter comes the same day (for the queue's pages).
    const other = await call('POST', '/api/v1/persons', 'koeln', { fileNumber: 'ABH-PRINT-2', givenNames: 'Ivan', familyName: 'Petrenko', dateOfBirth: '1988-08-08', preferredLanguage: 'uk', source: 'clerk' });
    const otherPerson = (other.body as { person: { id: string; version: number } }).person;
    const otherPeriod = { status: 'permit', from: addDays(start, -700), to: expiresOn, permitBasis: '§ 24 AufenthG' };
    expect((await call('POST', `/api/v1/persons/${otherPerson.id}/residence-periods`, 'koeln', { expectedVersion: otherPerson.version, source: 'document', period: otherPeriod })).status).toBe(200);

    // The daily sweep starts the watch (run directly; its result read without unlocking time skipping).
    const sweep = await env.client.workflow.start(residenceSweep, { taskQueue: residenceTaskQueues.residence, workflowId: 'sweep-print', args: [{}] });
    for (let i = 0; i < 200 && (await sweep.describe()).status.name === 'RUNNING'; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await new Client({ connection: env.connection, namespace: env.namespace }).workflow.getHandle<typeof residenceSweep>('sweep-print').result()).toEqual({ watchesStarted: 2, transitionChecksStarted: 0 });
    const { rows } = await api.db.pool.query("SELECT id, reference FROM residence_checks WHERE person_id = $1 AND kind = 'permit_expiry'", [person.id]);
    const watch = env.client.workflow.getHandle(residenceWorkflowId(rows[0].id));
    let state: ExpiryWatchState | undefined;
    for (let i = 0; i < 200 && !state?.reminderOn; i++) state = await watch.query(getExpiryWatchStateQuery);
    const reminderAt = startOfDayInBerlin(state!.reminderOn!);

    // A minute before the reminder's instant nothing is queued; a minute after, the letter is.
    await env.sleep(reminderAt - (await env.currentTimeMs()) - minute);
    expect((await call('GET', '/api/v1/letters/to-print', 'koeln')).body).toEqual({ items: [], next: null });
    await env.sleep(2 * minute);
    for (let i = 0; i < 200 && (await watch.query(getExpiryWatchStateQuery)).reminder?.channel !== 'print'; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await watch.query(getExpiryWatchStateQuery)).flags).toContain('letter_to_print');

    // Two letters, page by page (keyset on the letter id): one each, then no further page.
    let firstPage = await call('GET', '/api/v1/letters/to-print?limit=1', 'koeln');
    for (let i = 0; i < 100 && (firstPage.body as { next: string | null }).next === null; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      firstPage = await call('GET', '/api/v1/letters/to-print?limit=1', 'koeln');
    }
    const next = (firstPage.body as { next: string }).next;
    const secondPage = await call('GET', `/api/v1/letters/to-print?limit=1&after=${next}`, 'koeln');
    expect((secondPage.body as { next: string | null }).next).toBeNull();
    const both = [firstPage, secondPage].flatMap((page) => (page.body as { items: { id: string; caseId: string; recipient: { name: string } }[] }).items);
    expect(both.map((letter) => letter.recipient.name).sort()).toEqual(['Ivan Petrenko', 'Olena Kovalenko']);
    expect(Number(both[0].id)).toBeLessThan(Number(both[1].id));

    const queue = await call('GET', '/api/v1/letters/to-print', 'koeln');
    expect(queue.status).toBe(200);
    const items = (queue.body as { items: { id: string; caseId: string; createdAt: string }[] }).items.filter((letter) => letter.caseId === rows[0].id);
    expect(items).toEqual([
      expect.objectContaining({
        caseId: rows[0].id,
        caseType: 'residence',
        kind: 'residence.expiry_reminder',
        reference: rows[0].reference,
        recipient: { name: 'Olena Kovalenko', postalAddress: { street: 'Domstraße 1', postalCode: '50667', city: 'Köln', country: 'DE' } },
        postedAt: null,
      }),
    ]);
    const letterId = items[0].id;

    // Another authority's clerk, and a clerk of another process, find nothing.
    expect((await call('GET', '/api/v1/letters/to-print', 'bonn')).body).toEqual({ items: [], next: null });
    expect((await call('GET', '/api/v1/letters/to-print', 'ebh')).body).toEqual({ items: [], next: null });
    expect((await pdfOf(letterId, 'bonn')).status).toBe(404);
    expect((await pdfOf(letterId, 'ebh')).status).toBe(404);
    expect((await call('POST', `/api/v1/letters/${letterId}/posted`, 'bonn', {})).status).toBe(404);
    expect((await call('GET', '/api/v1/letters/x1/pdf', 'koeln')).status).toBe(400);

    // The clerk's PDF: a valid PDF, German first, the documents to bring and the appointment offer.
    const response = await pdfOf(letterId, 'koeln');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await response.arrayBuffer());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-6).toString('latin1')).toMatch(/%%EOF\s*$/);
    const text = extractPdfText(pdf);
    expect(text).toContain('Olena Kovalenko\nDomstraße 1\n50667 Köln');
    expect(text).toContain(`Ihr Aufenthaltstitel läuft am ${formatGermanDate(expiresOn)} ab (${rows[0].reference})`);
    expect(text).toContain(`Ihr Aufenthaltstitel ist gültig bis zum ${formatGermanDate(expiresOn)}.`);
    expect(text).toContain('Bitte bringen Sie mit:\n- gültiger Reisepass oder Passersatz\n- aktueller Aufenthaltstitel');
    expect(text).toContain('Wir bieten Ihnen gern einen Termin an');
    expect(text.indexOf('Guten Tag Olena Kovalenko')).toBeLessThan(text.indexOf('Dear Olena Kovalenko'));

    // Posted: recorded, audited, out of the queue; posting again is refused.
    const posted = await call('POST', `/api/v1/letters/${letterId}/posted`, 'koeln', {});
    expect(posted.status).toBe(200);
    expect(posted.body).toMatchObject({ id: letterId, postedBy: 'clerk.koeln', postedAt: expect.any(String) });
    expect((await call('GET', '/api/v1/letters/to-print', 'koeln')).body).toEqual({ items: [expect.objectContaining({ recipient: expect.objectContaining({ name: 'Ivan Petrenko' }) })], next: null });
    expect((await call('POST', `/api/v1/letters/${letterId}/posted`, 'koeln', {})).status).toBe(409);
    const audit = await api.db.pool.query("SELECT actor, action, outcome FROM audit_log WHERE action LIKE 'letters.letter.%' ORDER BY id");
    expect(audit.rows).toEqual([
      { actor: 'clerk.bonn', action: 'letters.letter.download', outcome: 'refused' },
      { actor: 'clerk.ebh', action: 'letters.letter.download', outcome: 'refused' },
      { actor: 'clerk.bonn', action: 'letters.letter.posted', outcome: 'refused' },
      { actor: 'clerk.koeln', action: 'letters.letter.download', outcome: 'allowed' },
      { actor: 'clerk.koeln', action: 'letters.letter.posted', outcome: 'allowed' },
    ]);
  });
});
