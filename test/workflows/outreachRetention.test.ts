import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import pino from 'pino';
import { createActivities } from '../../activities';
import { optOutUrl } from '../../activities/outreach/relay';
import type { ApiDependencies } from '../../api/deps';
import { createCampaign, optOut, outreachSettings, readCampaign, recordConsent } from '../../api/outreach/service';
import { erasePerson } from '../../api/persons/dataRights';
import { addResidencePeriod, createPerson } from '../../api/persons/service';
import { createPersonBodySchema, periodBodySchema } from '../../api/persons/schemas';
import { createRetentionQueries } from '../../db/queries/retention';
import { startOfDayInBerlin, toBerlinLocalDate } from '../../domain/calendar/berlinTime';
import { addDays } from '../../domain/calendar/localDate';
import { campaignContentSchema } from '../../domain/outreach/cohort';
import { determineNextSweepAt } from '../../domain/retention/retentionPolicy';
import { createMailer } from '../../worker/mailer';
import { retentionSweep } from '../../workflows/retention';
import { housekeepingTaskQueue } from '../../workflows/taskQueues';
import { getOutreachDailyStateQuery, outreachDailyWorkflowId, outreachTaskQueue } from '../../workflows/outreachDefinitions';
import { createTestDatabase } from '../support/postgres';
import { startTestSmtp } from '../support/smtp';
import { testMail } from '../support/system';
import { createTimeSkippingEnvironment, workflowBundle } from '../support/temporal';

process.env.OUTREACH_CONTACT_BASIS = 'legal_basis';
process.env.OUTREACH_LEGAL_BASIS_REFERENCE = '§ 1 Informationsschreiben-Testgrundlage NRW';
process.env.OUTREACH_OPT_OUT_SECRET = 'retention-test-secret';

const day = 86_400_000;
const runHour = 6;

/**
 * The retention sweep over outreach records, on the time-skipping server against PostgreSQL and
 * an SMTP listener, with everything made through the services production uses (register,
 * opt-out link, consent, campaign and daily workflows, erasure): after the authority's period
 * the e-mails are gone and campaign recipients anonymised (Köln) or deleted (Bonn); opt-out,
 * consent and the once-only eligibility record stay while the person is registered, and a new
 * campaign still skips the person who opted out; an erased person's outreach records go at the
 * next sweep. Every removal is in the audit trail as the retention actor's, with counts.
 */
describe('retention of outreach records (time skipping)', () => {
  let env: TestWorkflowEnvironment;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let smtp: Awaited<ReturnType<typeof startTestSmtp>>;
  let workers: Worker[];
  let running: Promise<unknown>;
  let deps: ApiDependencies;
  const clerk = (authorityId: string) => ({ subject: `clerk-${authorityId}`, roles: ['abh_clerk' as const], authorityId });
  const coordinator = (authorityId: string) => ({ subject: `coordinator-${authorityId}`, roles: ['coordinator' as const], authorityId });

  beforeAll(async () => {
    [env, db, smtp] = await Promise.all([createTimeSkippingEnvironment(), createTestDatabase(), startTestSmtp()]);
    const activities = createActivities({ pool: db.pool, mailer: createMailer(smtp.url), clock: () => new Date(), mail: testMail });
    const bundle = await workflowBundle();
    workers = await Promise.all([
      Worker.create({ connection: env.nativeConnection, taskQueue: outreachTaskQueue, workflowBundle: bundle, activities }),
      Worker.create({ connection: env.nativeConnection, taskQueue: housekeepingTaskQueue, workflowBundle: bundle, activities }),
    ]);
    running = Promise.all(workers.map((w) => w.run()));
    deps = { pool: db.pool, temporal: env.client, logger: pino({ level: 'silent' }), clock: () => new Date() } as unknown as ApiDependencies;
  });
  afterAll(async () => {
    workers?.forEach((w) => w.shutdown());
    await running;
    await env?.teardown();
    await smtp?.stop();
    await db?.drop();
  });

  async function register(authorityId: string, name: string, firstDay: string) {
    const record = await createPerson(
      deps,
      clerk(authorityId),
      createPersonBodySchema.parse({
        fileNumber: `F-${name}`,
        givenNames: name,
        familyName: 'Test',
        dateOfBirth: '1990-05-05',
        nationalities: ['SY'],
        contact: { postalAddress: null, email: `${name.toLowerCase()}@example.org`, phone: null },
        preferredLanguage: 'ar',
      }),
    );
    await addResidencePeriod(
      deps,
      clerk(authorityId),
      record.person.id,
      periodBodySchema.parse({ expectedVersion: record.person.version, period: { status: 'permit', from: firstDay, permitBasis: '§ 25 Abs. 2 AufenthG' } }),
    );
    return record.person.id;
  }

  async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
    for (let i = 0; i < 600; i++) {
      const value = await read();
      if (done(value)) return value;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${what} did not happen`);
  }

  const campaignDone = (authorityId: string, id: string) =>
    until(() => readCampaign(deps, coordinator(authorityId), id), (c) => c.status === 'completed', `campaign ${id}`);
  const messagesOf = async (personId: string) =>
    (await db.pool.query('SELECT m.kind, m.status, o.recipient FROM outreach_messages m LEFT JOIN outbox o USING (message_key) WHERE m.person_id = $1 ORDER BY m.kind', [personId])).rows;
  const outboxOf = async (campaignId: string) =>
    (await db.pool.query("SELECT count(*)::int AS n FROM outbox WHERE message_key LIKE 'outreach/campaign/' || $1 || '/%'", [campaignId])).rows[0].n;
  const rowsOf = async (campaignId: string) =>
    (await db.pool.query('SELECT person_id, message_key, status, languages, anonymised_at FROM outreach_messages WHERE campaign_id = $1', [campaignId])).rows;
  const has = async (table: string, personId: string) => (await db.pool.query(`SELECT 1 FROM ${table} WHERE person_id = $1`, [personId])).rowCount === 1;
  const removals = async () =>
    (await db.pool.query(
      "SELECT action, authority_id, detail->>'records' AS records, (detail->>'count')::int AS count, detail->>'retainDays' AS days FROM audit_log WHERE actor = 'system:retention' ORDER BY id",
    )).rows;

  test('after the period e-mails go and campaign recipients are anonymised or deleted; opt-outs stay while registered; erased persons leave nothing', async () => {
    const today = toBerlinLocalDate(await env.currentTimeMs());
    const dueDay = addDays(today, 3);
    const fiveYearsBefore = (d: string) => `${Number(d.slice(0, 4)) - 5}${d.slice(4)}`;
    const amina = await register('koeln', 'Amina', fiveYearsBefore(dueDay)); // eligibility message on dueDay, and the campaign
    const berk = await register('koeln', 'Berk', '2024-01-01'); // opts out by the link
    const carla = await register('koeln', 'Carla', '2024-01-01'); // erased from the register later
    const dana = await register('koeln', 'Dana', '2024-01-01'); // consented
    const emre = await register('bonn', 'Emre', '2024-01-01');

    await optOut(deps, new URL(optOutUrl(outreachSettings(), berk)).searchParams.get('token')!);
    await recordConsent(deps as never, clerk('koeln'), dana, today);
    const content = campaignContentSchema.parse({ topic: 'information_event', title: { de: 'Infoabend' }, details: { de: 'Einbürgerung im Rathaus' } });
    const koeln = await createCampaign(deps, coordinator('koeln'), { name: 'Köln', cohort: {}, content, ratePerSecond: 50 });
    const bonn = await createCampaign(deps, coordinator('bonn'), { name: 'Bonn', cohort: {}, content, ratePerSecond: 50 });
    const koelnBefore = await campaignDone('koeln', koeln.id);
    await campaignDone('bonn', bonn.id);
    expect(koelnBefore.progress).toMatchObject({ sent: 3, optedOut: 1 });
    expect(await outboxOf(koeln.id)).toBe(3);

    await env.client.workflow.start('outreachDailyMessages', { taskQueue: outreachTaskQueue, workflowId: outreachDailyWorkflowId, args: [{ runHour, ratePerSecond: 20 }] });
    const retention = createRetentionQueries(db.pool);
    await retention.upsertRetentionSetting({ authorityId: 'koeln', caseType: 'outreach', retainDays: 30, action: 'anonymise', updatedBy: 'admin-1', confirmedBy: 'admin-2' });
    await retention.upsertRetentionSetting({ authorityId: 'bonn', caseType: 'outreach', retainDays: 30, action: 'delete', updatedBy: 'admin-1', confirmedBy: 'admin-2' });
    const sweep = await env.client.workflow.start(retentionSweep, { taskQueue: housekeepingTaskQueue, workflowId: `retention/${randomUUID()}`, args: [{ sweepsSoFar: 0 }] });

    // Carla is erased from the register (no case: nothing to keep); the next sweep takes her outreach records.
    await erasePerson(deps, { subject: 'admin-1', roles: ['admin'], authorityId: 'koeln' }, carla, { reason: 'Antrag nach Art. 17 DSGVO' });
    expect(await messagesOf(carla)).toHaveLength(1);
    const firstSweep = determineNextSweepAt(await env.currentTimeMs());
    await env.sleep(firstSweep + 60_000 - (await env.currentTimeMs()));
    await until(removals, (r) => r.length > 0, 'the first sweep');
    expect(await messagesOf(carla)).toEqual([]);
    expect(await removals()).toEqual([{ action: 'retention.delete', authority_id: 'koeln', records: 'outreach.erased_persons', count: 1, days: '30' }]);

    // Amina's eligibility message goes out on her day.
    const dueRun = startOfDayInBerlin(dueDay) + runHour * 3_600_000;
    await env.sleep(dueRun - (await env.currentTimeMs()) + 1000);
    const daily = env.client.workflow.getHandle(outreachDailyWorkflowId);
    await until(() => daily.query(getOutreachDailyStateQuery), (s) => s.lastRunDay === dueDay, 'the daily run');
    expect(await messagesOf(amina)).toEqual([
      { kind: 'campaign', status: 'sent', recipient: 'amina@example.org' },
      { kind: 'eligibility', status: 'sent', recipient: 'amina@example.org' },
    ]);

    // Carla's campaign row was anonymised with her erasure; the rest waits for the period, counted
    // from the day the campaign was queued: the last sweep before it leaves everything, the first after it removes.
    expect(await outboxOf(koeln.id)).toBe(2);
    const dueSweep = determineNextSweepAt(startOfDayInBerlin(today) + 30 * day - 1);
    await env.sleep(dueSweep - 3_600_000 - (await env.currentTimeMs()));
    expect(await outboxOf(koeln.id)).toBe(2);
    expect((await rowsOf(bonn.id)).map((r) => r.person_id)).toEqual([emre]);
    expect(await removals()).toHaveLength(1);

    await env.sleep(3_600_000 + 60_000);
    await until(removals, (r) => r.length >= 5, 'the sweep after the period');
    expect(await outboxOf(koeln.id)).toBe(0);
    const anonymised = await rowsOf(koeln.id);
    expect(anonymised).toHaveLength(4);
    expect(anonymised.every((r) => r.person_id === null && r.message_key.startsWith('outreach/anonymised/') && r.anonymised_at)).toBe(true);
    expect(anonymised.map((r) => r.status).sort()).toEqual(['sent', 'sent', 'sent', 'skipped_opted_out']);
    expect(await rowsOf(bonn.id)).toEqual([]);
    // The campaign's figures stay (no person behind them).
    expect((await readCampaign(deps, coordinator('koeln'), koeln.id)).progress).toEqual(koelnBefore.progress);
    // Kept while registered: Berk's opt-out, Dana's consent, Amina's once-only eligibility record
    // (its e-mail, queued three days after the campaign, stays until its own period is over).
    expect(await has('outreach_opt_outs', berk)).toBe(true);
    expect(await has('outreach_consents', dana)).toBe(true);
    expect(await messagesOf(amina)).toEqual([{ kind: 'eligibility', status: 'sent', recipient: 'amina@example.org' }]);
    const audited = async () => (await removals()).slice(1).map((r) => `${r.authority_id} ${r.action} ${r.records} ${r.count} ${r.days}`).sort();
    expect(await audited()).toEqual([
      'bonn retention.delete outreach.campaign_recipients 1 30',
      'bonn retention.delete outreach.message_content 1 30',
      'koeln retention.anonymise outreach.campaign_recipients 3 30',
      'koeln retention.delete outreach.message_content 2 30',
    ]);

    // Amina's eligibility e-mail goes after its own period; the record that she was informed stays.
    await env.sleep(determineNextSweepAt(startOfDayInBerlin(dueDay) + 30 * day - 1) + 60_000 - (await env.currentTimeMs()));
    await until(removals, (r) => r.length >= 6, 'the sweep after the eligibility message\'s period');
    expect(await messagesOf(amina)).toEqual([{ kind: 'eligibility', status: 'sent', recipient: null }]);
    expect((await audited()).filter((line) => line.startsWith('koeln retention.delete outreach.message_content'))).toEqual([
      'koeln retention.delete outreach.message_content 1 30',
      'koeln retention.delete outreach.message_content 2 30',
    ]);

    // The opt-out is still honoured: a new campaign skips Berk and never selects erased Carla.
    const again = await createCampaign(deps, coordinator('koeln'), { name: 'Köln 2', cohort: {}, content, ratePerSecond: 50 });
    expect((await campaignDone('koeln', again.id)).progress).toMatchObject({ sent: 2, optedOut: 1 });
    const recipients = (await rowsOf(again.id)).map((r) => r.person_id);
    expect(recipients.sort()).toEqual([amina, berk, dana].sort());
    expect((await rowsOf(again.id)).find((r) => r.person_id === berk).status).toBe('skipped_opted_out');
    await sweep.terminate('test done');
    await daily.terminate('test done');
  });
});
