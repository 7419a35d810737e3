import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import pino from 'pino';
import { createActivities } from '../../activities';
import { requestHandoffFor } from '../../api/handoff/handoffService';
import { recordConsent, withdrawConsent } from '../../api/handoff/consentService';
import type { ApiDependencies } from '../../api/deps';
import { createPerson, readPersonRecord } from '../../api/persons/service';
import { createApplicationQueries } from '../../db/queries/applications';
import { toBerlinLocalDate } from '../../domain/calendar/berlinTime';
import { addDays } from '../../domain/calendar/localDate';
import type { Principal } from '../../security/roles';
import { handoffProcess } from '../../processes/handoff';
import { createMailer } from '../../worker/mailer';
import { naturalisationApplication } from '../../workflows/naturalisation';
import {
  acceptHandoffUpdate,
  closeHandoffUpdate,
  declineHandoffUpdate,
  getHandoffStateQuery,
  handoffTaskQueue,
  handoffWorkflowId,
  recordOutcomeUpdate,
  type HandoffState,
} from '../../workflows/handoffDefinitions';
import { naturalisationWorkflowId, taskQueues } from '../../workflows/naturalisationDefinitions';
import { serialiseHistory } from '../support/histories';
import { createTestDatabase } from '../support/postgres';
import { startTestSmtp, subjectOf } from '../support/smtp';
import { startTestRelay } from '../support/relay';
import { testMail } from '../support/system';
import { createTimeSkippingEnvironment, workflowBundle } from '../support/temporal';

const caseManagementMailbox = 'case-management@kim.localhost';
const coordinatorMailbox = 'kim-coordination@kim.localhost';
const clerk: Principal = { subject: 'clerk-anna', roles: ['ebh_clerk'], authorityId: 'koeln' };
const settings = { acknowledgement: { acceptanceWorkingDays: 3, escalationWorkingDays: 2, expiryWorkingDays: 5 }, caseManagementMailbox: () => caseManagementMailbox, kimCoordinatorMailbox: coordinatorMailbox };

/**
 * The days around the next Corpus Christi (Fronleichnam, Easter Sunday + 60 days, a public holiday
 * in NRW) whose Tuesday before, 10:00 in Köln, still lies ahead of `nowMs`: `day(n)` is that
 * Tuesday + n days. Computed here (the Meeus/Jones/Butcher Easter algorithm, UTC day arithmetic),
 * not by the calendar under test, so the test runs in any year.
 */
function daysAroundNextCorpusChristi(nowMs: number): (n: number) => string {
  const easterSunday = (year: number) => {
    const a = year % 19, b = Math.floor(year / 100), c = year % 100, d = Math.floor(b / 4), e = b % 4;
    const f = Math.floor((b + 8) / 25), g = Math.floor((b - f + 1) / 3), h = (19 * a + b - d - g + 15) % 30;
    const i = Math.floor(c / 4), k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7, m = Math.floor((a + 11 * h + 22 * l) / 451);
    const month = Math.floor((h + l - 7 * m + 114) / 31);
    return Date.UTC(year, month - 1, ((h + l - 7 * m + 114) % 31) + 1);
  };
  for (let year = new Date(nowMs).getUTCFullYear(); ; year++) {
    const tuesday = easterSunday(year) + 58 * 86_400_000;
    // 10:00 in Köln on a day in May or June (summer time) is 08:00 UTC.
    if (tuesday + 8 * 3_600_000 > nowMs + 60_000) return (n) => new Date(tuesday + n * 86_400_000).toISOString().slice(0, 10);
  }
}

/** With RECORD_HISTORIES=1, a finished run's history is written to test/histories for the replay test. */
async function recordHistory(name: string, handle: WorkflowHandle): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const dir = path.resolve(__dirname, '..', '..', '..', 'test', 'histories');
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, `${name}.json`), serialiseHistory(await handle.fetchHistory()));
}

/**
 * The handoff workflow on the time-skipping test server, with the real activities against
 * PostgreSQL and a real SMTP listener: the working-day acknowledgement period is skipped at its
 * real length, across a weekend and Corpus Christi, and asserted to the instant.
 */
describe('handoff workflow (time skipping)', () => {
  let env: TestWorkflowEnvironment;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let smtp: Awaited<ReturnType<typeof startTestSmtp>>;
  let workers: Worker[];
  let running: Promise<unknown>;
  let relay: ReturnType<typeof startTestRelay> | undefined;
  let apiDeps: ApiDependencies;

  beforeAll(async () => {
    [env, db, smtp] = await Promise.all([createTimeSkippingEnvironment(), createTestDatabase(), startTestSmtp()]);
    const activities = createActivities({ pool: db.pool, mailer: createMailer(smtp.url), clock: () => new Date(), mail: testMail, temporal: env.client });
    const bundle = await workflowBundle();
    workers = await Promise.all([
      Worker.create({ connection: env.nativeConnection, taskQueue: handoffTaskQueue, workflowBundle: bundle, activities }),
      Worker.create({ connection: env.nativeConnection, taskQueue: taskQueues.naturalisation, workflowBundle: bundle, activities }),
      Worker.create({ connection: env.nativeConnection, taskQueue: taskQueues.messages, activities }),
    ]);
    running = Promise.all(workers.map((w) => w.run()));
    relay = startTestRelay(db.pool, smtp.url);
    apiDeps = { pool: db.pool, temporal: env.client, clock: () => new Date(), logger: pino({ level: 'silent' }) } as unknown as ApiDependencies;
  });

  afterAll(async () => {
    workers?.forEach((w) => w.shutdown());
    await running;
    await relay?.stop();
    await env?.teardown();
    await smtp?.stop();
    await db?.drop();
  });

  /** A registered person with a signed consent, through the register's and the consent's services. */
  async function registerPersonWithConsent(fileNumber: string) {
    const record = await createPerson(apiDeps, clerk, {
      fileNumber,
      givenNames: 'Dana',
      familyName: 'Yousef',
      dateOfBirth: '1991-02-03',
      nationalities: ['IQ'],
      contact: { postalAddress: null, email: `${fileNumber.toLowerCase()}@example.org`, phone: '+49 221 555' },
      preferredLanguage: 'ar',
      source: 'clerk',
    } as Parameters<typeof createPerson>[2]);
    const consent = await recordConsent(apiDeps, clerk, record.person.id, {
      purpose: 'case_management_handoff',
      recipients: ['case_management', 'kim_coordinator', 'originating_authority'],
      dataCategories: ['name', 'contact', 'language', 'needs', 'case_deadline', 'outcomes'],
      // In force from a year before the services' (wall) clock's day to two years after the test server's day.
      validFrom: addDays(toBerlinLocalDate(Date.now()), -365),
      validUntil: addDays(toBerlinLocalDate(await env.currentTimeMs()), 730),
      formReference: `EW-${fileNumber}`,
    });
    return { personId: record.person.id, consentId: consent.id };
  }

  /** A running naturalisation case of the person, as the originating case. */
  async function startOriginCase() {
    const id = randomUUID();
    const filedOn = toBerlinLocalDate(await env.currentTimeMs());
    await createApplicationQueries(db.pool).insertApplication({
      id, authority_id: 'koeln', reference: `EBH-HO-${id.slice(0, 8)}`, given_names: 'Dana', family_name: 'Yousef',
      date_of_birth: '1991-02-03', email: 'dana@example.org', preferred_language: 'ar', filed_on: filedOn,
    });
    await env.client.workflow.start(naturalisationApplication, {
      taskQueue: taskQueues.naturalisation,
      workflowId: naturalisationWorkflowId(id),
      args: [{ applicationId: id, authorityId: 'koeln', filedOn, inactionWarningLeadTimesMs: [], accessCode: 'TEST-CODE-0002' }],
    });
    return { caseType: 'naturalisation', caseId: id, workflowId: naturalisationWorkflowId(id) };
  }

  async function sendHandoff(personId: string, origin: { caseType: string; caseId: string; workflowId: string } | null, key: string) {
    const result = await requestHandoffFor({ pool: db.pool, temporal: env.client, clock: () => new Date(), handoffSettings: settings }, {
      requestKey: key, authorityId: 'koeln', personId, origin: origin ?? { caseType: 'none', caseId: '', workflowId: '' },
      needs: ['language'], urgency: 'normal', relevantDeadline: '2027-09-30', requestedBy: 'clerk-anna',
    }, origin);
    if (!result.started) throw new Error(`not started: ${result.reason}`);
    return { handoffId: result.handoffId, handle: env.client.workflow.getHandle(handoffWorkflowId(result.handoffId)) };
  }

  /** Waits in real time (activities run between skips) until the workflow's state satisfies `test`. */
  async function waitForState(handle: WorkflowHandle, test: (state: HandoffState) => boolean): Promise<HandoffState> {
    for (let i = 0; i < 200; i++) {
      const state = await handle.query(getHandoffStateQuery);
      if (test(state)) return state;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('state not reached');
  }

  const mailsFor = (recipient: string, reference: string) => smtp.received.filter((m) => m.recipients.includes(recipient) && subjectOf(m).includes(reference));
  const originSignals = async (workflowId: string) =>
    ((await env.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [])
      .filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'handoffStatusChanged')
      .map((e) => {
        const payload = e.workflowExecutionSignaledEventAttributes!.input!.payloads![0];
        return JSON.parse(Buffer.from(payload.data as Uint8Array).toString('utf8')) as { status: string; reason?: string; outcome?: { kind: string } };
      });

  test('unanswered: reminder when the 3rd working day is over, the coordinator 2 working days later, back to the sender 5 after — across Corpus Christi and two weekends', async () => {
    // The Tuesday before the next Corpus Christi, 10:00 in Köln (in 2027: Tuesday 25 May).
    const day = daysAroundNextCorpusChristi(await env.currentTimeMs());
    expect(daysAroundNextCorpusChristi(Date.parse('2027-01-01T00:00:00Z'))(2)).toBe('2027-05-27'); // Fronleichnam 2027, as published
    await env.sleep(Date.parse(`${day(0)}T08:00:00Z`) - (await env.currentTimeMs()));
    const { personId } = await registerPersonWithConsent('ABH-HO-1');
    const origin = await startOriginCase();
    const { handoffId, handle } = await sendHandoff(personId, origin, `test:${randomUUID()}`);
    const sent = await waitForState(handle, (s) => s.version >= 1);
    const reference = `HO-${handoffId.slice(0, 8).toUpperCase()}`;

    // The case-management team gets the minimal data — never the residence file.
    const [notice] = await smtp.waitFor((m) => m.recipients.includes(caseManagementMailbox) && subjectOf(m).includes(reference));
    expect(subjectOf(notice)).toBe(`Neue Übergabe an das Case Management: ${reference}`);
    expect(notice.raw).toContain('Dana Yousef');
    expect(notice.raw).toContain(day(6).split('-').reverse().join('.'));
    expect(notice.raw).not.toMatch(/ABH-HO-1|1991|IQ/);

    // Wed, (Thu Fronleichnam), Fri, (weekend), Mon: the period ends with Monday (2027: 31 May). Each
    // deadline ends at 24:00 in Köln, 22:00 UTC in summer time.
    expect(sent.deadlines).toMatchObject({ acceptBy: day(6), escalateBy: day(8), expireBy: day(15) });
    const reminderAt = Date.parse(`${day(6)}T22:00:00Z`);
    const escalationAt = Date.parse(`${day(8)}T22:00:00Z`);
    const expiryAt = Date.parse(`${day(15)}T22:00:00Z`);
    expect(sent.instants).toEqual({ reminderAt: new Date(reminderAt).toISOString(), escalationAt: new Date(escalationAt).toISOString(), expiryAt: new Date(expiryAt).toISOString() });
    // The timer fires at the instant; the workflow task that handles it starts within a moment of it.
    const firedAt = (happened: string | undefined, instant: number) => {
      const lateBy = Date.parse(happened ?? '') - instant;
      expect(lateBy).toBeGreaterThanOrEqual(0);
      expect(lateBy).toBeLessThan(1_000);
    };

    // One minute before the end of Monday: no reminder. Then the reminder at 00:00 on Tuesday.
    await env.sleep(reminderAt - 60_000 - (await env.currentTimeMs()));
    expect((await handle.query(getHandoffStateQuery)).flags).not.toContain('reminded');
    await env.sleep(60_000);
    const reminded = await waitForState(handle, (s) => s.flags.includes('reminded'));
    firedAt(reminded.happened.reminded, reminderAt);
    await smtp.waitFor((m) => m.recipients.includes(caseManagementMailbox) && subjectOf(m) === `Erinnerung: Übergabe ${reference} unbeantwortet`);
    expect(mailsFor(coordinatorMailbox, reference)).toHaveLength(0);

    // The coordinator at 00:00 on Thursday (Tuesday and Wednesday are the two working days).
    await env.sleep(escalationAt - 60_000 - (await env.currentTimeMs()));
    expect((await handle.query(getHandoffStateQuery)).flags).not.toContain('escalated');
    await env.sleep(60_000);
    const escalated = await waitForState(handle, (s) => s.flags.includes('escalated'));
    firedAt(escalated.happened.escalated, escalationAt);
    await smtp.waitFor((m) => m.recipients.includes(coordinatorMailbox) && subjectOf(m) === `Eskalation: Übergabe ${reference} nicht angenommen`);

    // Expired at 00:00 on the Thursday a week later: back to the sender with the reason, and the origin told.
    await env.sleep(expiryAt - 60_000 - (await env.currentTimeMs()));
    expect((await handle.query(getHandoffStateQuery)).stage).toBe('awaiting_acceptance');
    await env.sleep(60_000);
    const expired = await waitForState(handle, (s) => s.stage === 'closed');
    expect(expired.closing).toBe('expired');
    firedAt(expired.happened.expired, expiryAt);
    const [returned] = await smtp.waitFor((m) => m.recipients.includes(testMail.teamMailbox) && subjectOf(m).includes(reference));
    expect(subjectOf(returned)).toBe(`Übergabe ${reference} zurück: nicht angenommen`);
    const { rows: outbox } = await db.pool.query('SELECT body_text FROM outbox WHERE message_id = $1', [/^message-id:\s*(\S+)/im.exec(returned.raw)![1]]);
    expect(outbox[0].body_text).toContain('Grund: not accepted within the period');
    for (let i = 0; i < 100 && (await originSignals(origin.workflowId)).length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await originSignals(origin.workflowId)).toEqual([expect.objectContaining({ handoffId, status: 'expired', reason: 'not accepted within the period' })]);
    const { rows } = await db.pool.query('SELECT stage, flags FROM case_projections WHERE case_id = $1', [handoffId]);
    expect(rows[0]).toEqual({ stage: 'closed', flags: ['reminded', 'escalated', 'expired'] });
    for (let i = 0; i < 100 && (await handle.describe()).status.name === 'RUNNING'; i++) await new Promise((r) => setTimeout(r, 50));
    expect((await handle.describe()).status.name).toBe('COMPLETED');
    await recordHistory('handoff-v2-relay-reminded-escalated-expired', handle);

    // Retention: the closed handoff is listed, and anonymising it removes the minimal data but
    // keeps what the steering figures count.
    const closed = await handoffProcess.retention.listClosedCasesWithPersonalData(db.pool);
    expect(closed.map((c) => c.caseId)).toContain(handoffId);
    const client = await db.pool.connect();
    try {
      await handoffProcess.retention.anonymise(client, handoffId);
    } finally {
      client.release();
    }
    const { rows: after } = await db.pool.query('SELECT given_names, family_name, contact, language, needs, person_id FROM handoffs WHERE id = $1', [handoffId]);
    expect(after[0]).toEqual({ given_names: null, family_name: null, contact: null, language: null, needs: ['language'], person_id: personId });
    expect((await handoffProcess.retention.listClosedCasesWithPersonalData(db.pool)).map((c) => c.caseId)).not.toContain(handoffId);
  });

  test('a withdrawn consent stops a running handoff at once: case management and the sender are told, nothing more is sent', async () => {
    const { personId, consentId } = await registerPersonWithConsent('ABH-HO-2');
    const origin = await startOriginCase();
    const { handoffId, handle } = await sendHandoff(personId, origin, `test:${randomUUID()}`);
    const reference = `HO-${handoffId.slice(0, 8).toUpperCase()}`;
    await smtp.waitFor((m) => m.recipients.includes(caseManagementMailbox) && subjectOf(m).includes(reference));

    const { stoppedHandoffs } = await withdrawConsent(apiDeps, clerk, personId, consentId, 'Person widerruft');
    expect(stoppedHandoffs).toEqual([handoffId]);
    const ended = await waitForState(handle, (s) => s.stage === 'closed');
    expect(ended).toMatchObject({ closing: 'consent_withdrawn', flags: ['consent_withdrawn'] });

    // The run ends; the reminder that would have come never does.
    for (let i = 0; i < 100 && (await handle.describe()).status.name === 'RUNNING'; i++) await new Promise((r) => setTimeout(r, 50));
    expect((await handle.describe()).status.name).toBe('COMPLETED');
    // The outbox relay delivers after the run: wait until nothing of the case is pending, then the mails are final.
    await smtp.waitFor((m) => m.recipients.includes(testMail.teamMailbox) && subjectOf(m).includes(reference));
    const { rows: unsent } = await db.pool.query("SELECT message_key FROM outbox WHERE case_id = $1 AND status = 'pending'", [handoffId]);
    expect(unsent).toEqual([]);
    const toCaseManagement = mailsFor(caseManagementMailbox, reference).map(subjectOf);
    expect(toCaseManagement).toEqual([`Neue Übergabe an das Case Management: ${reference}`, `Übergabe ${reference} beendet: Einwilligung widerrufen`]);
    expect(mailsFor(testMail.teamMailbox, reference).map(subjectOf)).toEqual([`Übergabe ${reference} beendet: Einwilligung widerrufen`]);
    expect((await originSignals(origin.workflowId)).map((s) => s.status)).toEqual(['consent_withdrawn']);
    const { rows } = await db.pool.query("SELECT outcome FROM audit_log WHERE action = 'handoff.consent.withdraw' AND detail ->> 'consentId' = $1", [consentId]);
    expect(rows).toEqual([{ outcome: 'allowed' }]);

    // No new handoff without a valid consent.
    const again = await requestHandoffFor({ pool: db.pool, temporal: env.client, clock: () => new Date(), handoffSettings: settings }, {
      requestKey: `test:${randomUUID()}`, authorityId: 'koeln', personId, origin, needs: ['language'], urgency: 'normal', requestedBy: 'clerk-anna',
    });
    expect(again).toEqual({ started: false, reason: 'no_consent' });
    await recordHistory('handoff-v2-relay-consent-withdrawn', handle);
  });

  test('an accepted handoff\'s outcome "B1 certificate obtained" becomes a language certificate on the person (source case_management) and is signalled to the origin', async () => {
    const { personId } = await registerPersonWithConsent('ABH-HO-3');
    const origin = await startOriginCase();
    const requestKey = `naturalisation:${origin.caseId}:language`;
    const { handoffId, handle } = await sendHandoff(personId, origin, requestKey);
    await waitForState(handle, (s) => s.version >= 1);
    // The same case proposing the same need again (another request key) starts no second handoff;
    // the same request key again is the same handoff.
    const base = { authorityId: 'koeln', personId, origin, needs: ['language' as const], urgency: 'normal' as const, requestedBy: 'system:naturalisation' };
    const parts = { pool: db.pool, temporal: env.client, clock: () => new Date(), handoffSettings: settings };
    expect(await requestHandoffFor(parts, { ...base, requestKey: `test:${randomUUID()}` })).toEqual({ started: false, reason: 'already_open', handoffId });
    expect(await requestHandoffFor(parts, { ...base, requestKey })).toEqual({ started: true, handoffId });
    expect((await db.pool.query('SELECT count(*)::int AS n FROM handoffs WHERE person_id = $1', [personId])).rows[0].n).toBe(1);
    // A decline without a reason, or an outcome before acceptance, is refused before anything changes.
    const { version } = await handle.query(getHandoffStateQuery);
    await expect(handle.executeUpdate(declineHandoffUpdate, { args: [{ caseManager: 'cm-lea', reason: '  ' }] })).rejects.toThrow(WorkflowUpdateFailedError);
    await expect(handle.executeUpdate(recordOutcomeUpdate, { args: [{ caseManager: 'cm-lea', outcome: { kind: 'other', on: '2026-01-01' } }] })).rejects.toThrow(WorkflowUpdateFailedError);
    expect(await handle.query(getHandoffStateQuery)).toMatchObject({ version, stage: 'awaiting_acceptance', outcomes: [] });
    const accepted = await handle.executeUpdate(acceptHandoffUpdate, { args: [{ caseManager: 'cm-lea' }] });
    expect(accepted).toMatchObject({ stage: 'in_progress', acceptedBy: 'cm-lea', flags: ['accepted_in_time'] });

    const today = toBerlinLocalDate(await env.currentTimeMs());
    const after = await handle.executeUpdate(recordOutcomeUpdate, { args: [{ caseManager: 'cm-lea', outcome: { kind: 'language_certificate_obtained', on: today, level: 'B1' } }] });
    expect(after.outcomes).toEqual([expect.objectContaining({ kind: 'language_certificate_obtained', level: 'B1', factRecorded: true })]);

    const record = await readPersonRecord(apiDeps, clerk, personId);
    expect(record.facts).toEqual([expect.objectContaining({ kind: 'language_certificate', data: { level: 'B1', issuedOn: today, issuer: null }, source: 'case_management', recordedBy: 'cm-lea' })]);
    for (let i = 0; i < 100 && (await originSignals(origin.workflowId)).length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    expect((await originSignals(origin.workflowId)).map((s) => [s.status, s.outcome?.kind])).toEqual([
      ['accepted', undefined],
      ['outcome', 'language_certificate_obtained'],
    ]);
    const { rows } = await db.pool.query("SELECT kind, fact_id IS NOT NULL AS has_fact FROM handoff_progress WHERE handoff_id = $1", [handoffId]);
    expect(rows).toEqual([{ kind: 'outcome', has_fact: true }]);

    // Closed by the case manager: the run ends, and its history is kept for the replay test.
    await handle.executeUpdate(closeHandoffUpdate, { args: [{ caseManager: 'cm-lea', note: 'Ziel erreicht' }] });
    for (let i = 0; i < 100 && (await handle.describe()).status.name === 'RUNNING'; i++) await new Promise((r) => setTimeout(r, 50));
    expect((await handle.describe()).status.name).toBe('COMPLETED');
    expect((await originSignals(origin.workflowId)).map((s) => s.status)).toEqual(['accepted', 'outcome', 'closed']);
    await recordHistory('handoff-v2-relay-accepted-outcome-closed', handle);
  });
});
