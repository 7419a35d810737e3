import fs from 'node:fs/promises';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import pino from 'pino';
import { createActivities } from '../../activities';
import { optOutUrl } from '../../activities/outreach/relay';
import type { ApiDependencies } from '../../api/deps';
import { optOut, outreachSettings, readOutreachDate } from '../../api/outreach/service';
import { addResidencePeriod, correctResidencePeriod, createPerson } from '../../api/persons/service';
import { createPersonBodySchema, periodBodySchema } from '../../api/persons/schemas';
import { startOfDayInBerlin, toBerlinLocalDate } from '../../domain/calendar/berlinTime';
import { addDays } from '../../domain/calendar/localDate';
import { createMailer } from '../../worker/mailer';
import { getOutreachDailyStateQuery, outreachDailyWorkflowId, outreachTaskQueue, type OutreachDailyState } from '../../workflows/outreachDefinitions';
import { serialiseHistory } from '../support/histories';
import { createTestDatabase } from '../support/postgres';
import { startTestSmtp, subjectOf } from '../support/smtp';
import { testMail } from '../support/system';
import { createTimeSkippingEnvironment, workflowBundle } from '../support/temporal';

process.env.OUTREACH_CONTACT_BASIS = 'legal_basis';
process.env.OUTREACH_LEGAL_BASIS_REFERENCE = '§ 1 Informationsschreiben-Testgrundlage NRW';
process.env.OUTREACH_OPT_OUT_SECRET = 'workflow-test-secret';

const runHour = 6;
const keyOf = (raw: string) => /^x-outbox-key:\s*(.+)$/im.exec(raw)?.[1]?.trim();

/**
 * The daily run of eligibility-date messages on the time-skipping server, against PostgreSQL and
 * a real SMTP listener, with persons registered through the register's service: on the day a
 * person's five years are complete (§ 10 Abs. 1 Satz 1 StAG), at the run hour, exactly one
 * message in German and their language; none for a person who opted out; a history change
 * moves the date.
 */
describe('outreach eligibility-date messages (time skipping)', () => {
  let env: TestWorkflowEnvironment;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let smtp: Awaited<ReturnType<typeof startTestSmtp>>;
  let worker: Worker;
  let running: Promise<unknown>;
  let deps: ApiDependencies;
  const principal = { subject: 'clerk-1', roles: ['abh_clerk' as const], authorityId: 'koeln' };

  beforeAll(async () => {
    [env, db, smtp] = await Promise.all([createTimeSkippingEnvironment(), createTestDatabase(), startTestSmtp()]);
    const activities = createActivities({ pool: db.pool, mailer: createMailer(smtp.url), clock: () => new Date(), mail: testMail });
    worker = await Worker.create({ connection: env.nativeConnection, taskQueue: outreachTaskQueue, workflowBundle: await workflowBundle(), activities });
    running = worker.run();
    deps = { pool: db.pool, temporal: env.client, logger: pino({ level: 'silent' }), clock: () => new Date() } as unknown as ApiDependencies;
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
    await smtp?.stop();
    await db?.drop();
  });

  async function register(name: string, language: string, firstDay: string) {
    const record = await createPerson(
      deps,
      principal,
      createPersonBodySchema.parse({
        fileNumber: `F-${name}`,
        givenNames: name,
        familyName: 'Test',
        dateOfBirth: '1990-05-05',
        nationalities: ['SY'],
        contact: { postalAddress: null, email: `${name.toLowerCase()}@example.org`, phone: null },
        preferredLanguage: language,
      }),
    );
    const after = await addResidencePeriod(
      deps,
      principal,
      record.person.id,
      periodBodySchema.parse({ expectedVersion: record.person.version, period: { status: 'permit', from: firstDay, permitBasis: '§ 25 Abs. 2 AufenthG' } }),
    );
    return after;
  }

  async function waitForRun(day: string): Promise<OutreachDailyState> {
    const handle = env.client.workflow.getHandle(outreachDailyWorkflowId);
    const target = startOfDayInBerlin(day) + runHour * 3_600_000;
    const now = await env.currentTimeMs();
    if (target > now) await env.sleep(target - now + 1000);
    for (let i = 0; i < 600; i++) {
      const state = await handle.query(getOutreachDailyStateQuery);
      if (state.lastRunDay === day) return state;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`the run of ${day} did not happen`);
  }

  test('one message on the day, in German then Arabic; none after an opt-out; a history change moves the date', async () => {
    const start = await env.currentTimeMs();
    const today = toBerlinLocalDate(Number(start));
    const dueDay = addDays(today, 3);
    const laterDay = addDays(today, 10);
    const fiveYearsBefore = (day: string) => `${Number(day.slice(0, 4)) - 5}${day.slice(4)}`;

    const amina = await register('Amina', 'ar', fiveYearsBefore(dueDay));
    const berk = await register('Berk', 'tr', fiveYearsBefore(dueDay));
    const olena = await register('Olena', 'uk', fiveYearsBefore(dueDay));
    const vu = await register('Vu', 'vi', fiveYearsBefore(dueDay));

    await env.client.workflow.start('outreachDailyMessages', {
      taskQueue: outreachTaskQueue,
      workflowId: outreachDailyWorkflowId,
      args: [{ runHour, ratePerSecond: 20 }],
    });
    // The first run happens at once (today): it computes every date; nothing is due yet.
    const first = await waitForRun(Number(start) >= startOfDayInBerlin(today) + runHour * 3_600_000 ? today : addDays(today, -1));
    expect(first.lastComputed).toBe(4);
    for (const p of [amina, berk, olena, vu]) expect((await readOutreachDate(deps, principal, p.person.id)).residenceMetOn).toBe(dueDay);
    expect(smtp.received).toHaveLength(0);

    // Berk opts out with the link of a message (the token a letter would carry).
    const token = new URL(optOutUrl(outreachSettings(), berk.person.id)).searchParams.get('token')!;
    await optOut(deps, token);
    // Olena's permit turns out to have started a week later: her date moves by seven days.
    await correctResidencePeriod(
      deps,
      principal,
      olena.person.id,
      olena.residencePeriods[0]!.id,
      periodBodySchema.parse({ expectedVersion: olena.person.version, period: { status: 'permit', from: fiveYearsBefore(addDays(dueDay, 7)), permitBasis: '§ 25 Abs. 2 AufenthG' } }),
    );

    // Not one second before the run hour of the day ...
    const runInstant = startOfDayInBerlin(dueDay) + runHour * 3_600_000;
    await env.sleep(runInstant - 1000 - (await env.currentTimeMs()));
    expect((await env.client.workflow.getHandle(outreachDailyWorkflowId).query(getOutreachDailyStateQuery)).lastRunDay).not.toBe(dueDay);
    expect(smtp.received).toHaveLength(0);
    // ... and at it (the workflow task that wakes up is recorded within the same second).
    const due = await waitForRun(dueDay);
    expect(Date.parse(due.lastRunAt!) - runInstant).toBeGreaterThanOrEqual(0);
    expect(Date.parse(due.lastRunAt!) - runInstant).toBeLessThan(1000);
    expect(due.lastQueued).toBe(2);
    expect((await readOutreachDate(deps, principal, olena.person.id)).residenceMetOn).toBe(addDays(dueDay, 7));
    const keys = smtp.received.map((m) => keyOf(m.raw));
    expect(keys.sort()).toEqual([`outreach/eligibility/${amina.person.id}`, `outreach/eligibility/${vu.person.id}`].sort());

    const aminaMail = smtp.received.find((m) => keyOf(m.raw) === `outreach/eligibility/${amina.person.id}`)!;
    expect(aminaMail.recipients).toEqual(['amina@example.org']);
    expect(subjectOf(aminaMail)).toMatch(/^Einbürgerung: Sie erfüllen bald die Aufenthaltsdauer \/ التجنس/);
    expect(aminaMail.raw).toMatch(/text\/html/);
    const { rows } = await db.pool.query(
      `SELECT m.languages, m.template_version, m.status, o.body_text FROM outreach_messages m JOIN outbox o USING (message_key) WHERE m.person_id = $1`,
      [amina.person.id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].languages).toEqual(['de', 'ar']);
    expect(rows[0].template_version).toMatch(/^de@.+\+ar@.+$/);
    expect(rows[0].status).toBe('sent');
    expect(rows[0].body_text.startsWith('Guten Tag Amina Test,')).toBe(true);
    expect(rows[0].body_text).toContain('التجنس');
    const vuRow = await db.pool.query('SELECT languages FROM outreach_messages WHERE person_id = $1', [vu.person.id]);
    expect(vuRow.rows[0].languages).toEqual(['de', 'en']);

    // Olena's new day: her message, and nothing more for anyone else — Berk never.
    const moved = await waitForRun(addDays(dueDay, 7));
    expect(moved.lastQueued).toBe(1);
    await waitForRun(laterDay);
    const all = smtp.received.map((m) => keyOf(m.raw)).sort();
    expect(all).toEqual(
      [`outreach/eligibility/${amina.person.id}`, `outreach/eligibility/${vu.person.id}`, `outreach/eligibility/${olena.person.id}`].sort(),
    );
    expect(all.some((k) => k?.includes(berk.person.id))).toBe(false);

    // With RECORD_HISTORIES=1 the daily run's history so far goes to test/histories for the replay test.
    if (process.env.RECORD_HISTORIES === '1') {
      const file = path.resolve(__dirname, '..', '..', '..', 'test', 'histories', 'outreach-daily-v1-three-runs.json');
      await fs.writeFile(file, serialiseHistory(await env.client.workflow.getHandle(outreachDailyWorkflowId).fetchHistory()));
    }
  });
});
