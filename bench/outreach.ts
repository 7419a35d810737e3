/**
 * Benchmark of information outreach (issue 10), each figure beside the bare rate of the same
 * machine in the same run:
 *
 * 1. Outreach dates for OUTREACH_BENCH_PERSONS (default 1,000,000) registered persons with three
 *    residence periods each: the daily run's refresh (read in id chunks, compute, upsert) vs the
 *    same computation in a tight loop without I/O.
 * 2. A campaign to OUTREACH_BENCH_RECIPIENTS (default 100,000) through the real workflow and relay
 *    (Temporal dev server, PostgreSQL, pooled SMTP), paused at 20 % and resumed, vs the SMTP sink
 *    receiving the same number of pre-rendered mails as fast as it can. Duplicates and gaps are
 *    counted by message key at the sink (both must be 0).
 * 3. The alternative design, one sleeping workflow per person: OUTREACH_BENCH_SLEEPERS (default
 *    2,000) workflows that hold a timer, started against the same dev server — start rate and
 *    storage per workflow, extrapolated to 1,000,000.
 *
 * PostgreSQL: a fresh database on the test server (TEST_DATABASE_URL). `npm run bench`.
 */
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createOutreachActivities, refreshOutreachDates } from '../activities/outreach';
import { createPooledMailer } from '../activities/relay/smtp';
import { loadOutreachSettings } from '../activities/outreach/settings';
import { createOutreachCampaignQueries } from '../db/queries/outreachCampaigns';
import { toBerlinLocalDate } from '../domain/calendar/berlinTime';
import { addDays } from '../domain/calendar/localDate';
import { determineOutreachDate, type OutreachPeriod } from '../domain/outreach/eligibilityDate';
import { startSmtpListener } from '../scripts/embedded/smtpSink';
import { createTestDatabase } from '../test/support/postgres';
import { startDevServer, workflowBundle } from '../test/support/temporal';
import { createMailer } from '../worker/mailer';
import { getCampaignStateQuery, outreachCampaignWorkflowId, outreachTaskQueue, pauseCampaignUpdate, resumeCampaignUpdate } from '../workflows/outreachDefinitions';

process.env.OUTREACH_CONTACT_BASIS ??= 'legal_basis';
process.env.OUTREACH_LEGAL_BASIS_REFERENCE ??= 'benchmark';

const persons = Number(process.env.OUTREACH_BENCH_PERSONS ?? 1_000_000);
const recipients = Math.min(persons, Number(process.env.OUTREACH_BENCH_RECIPIENTS ?? 100_000));
const sleepers = Number(process.env.OUTREACH_BENCH_SLEEPERS ?? 2_000);
const mail = { from: 'Bench <bench@bench.localhost>', domain: 'bench.localhost', teamMailbox: 'team@bench.localhost' };
const say = (text: string) => console.log(text);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** Peak resident memory while `work` runs, sampled every 100 ms. */
async function measure<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number; peakRssMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  const started = process.hrtime.bigint();
  try {
    const result = await work();
    return { result, seconds: Number(process.hrtime.bigint() - started) / 1e9, peakRssMb: Math.round(Math.max(peak, process.memoryUsage().rss) / 1048576) };
  } finally {
    clearInterval(timer);
  }
}

/** The synthetic history of person i: asylum procedure with later protection, permit, settlement permit (varied dates). */
function historyOf(i: number, base: string): OutreachPeriod[] {
  const start = addDays(base, -((i * 7919) % 3650));
  const permitFrom = addDays(start, 200 + (i % 300));
  const settled = addDays(permitFrom, 1100 + (i % 400));
  return [
    { status: 'gestattung', from: start, to: addDays(permitFrom, -1), permitBasis: null, protectionGrantedLater: i % 3 !== 0 },
    { status: 'permit', from: permitFrom, to: addDays(settled, -1), permitBasis: '§ 25 Abs. 2 AufenthG', protectionGrantedLater: null },
    { status: 'settlement_permit', from: settled, to: null, permitBasis: null, protectionGrantedLater: null },
  ];
}

async function loadRegister(pool: import('pg').Pool, base: string): Promise<number> {
  // The same histories as historyOf, generated in SQL (the register's tables, all their indexes).
  await pool.query(
    `INSERT INTO persons (id, authority_id, file_number, given_names, family_name, date_of_birth, nationalities, email, preferred_language)
     SELECT gen_random_uuid(), 'koeln', 'B-' || i, 'Given' || i, 'Family' || i, DATE '1980-01-01' + (i % 7000),
            CASE WHEN i <= $2 THEN ARRAY['SY'] ELSE ARRAY['TR'] END,
            CASE WHEN i <= $2 THEN 'p' || i || '@bench.localhost' END,
            (ARRAY['ar','tr','uk','ru','fa','en','de','vi'])[1 + i % 8]
     FROM generate_series(1, $1) AS i`,
    [persons, recipients],
  );
  await pool.query(
    `INSERT INTO person_residence_periods (id, person_id, status, from_date, to_date, permit_basis, protection_granted_later, source, recorded_by, recorded_at)
     SELECT gen_random_uuid(), p.id, v.status, v.from_date, v.to_date, v.basis, v.later, 'import', 'bench', now()
     FROM (SELECT id, substr(file_number, 3)::int AS i FROM persons) p,
     LATERAL (SELECT $1::date - ((p.i::bigint * 7919) % 3650)::int AS start) s,
     LATERAL (SELECT s.start + 200 + (p.i % 300) AS permit_from) pf,
     LATERAL (SELECT pf.permit_from + 1100 + (p.i % 400) AS settled) st,
     LATERAL (VALUES
       ('gestattung', s.start, pf.permit_from - 1, NULL, p.i % 3 <> 0),
       ('permit', pf.permit_from, st.settled - 1, '§ 25 Abs. 2 AufenthG', NULL),
       ('settlement_permit', st.settled, NULL::date, NULL, NULL)) AS v(status, from_date, to_date, basis, later)`,
    [base],
  );
  await pool.query('ANALYZE');
  return persons;
}

async function main(): Promise<void> {
  const day = toBerlinLocalDate(Date.now());
  say(`# Outreach benchmark — ${new Date().toISOString()}, ${fmt(persons)} persons, ${fmt(recipients)} campaign recipients, ${fmt(sleepers)} sleeping workflows`);
  const db = await createTestDatabase();
  const sinkKeys = new Map<string, number>();
  let sinkCount = 0;
  const sink = await startSmtpListener({
    port: 0,
    onMail: (m) => {
      sinkCount++;
      const key = /^x-outbox-key:\s*(.+)$/im.exec(m.raw)?.[1]?.trim();
      if (key) sinkKeys.set(key, (sinkKeys.get(key) ?? 0) + 1);
    },
  });
  const temporal = await startDevServer();
  try {
    // 1. Dates: bare loop, then the refresh over the register.
    const bare = await measure(async () => {
      let reachable = 0;
      for (let i = 1; i <= persons; i++) if (determineOutreachDate(historyOf(i, day), day) !== null) reachable++;
      return reachable;
    });
    say(`dates, bare loop: ${fmt(persons / bare.seconds)}/s (${bare.seconds.toFixed(1)} s, ${fmt(bare.result)} with a date)`);
    const load = await measure(() => loadRegister(db.pool, day));
    say(`register loaded by SQL (not measured against anything): ${fmt(persons)} persons, ${fmt(persons * 3)} periods in ${load.seconds.toFixed(1)} s`);
    const refresh = await measure(() => refreshOutreachDates(db.pool, day, 2000));
    const check = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM outreach_eligibility_dates WHERE residence_met_on IS NOT NULL');
    say(
      `dates, refresh from PostgreSQL: ${fmt(refresh.result / refresh.seconds)}/s (${refresh.seconds.toFixed(1)} s, peak RSS ${refresh.peakRssMb} MB) — ` +
        `${(refresh.result / refresh.seconds / (persons / bare.seconds) * 100).toFixed(1)} % of the bare loop; ${fmt(check.rows[0]!.n)} with a date (bare: ${fmt(bare.result)})`,
    );
    const again = await measure(() => refreshOutreachDates(db.pool, day, 2000));
    say(`dates, next day's refresh with no history changed: ${again.result} recomputed in ${again.seconds.toFixed(2)} s`);

    // 2. Bare SMTP: the sink receiving pre-rendered mails over the same pooled transport.
    const bareMailer = createPooledMailer(createMailer(sink.url));
    const raw = { from: mail.from, subject: 'Einbürgerung / التجنس', text: 'x'.repeat(2500), html: `<div dir="rtl">${'x'.repeat(3500)}</div>` };
    const bareSmtp = await measure(async () => {
      const inFlight = new Set<Promise<unknown>>();
      for (let i = 0; i < recipients; i++) {
        while (inFlight.size >= 16) await Promise.race(inFlight);
        const p = bareMailer.sendMail({ ...raw, to: `bare${i}@bench.localhost` }).finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
      await Promise.all(inFlight);
    });
    bareMailer.close();
    say(`SMTP sink, bare: ${fmt(recipients / bareSmtp.seconds)} mails/s (${bareSmtp.seconds.toFixed(1)} s)`);
    const bareReceived = sinkCount;

    // The campaign through Temporal: worker, workflow, relay batches, pause at 20 %, resume.
    const connection = await Connection.connect({ address: temporal.address });
    const client = new Client({ connection });
    const workerConnection = await NativeConnection.connect({ address: temporal.address });
    const activities = createOutreachActivities({ pool: db.pool, mail, mailer: createMailer(sink.url), settings: loadOutreachSettings() });
    const worker = await Worker.create({ connection: workerConnection, taskQueue: outreachTaskQueue, workflowBundle: await workflowBundle(), activities, maxConcurrentActivityTaskExecutions: 4 });
    const running = worker.run();
    const campaignId = randomUUID();
    await createOutreachCampaignQueries(db.pool).insertCampaign({
      id: campaignId,
      authorityId: 'koeln',
      name: 'bench',
      cohort: { nationalities: ['SY'] },
      content: { topic: 'general_information', title: { de: 'Einbürgerung', ar: 'التجنس' }, details: { de: 'Information.' } },
      ratePerSecond: 100_000,
      startsAt: new Date(),
      createdBy: 'bench',
    });
    let pausedFor = 0;
    const campaign = await measure(async () => {
      const handle = await client.workflow.start('outreachCampaign', {
        taskQueue: outreachTaskQueue,
        workflowId: outreachCampaignWorkflowId(campaignId),
        args: [{ campaignId, startsAt: new Date().toISOString(), ratePerSecond: 100_000, batchSize: 1000 }],
      });
      while (sinkKeys.size < recipients * 0.2) await new Promise((r) => setTimeout(r, 50));
      await handle.executeUpdate(pauseCampaignUpdate);
      const pauseStarted = Date.now();
      while ((await handle.query(getCampaignStateQuery)).phase !== 'paused') await new Promise((r) => setTimeout(r, 50));
      const atPause = sinkKeys.size;
      await new Promise((r) => setTimeout(r, 2000));
      if (sinkKeys.size !== atPause) throw new Error('mail arrived while paused');
      await handle.executeUpdate(resumeCampaignUpdate);
      pausedFor = (Date.now() - pauseStarted) / 1000;
      return handle.result();
    });
    const duplicates = [...sinkKeys.values()].filter((n) => n > 1).length;
    const expected = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM outreach_messages WHERE campaign_id = $1`, [campaignId]);
    const gaps = expected.rows[0]!.n - sinkKeys.size;
    const sending = campaign.seconds - pausedFor;
    say(
      `campaign through workflow + relay: ${fmt(sinkKeys.size)} delivered in ${campaign.seconds.toFixed(1)} s (${pausedFor.toFixed(1)} s paused) = ` +
        `${fmt(sinkKeys.size / sending)} mails/s while sending — ${((sinkKeys.size / sending) / (recipients / bareSmtp.seconds) * 100).toFixed(1)} % of the bare SMTP rate; ` +
        `peak RSS ${campaign.peakRssMb} MB; duplicates ${duplicates}; gaps ${gaps}; sink total ${sinkCount - bareReceived}`,
    );

    // 3. The alternative: one sleeping workflow per person.
    const dbSize = () => [temporal.dbFile, `${temporal.dbFile}-wal`].reduce((sum, f) => sum + (fs.existsSync(f) ? fs.statSync(f).size : 0), 0);
    const sizeBefore = dbSize();
    const sleeping = await measure(async () => {
      const queue = Array.from({ length: sleepers }, (_, i) => i);
      await Promise.all(
        Array.from({ length: 32 }, async () => {
          for (let i = queue.pop(); i !== undefined; i = queue.pop()) {
            await client.workflow.start('outreachCampaign', {
              taskQueue: outreachTaskQueue,
              workflowId: `bench-sleeper/${i}`,
              args: [{ campaignId: randomUUID(), startsAt: new Date(Date.now() + 365 * 86_400_000).toISOString(), ratePerSecond: 1, batchSize: 10 }],
            });
          }
        }),
      );
    });
    // Let the worker run every first workflow task (each sets its timer), then read the size.
    await new Promise((r) => setTimeout(r, 5000));
    const perWorkflowBytes = (dbSize() - sizeBefore) / sleepers;
    const startRate = sleepers / sleeping.seconds;
    say(
      `sleeping workflows: ${fmt(startRate)} started/s (${sleepers} in ${sleeping.seconds.toFixed(1)} s), ~${fmt(perWorkflowBytes)} bytes each in the dev server's SQLite file → ` +
        `1,000,000 would take ${(1_000_000 / startRate / 60).toFixed(0)} min to start and ~${((perWorkflowBytes * 1_000_000) / 1e9).toFixed(1)} GB, ` +
        `against ${refresh.seconds.toFixed(0)} s for the daily refresh of all dates`,
    );
    worker.shutdown();
    await running;
    await workerConnection.close();
    await connection.close();
  } finally {
    await temporal.stop();
    await sink.stop();
    await db.drop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
