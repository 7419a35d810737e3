import fs from 'node:fs/promises';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import pino from 'pino';
import { createActivities } from '../../activities';
import type { ApiDependencies } from '../../api/deps';
import { recordContactConsent } from '../../api/persons/contactConsentService';
import { addFact, addResidencePeriod, createPerson } from '../../api/persons/service';
import { startResidenceCheck } from '../../api/residence/service';
import { startOfDayInBerlin, toBerlinLocalDate } from '../../domain/calendar/berlinTime';
import { addDays, makeLocalDate, splitLocalDate } from '../../domain/calendar/localDate';
import type { Principal } from '../../security/roles';
import { createMailer } from '../../worker/mailer';
import {
  decideResidenceCheckUpdate,
  getResidenceCheckStateQuery,
  recordEvidenceUpdate,
  residenceTaskQueues,
  residenceWorkflowId,
  type ResidenceCheckState,
} from '../../workflows/residenceDefinitions';
import { serialiseHistory } from '../support/histories';
import { createTestDatabase } from '../support/postgres';
import { startTestSmtp, subjectOf } from '../support/smtp';
import { startTestRelay } from '../support/relay';
import { testMail } from '../support/system';
import { createTimeSkippingEnvironment, workflowBundle } from '../support/temporal';

const minute = 60_000;

/** With RECORD_HISTORIES=1, the scenario's histories go to test/histories, which replay.test.ts replays. */
async function recordHistory(name: string, handle: WorkflowHandle): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const dir = path.resolve(__dirname, '..', '..', '..', 'test', 'histories');
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, `${name}.json`), serialiseHistory(await handle.fetchHistory()));
}
const clerk: Principal = { subject: 'clerk.abh@test.localhost', roles: ['abh_clerk'], authorityId: 'koeln' };

/**
 * The residence check's letter to the person when the "not yet" date comes follows the register's
 * consent to be contacted (purpose `residence_information`): given in the register, the letter
 * goes although the check was started without `contactConsent`; withdrawn in the register, it
 * does not go although the check was started with `contactConsent: true` (the old API).
 */
describe('residence check: the register consent to be contacted decides the letter to the person (time skipping)', () => {
  let env: TestWorkflowEnvironment;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let smtp: Awaited<ReturnType<typeof startTestSmtp>>;
  let workers: Worker[];
  let running: Promise<unknown>;
  let relay: ReturnType<typeof startTestRelay> | undefined;
  let deps: ApiDependencies;

  beforeAll(async () => {
    [env, db, smtp] = await Promise.all([createTimeSkippingEnvironment(), createTestDatabase(), startTestSmtp()]);
    const mailer = createMailer(smtp.url);
    const activities = createActivities({ pool: db.pool, mailer, clock: () => new Date(), mail: testMail, temporal: env.client });
    const bundle = await workflowBundle();
    workers = await Promise.all([
      Worker.create({ connection: env.nativeConnection, taskQueue: residenceTaskQueues.residence, workflowBundle: bundle, activities }),
      Worker.create({ connection: env.nativeConnection, taskQueue: residenceTaskQueues.messages, activities }),
    ]);
    running = Promise.all(workers.map((w) => w.run()));
    relay = startTestRelay(db.pool, smtp.url);
    deps = { pool: db.pool, temporal: env.client, mailer, logger: pino({ level: 'silent' }), clock: () => new Date(), settings: { inactionWarningLeadTimesMs: [] } } as unknown as ApiDependencies;
  });
  afterAll(async () => {
    workers?.forEach((w) => w.shutdown());
    await running;
    await relay?.stop();
    await env?.teardown();
    await smtp?.stop();
    await db?.drop();
  });

  const sixYearsBefore = (date: string) => {
    const { year, month, day } = splitLocalDate(date);
    return makeLocalDate(year - 6, month, month === 2 && day === 29 ? 28 : day);
  };

  /** A tolerated, integrated person (§ 25b's six years 40 days from now), through the register's service; then the consent changes. */
  async function registerPerson(fileNumber: string, email: string, consent: ('given' | 'withdrawn')[], duldungFrom: string, factsOn: string) {
    let record = await createPerson(deps, clerk, {
      fileNumber,
      givenNames: 'Samir',
      familyName: `Haddad-${fileNumber}`,
      dateOfBirth: '1985-05-05',
      nationalities: ['SY'],
      contact: { postalAddress: null, email, phone: null },
      preferredLanguage: 'ar',
      source: 'clerk',
    });
    record = await addResidencePeriod(deps, clerk, record.person.id, {
      expectedVersion: record.person.version,
      period: { status: 'duldung', from: duldungFrom, to: null, permitBasis: null, duldungGround: '§ 60a Abs. 2 Satz 1 AufenthG', protectionGrantedLater: null, documentNumber: null, documentExpiry: null },
      source: 'document',
    });
    for (const fact of [
      { kind: 'language_certificate', data: { level: 'A2', issuedOn: factsOn, issuer: 'telc' } },
      { kind: 'employment', data: { from: factsOn, to: null, hoursPerWeek: 39, fullTime: true } },
      { kind: 'benefits', data: { scheme: 'none', from: factsOn, to: null, responsible: null } },
      { kind: 'orientation_course', data: { completedOn: factsOn, testPassed: true } },
      { kind: 'identity_clarified', data: { clarified: true, on: factsOn } },
    ] as const) {
      record = await addFact(deps, clerk, record.person.id, { expectedVersion: record.person.version, fact: fact as never, source: 'document' });
    }
    let version = record.person.version;
    for (const status of consent) {
      const view = await recordContactConsent(deps, clerk, record.person.id, { expectedVersion: version, consent: { purpose: 'residence_information', status, on: toBerlinLocalDate(Date.now()) }, source: 'document' });
      version = view.person.version;
    }
    return record.person.id;
  }

  async function waitForCheck(handle: WorkflowHandle, predicate: (s: ResidenceCheckState) => boolean, what: string): Promise<ResidenceCheckState> {
    for (let i = 0; i < 200; i++) {
      const state = await handle.query(getResidenceCheckStateQuery);
      if (predicate(state)) return state;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`${what} not reached`);
  }

  /** Starts a check, records the evidence and decides "not yet". */
  async function startNotYet(personId: string, contactConsent: boolean) {
    const view = await startResidenceCheck(deps, clerk, { personId, contactConsent });
    const handle = env.client.workflow.getHandle(residenceWorkflowId(view.id));
    const waiting = await waitForCheck(handle, (s) => s.stage === 'awaiting_evidence', 'evidence request');
    const evidence = await handle.executeUpdate(recordEvidenceUpdate, {
      args: [{ expectedVersion: waiting.version, actor: clerk.subject, received: waiting.evidence!.requested, findings: { passportHeld: 'yes', declaredCommitmentToBasicOrder: 'yes', indicationsAgainstDemocraticOrder: 'no', ownDeceptionAboutIdentity: 'no', nonCooperation: 'no', seriousExpulsionInterest: 'no' } }],
    });
    const notYet = await handle.executeUpdate(decideResidenceCheckUpdate, { args: [{ expectedVersion: evidence.version, actor: clerk.subject, outcome: 'not_yet', reason: 'noch nicht' }] });
    expect(notYet.stage).toBe('not_yet');
    return { id: view.id, handle, until: notYet.notYet!.until };
  }

  test('register consent given → the person is written to (check started with contactConsent false); withdrawn → not (check with contactConsent: true)', async () => {
    const start = toBerlinLocalDate(await env.currentTimeMs());
    const duldungFrom = addDays(sixYearsBefore(start), 40);
    const consenting = await registerPerson('ABH-CC-1', 'given.consent@example.org', ['given'], duldungFrom, addDays(start, -30));
    const withdrawing = await registerPerson('ABH-CC-2', 'withdrawn.consent@example.org', ['given', 'withdrawn'], duldungFrom, addDays(start, -30));
    // `false` is what the API stores for a start request without `contactConsent`.
    const a = await startNotYet(consenting, false);
    const b = await startNotYet(withdrawing, true);
    expect(a.until).toBe(b.until);

    await env.sleep(startOfDayInBerlin(a.until) - (await env.currentTimeMs()) + minute);
    const reachedA = await waitForCheck(a.handle, (s) => s.flags.includes('eligibility_date_reached'), 'date A');
    const reachedB = await waitForCheck(b.handle, (s) => s.flags.includes('eligibility_date_reached'), 'date B');
    const [letter] = await smtp.waitFor((m) => m.recipients.includes('given.consent@example.org') && subjectOf(m).startsWith('Ihr Aufenthaltsrecht: neue Prüfung möglich'));
    expect(letter.raw.indexOf('Guten Tag')).toBeLessThan(letter.raw.indexOf('Dear'));

    // B: the clerk's task comes; the check is then decided and its workflow completes — every
    // letter it would have written by then is in the outbox, and none is to the person.
    await smtp.waitFor((m) => m.recipients.includes(testMail.teamMailbox) && subjectOf(m).startsWith('Aufenthaltsrecht: Stichtag erreicht'), 2);
    for (const [check, reached] of [[a, reachedA], [b, reachedB]] as const) {
      await check.handle.executeUpdate(decideResidenceCheckUpdate, { args: [{ expectedVersion: reached.version, actor: clerk.subject, outcome: 'refuse', reason: 'Ende des Tests' }] });
      for (let i = 0; i < 200 && (await check.handle.describe()).status.name === 'RUNNING'; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      expect((await check.handle.describe()).status.name).toBe('COMPLETED');
    }
    const personLetters = async (caseId: string) =>
      (await db.pool.query("SELECT kind FROM outbox WHERE case_id = $1 AND message_key LIKE '%/person/%' ORDER BY id", [caseId])).rows.map((r) => r.kind);
    expect(await personLetters(a.id)).toEqual(['residence.evidence_requested', 'residence.eligibility_date_reached']);
    expect(await personLetters(b.id)).toEqual(['residence.evidence_requested']);
    await recordHistory('residence-v3-relay-register-consent-given', a.handle);
    await recordHistory('residence-v3-relay-register-consent-withdrawn', b.handle);
    expect(smtp.received.filter((m) => m.recipients.includes('withdrawn.consent@example.org')).map(subjectOf)).toEqual([expect.stringMatching(/^Unterlagen für Ihre aufenthaltsrechtliche Prüfung/)]);
  });
});
