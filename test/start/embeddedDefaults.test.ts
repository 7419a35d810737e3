import fs from 'node:fs';
import { Client } from 'pg';
import { descendantsOf } from '../../scripts/processTree';
import { checkPage, launchBrowser, signIn } from '../browser/browser';
import { eicar } from '../support/clamd';
import { startNpmStart } from '../support/npmStart';
import { validApplicationBody } from '../support/system';

/**
 * `npm start` as a new user runs it, on its embedded defaults: its own PostgreSQL server, the
 * SMTP sink, the Temporal dev server, and clamd where installed. Everything goes through its HTTP
 * API; stored rows are read from its database afterwards.
 */

type System = Awaited<ReturnType<typeof startNpmStart>>;

const day = 86_400_000;
/** A calendar day relative to now (the system under test takes the same wall clock). */
const daysFromNow = (days: number) => new Date(Date.now() + days * day).toISOString().slice(0, 10);

const pdf = (text: string) => Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from(`% ${text}\n`), Buffer.alloc(1024, 0x20), Buffer.from('\n%%EOF\n')]);

async function waitFor<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function query<T extends Record<string, unknown>>(system: System, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: system.databaseUrl() });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** An application through the API whose applicant has been asked for the passport: it may upload. */
async function applicationAwaitingPassport(system: System) {
  const created = await system.request('POST', '/api/v1/naturalisation/applications', validApplicationBody());
  expect(created.status).toBe(201);
  const path = `/api/v1/naturalisation/applications/${created.body.id}`;
  const view = await waitFor('completeness check', async () => {
    const seen = await system.request('GET', path);
    return seen.body.stage === 'completeness_check' ? seen.body : undefined;
  });
  const checked = await system.request('POST', `${path}/completeness-check`, { checklist: [{ type: 'passport', status: 'missing' }], expectedVersion: view.version });
  expect(checked.status).toBe(200);
  await waitFor('waiting for documents', async () => ((await system.request('GET', path)).body.stage === 'waiting_for_documents' ? true : undefined));
  return { id: created.body.id as string, reference: created.body.reference as string, accessCode: created.body.accessCode as string };
}

async function upload(system: System, application: { reference: string; accessCode: string }, content: Buffer) {
  const response = await fetch(`${system.baseUrl}/api/v1/status/naturalisation/documents?type=passport`, {
    method: 'POST',
    headers: { 'content-type': 'application/pdf', 'x-reference': application.reference, 'x-access-code': application.accessCode },
    body: content,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('npm start on its embedded defaults, on a machine without clamd', () => {
  let system: System;
  beforeAll(async () => {
    system = await startNpmStart({ env: { CLAMD_BINARY: 'none' } });
  });
  afterAll(async () => {
    await system?.stop();
  });

  test('concurrent clients of two authorities work every process at once, a handoff among them: every answer right, every row their own, nothing waiting', async () => {
    const clients = 6;
    const failures: string[] = [];
    /** One request, its status checked; a wrong one is collected with its answer. */
    const call = async (token: string, method: string, path: string, expected: number, body?: unknown) => {
      const answer = await system.request(method, path, body, { authorization: `Bearer ${token}` });
      if (answer.status !== expected) failures.push(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
      return answer;
    };

    const day_ = async (i: number) => {
      const authority = i % 2 === 0 ? 'koeln' : 'bonn';
      const abh = await system.tokenFor(['abh_clerk'], authority, `abh-${i}`);
      const ebh = await system.tokenFor(['ebh_clerk'], authority, `ebh-${i}`);
      const fileNumber = `ABH-LOAD-${i}`;
      const created = await call(abh, 'POST', '/api/v1/persons', 201, {
        fileNumber,
        givenNames: `Given${i}`,
        familyName: `Family${i}`,
        dateOfBirth: '1990-06-01',
        nationalities: ['AF'],
        contact: { email: `load${i}@example.org` },
        preferredLanguage: 'fa',
        source: 'clerk',
      });
      const personId: string = created.body.person.id;
      let version: number = created.body.person.version;
      const since = daysFromNow(-40);
      const additions: Array<[string, Record<string, unknown>]> = [
        ['residence-periods', { period: { status: 'duldung', from: daysFromNow(-7 * 366), duldungGround: '§ 60a Abs. 2 Satz 1 AufenthG' } }],
        ['facts', { fact: { kind: 'language_certificate', data: { level: 'A2', issuedOn: since } } }],
        ['facts', { fact: { kind: 'employment', data: { from: since, hoursPerWeek: 39, fullTime: true } } }],
        ['facts', { fact: { kind: 'benefits', data: { scheme: 'none', from: since } } }],
      ];
      for (const [path, body] of additions) {
        const added = await call(abh, 'POST', `/api/v1/persons/${personId}/${path}`, 200, { expectedVersion: version, source: 'document', ...body });
        version = added.body.person.version;
      }
      const [check, , application] = await Promise.all([
        call(abh, 'POST', '/api/v1/residence/checks', 201, { personId, contactConsent: true }),
        call(abh, 'POST', `/api/v1/persons/${personId}/consents`, 201, {
          purpose: 'case_management_handoff',
          recipients: ['case_management', 'originating_authority'],
          dataCategories: ['name', 'contact', 'language', 'needs', 'case_deadline', 'outcomes'],
          validFrom: daysFromNow(-30),
          validUntil: daysFromNow(365),
          formReference: `EW-LOAD-${i}`,
        }),
        call(ebh, 'POST', '/api/v1/naturalisation/applications', 201, validApplicationBody({
          applicant: { givenNames: `Nour${i}`, familyName: `Applicant${i}`, dateOfBirth: '1988-03-03', email: `applicant${i}@example.org`, preferredLanguage: 'en' },
        })),
      ]);
      const handoff = await call(abh, 'POST', '/api/v1/handoffs', 201, { personId, needs: ['language'], urgency: 'normal' });
      // Reads interleaved with the other clients' writes.
      const [person, queue] = await Promise.all([
        call(abh, 'GET', `/api/v1/persons/${personId}`, 200),
        call(abh, 'GET', '/api/v1/queue?caseType=residence', 200),
        call(abh, 'GET', `/api/v1/persons?name=Family${i}`, 200),
        call(ebh, 'GET', `/api/v1/naturalisation/applications/${application.body.id}`, 200),
      ]);
      return { i, authority, abh, ebh, fileNumber, personId, person: person.body, queue: queue.body, checkId: check.body.id as string, handoffId: handoff.body.handoffId as string, applicationId: application.body.id as string };
    };

    const days = await Promise.all(Array.from({ length: clients }, (_, i) => day_(i)));
    expect(failures).toEqual([]);

    for (const d of days) {
      // What each client read is its own person, and its queue holds only its authority's checks.
      expect(d.person).toMatchObject({ person: { id: d.personId, fileNumber: d.fileNumber, givenNames: `Given${d.i}`, familyName: `Family${d.i}` } });
      const ownChecks = days.filter((other) => other.authority === d.authority).map((other) => other.checkId);
      for (const item of d.queue.items as Array<{ id: string }>) expect(ownChecks).toContain(item.id);
      // Every process moves on: the residence check asks for evidence, the handoff waits for case management, the application is checked.
      await waitFor(`check ${d.i}`, async () => ((await system.request('GET', `/api/v1/residence/checks/${d.checkId}`, undefined, { authorization: `Bearer ${d.abh}` })).body.stage === 'awaiting_evidence' ? true : undefined));
      await waitFor(`handoff ${d.i}`, async () => ((await system.request('GET', `/api/v1/handoffs/${d.handoffId}`, undefined, { authorization: `Bearer ${d.abh}` })).body.stage === 'awaiting_acceptance' ? true : undefined));
      await waitFor(`application ${d.i}`, async () => ((await system.request('GET', `/api/v1/naturalisation/applications/${d.applicationId}`, undefined, { authorization: `Bearer ${d.ebh}` })).body.stage === 'completeness_check' ? true : undefined));
    }

    // The stored rows: each person as sent, in its authority, with its own periods, facts, consent, check and handoff.
    const persons = await query<{ id: string; authority_id: string; file_number: string; given_names: string; family_name: string }>(
      system, "SELECT id, authority_id, file_number, given_names, family_name FROM persons WHERE file_number LIKE 'ABH-LOAD-%' ORDER BY file_number",
    );
    expect(persons).toEqual(days.map((d) => ({ id: d.personId, authority_id: d.authority, file_number: d.fileNumber, given_names: `Given${d.i}`, family_name: `Family${d.i}` })));
    const perPerson = await query<{ person_id: string; periods: number; facts: number; consents: string; checks: string; handoffs: string }>(
      system,
      `SELECT p.id AS person_id,
              (SELECT count(*)::int FROM person_residence_periods r WHERE r.person_id = p.id) AS periods,
              (SELECT count(*)::int FROM person_facts f WHERE f.person_id = p.id) AS facts,
              (SELECT string_agg(form_reference, ',') FROM person_consents c WHERE c.person_id = p.id) AS consents,
              (SELECT string_agg(id::text, ',') FROM residence_checks rc WHERE rc.person_id = p.id) AS checks,
              (SELECT string_agg(id::text, ',') FROM handoffs h WHERE h.person_id = p.id) AS handoffs
         FROM persons p WHERE p.file_number LIKE 'ABH-LOAD-%' ORDER BY p.file_number`,
    );
    expect(perPerson).toEqual(days.map((d) => ({ person_id: d.personId, periods: 1, facts: 3, consents: `EW-LOAD-${d.i}`, checks: d.checkId, handoffs: d.handoffId })));
    const applicants = await query<{ id: string; authority_id: string; family_name: string }>(
      system, "SELECT id, authority_id, family_name FROM naturalisation_applications WHERE family_name LIKE 'Applicant%' ORDER BY family_name",
    );
    expect(applicants).toEqual(days.map((d) => ({ id: d.applicationId, authority_id: d.authority, family_name: `Applicant${d.i}` })));

    // Nothing is left waiting inside a transaction, and nothing failed in the log.
    const waiting = await query<{ n: number }>(system, "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'");
    expect(waiting[0].n).toBe(0);
    const errors = system.log().filter((line) => line.level >= 50 || /PoolSelfWait|database is unavailable|prepared statement/i.test(JSON.stringify(line)));
    expect(errors).toEqual([]);
  });

  test('without clamd the applicant\'s upload is stored marked "unscanned", the clerk sees that, and the log said scanning is off', async () => {
    const warning = system.log().find((line) => /virus scanning is off/.test(line.msg));
    expect(warning?.msg).toContain('CLAMD_BINARY=none');
    expect(warning?.msg).toContain('"unscanned"');
    const application = await applicationAwaitingPassport(system);
    const uploaded = await upload(system, application, pdf('Reisepass'));
    expect(uploaded.status).toBe(201);
    expect(uploaded.body).toMatchObject({ scanVerdict: 'unscanned' });
    const seen = await system.request('GET', `/api/v1/naturalisation/applications/${application.id}/documents`);
    expect(seen.status).toBe(200);
    expect(seen.body.documents).toEqual([expect.objectContaining({ type: 'passport', scanVerdict: 'unscanned' })]);

    // The clerk's case page in the console says so in words.
    const browser = await launchBrowser();
    try {
      const page = await (await browser.newContext()).newPage();
      await signIn(page, system.baseUrl, 'ebh-anna');
      await page.goto(`${system.baseUrl}/console/naturalisation/${application.id}`);
      expect(await page.textContent('ul.documents')).toContain('Pass — application/pdf');
      expect(await page.textContent('ul.documents')).toContain('(nicht auf Viren geprüft — Virenprüfung war ausgeschaltet)');
      await checkPage(page, 'npm-start-unscanned-document');
    } finally {
      await browser.close();
    }
  });
});

describe('npm start with Debian\'s clamd installed', () => {
  let system: System;
  beforeAll(async () => {
    system = await startNpmStart();
  });
  afterAll(async () => {
    await system?.stop();
  });

  test('it starts clamd itself: the project\'s test signature is refused and nothing stored; a clean file is stored as clean', async () => {
    const started = system.log().find((line) => line.msg === 'embedded clamd listening');
    expect(started).toMatchObject({ port: system.ports.CLAMD_PORT });
    expect(String(started?.signatures)).toMatch(/EICAR test signature|\/var\/lib\/clamav/);
    const application = await applicationAwaitingPassport(system);
    const infected = await upload(system, application, Buffer.concat([pdf('x'), Buffer.from(eicar)]));
    expect(infected.status).toBe(422);
    const clean = await upload(system, application, pdf('Reisepass'));
    expect(clean.status).toBe(201);
    expect(clean.body).toMatchObject({ scanVerdict: 'clean' });
    const stored = await query<{ scan_verdict: string }>(system, 'SELECT scan_verdict FROM applicant_documents WHERE case_id = $1', [application.id]);
    expect(stored).toEqual([{ scan_verdict: 'clean' }]);
  });
});

describe('a stop that stops', () => {
  test('SIGTERM while the database does not answer: npm start and every process it started are gone within 10 s', async () => {
    const system = await startNpmStart({ env: { CLAMD_BINARY: 'none' } });
    const pid = system.process.pid!;
    const tree = descendantsOf(pid);
    const postgres = tree.filter((child) => {
      try {
        return fs.readFileSync(`/proc/${child}/comm`, 'utf8').trim() === 'postgres';
      } catch {
        return false;
      }
    });
    try {
      expect(postgres.length).toBeGreaterThan(1);
      // The database stops answering: every PostgreSQL process is frozen (SIGSTOP), mid-whatever.
      for (const process_ of postgres) process.kill(process_, 'SIGSTOP');
      const answer = await Promise.race([
        system.request('GET', '/api/v1/persons?name=x').then((r) => r.status),
        new Promise((resolve) => setTimeout(() => resolve('no answer yet'), 1_000)),
      ]);
      expect(answer).not.toBe(200);
      const stoppedAt = Date.now();
      system.process.kill('SIGTERM');
      await Promise.race([system.exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      const alive = [pid, ...tree].filter((target) => {
        try {
          process.kill(target, 0);
          return !/^\S+ \(.*\) Z/.test(fs.readFileSync(`/proc/${target}/stat`, 'utf8'));
        } catch {
          return false;
        }
      });
      expect({ alive, withinMs: Date.now() - stoppedAt <= 10_500 }).toEqual({ alive: [], withinMs: true });
    } finally {
      for (const target of [pid, ...tree]) {
        try {
          process.kill(target, 'SIGKILL');
        } catch {
          // gone
        }
      }
      await system.stop();
    }
  });

  test('a restart on the same folder keeps what was stored', async () => {
    const first = await startNpmStart({ env: { CLAMD_BINARY: 'none' }, keepData: true });
    const created = await first.request('POST', '/api/v1/naturalisation/applications', validApplicationBody());
    expect(created.status).toBe(201);
    await first.stop();
    // The audit chain's head was anchored outside the database (at the latest at the stop).
    const anchors = fs.readFileSync(`${first.dataDir}/audit-anchors.log`, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { chainSeq: string });
    expect(anchors.length).toBeGreaterThan(0);
    const second = await startNpmStart({ env: { CLAMD_BINARY: 'none' }, dataDir: first.dataDir });
    try {
      const again = await second.request('GET', `/api/v1/naturalisation/applications/${created.body.id}`);
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ id: created.body.id, reference: created.body.reference });
    } finally {
      await second.stop();
    }
  });
});
