import { MockActivityEnvironment } from '@temporalio/testing';
import { createMessageActivities } from '../../activities/messages';
import { createMailer } from '../../worker/mailer';
import { toBerlinLocalDate } from '../../domain/calendar/berlinTime';
import { addDays } from '../../domain/calendar/localDate';
import { teamDigestScheduleId, ensureTeamDigestScheduled } from '../../worker/housekeeping';
import { subjectOf } from '../support/smtp';
import { startSystem, testMail, validApplicationBody } from '../support/system';

/**
 * The staff directory (issue 12, item 8): each authority's notices and each team's digest go to
 * the mailbox its admins set — not to one shared mailbox — and the shared TEAM_MAILBOX only where
 * an authority has no entry, flagged on the outbox row.
 */
describe('staff mailboxes per authority and team', () => {
  let system: Awaited<ReturnType<typeof startSystem>>;
  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(async () => {
    await system?.stop();
  });

  const as = async (roles: Parameters<typeof system.tokenFor>[0], authorityId: string, subject: string) => ({
    authorization: `Bearer ${await system.tokenFor(roles, authorityId, subject)}`,
  });
  const koelnBox = 'ebh-koeln@test.localhost';
  const koelnSecondBox = 'ebh-koeln-zwei@test.localhost';
  const bonnBox = 'ebh-bonn@test.localhost';

  test('admins manage their own authority’s directory: one address per team, validated and audited', async () => {
    const koelnAdmin = await as(['admin'], 'koeln', 'admin-koeln');
    const bonnAdmin = await as(['admin'], 'bonn', 'admin-bonn');
    expect((await system.request('PUT', '/api/v1/admin/mailboxes/default', { address: koelnBox }, koelnAdmin)).status).toBe(200);
    expect((await system.request('PUT', '/api/v1/admin/mailboxes/zweites-team', { address: koelnSecondBox }, koelnAdmin)).status).toBe(200);
    const bonn = await system.request('PUT', '/api/v1/admin/mailboxes/default', { address: bonnBox }, bonnAdmin);
    expect(bonn.body).toMatchObject({ team: 'default', address: bonnBox, updatedBy: 'admin-bonn' });

    // A list, a display name, a line break: refused with the field named, nothing stored.
    for (const address of [`${koelnBox}, attacker@evil.example`, `Team <${koelnBox}>`, `${koelnBox}\r\nBcc: attacker@evil.example`, 'not-an-address']) {
      const refused = await system.request('PUT', '/api/v1/admin/mailboxes/default', { address }, koelnAdmin);
      expect(refused.status).toBe(400);
      expect(refused.body.errors.map((issue: { path: string }) => issue.path)).toEqual(['body.address']);
    }
    expect((await system.request('PUT', '/api/v1/admin/mailboxes/Bad Team', { address: koelnBox }, koelnAdmin)).status).toBe(400);
    // Clerks do not manage the directory.
    expect((await system.request('PUT', '/api/v1/admin/mailboxes/default', { address: 'clerk@test.localhost' })).status).toBe(403);

    // Each admin sees their own authority's entries only.
    const koelnList = await system.request('GET', '/api/v1/admin/mailboxes', undefined, koelnAdmin);
    expect(koelnList.body.mailboxes.map((m: { team: string; address: string }) => [m.team, m.address])).toEqual([
      ['default', koelnBox],
      ['zweites-team', koelnSecondBox],
    ]);
    const bonnList = await system.request('GET', '/api/v1/admin/mailboxes', undefined, bonnAdmin);
    expect(bonnList.body.mailboxes.map((m: { address: string }) => m.address)).toEqual([bonnBox]);
    // Bonn's admin cannot remove Köln's second team (it does not exist in Bonn).
    expect((await system.request('DELETE', '/api/v1/admin/mailboxes/zweites-team', undefined, bonnAdmin)).status).toBe(404);

    const { rows } = await system.db.pool.query<{ action: string; authority_id: string; outcome: string }>(
      "SELECT action, authority_id, outcome FROM audit_log WHERE action LIKE 'admin.mailboxes.%' ORDER BY id",
    );
    expect(rows.filter((r) => r.action === 'admin.mailboxes.set' && r.outcome === 'allowed').map((r) => r.authority_id)).toEqual(['koeln', 'koeln', 'bonn']);
    expect(rows.some((r) => r.action === 'admin.mailboxes.remove' && r.authority_id === 'bonn' && r.outcome === 'refused')).toBe(true);
  });

  test('§ 75 VwGO warnings of two authorities each reach only their own mailbox; without an entry the fallback is flagged', async () => {
    // Filed four months ago: the § 75 Satz 2 VwGO mark has passed, both warnings are due at once.
    const filedOn = addDays(toBerlinLocalDate(Date.now()), -120);
    const register = async (authorityId: string) =>
      system.request('POST', '/api/v1/naturalisation/applications', validApplicationBody({ filedOn }), await as(['ebh_clerk'], authorityId, `clerk-${authorityId}`));
    const koeln = await register('koeln');
    const bonn = await register('bonn');
    const dueren = await register('dueren');
    for (const created of [koeln, bonn, dueren]) expect(created.status).toBe(201);

    const warningsFor = (reference: string) => (m: Parameters<Parameters<typeof system.smtp.waitFor>[0]>[0]) =>
      subjectOf(m).includes('Untätigkeitsfrist') && subjectOf(m).includes(reference);
    const koelnWarnings = await system.smtp.waitFor(warningsFor(koeln.body.reference), 2);
    const bonnWarnings = await system.smtp.waitFor(warningsFor(bonn.body.reference), 2);
    const duerenWarnings = await system.smtp.waitFor(warningsFor(dueren.body.reference), 2);

    expect(koelnWarnings.map((m) => m.recipients)).toEqual([[koelnBox], [koelnBox]]);
    expect(bonnWarnings.map((m) => m.recipients)).toEqual([[bonnBox], [bonnBox]]);
    expect(duerenWarnings.map((m) => m.recipients)).toEqual([[testMail.teamMailbox], [testMail.teamMailbox]]);
    // Nothing of one authority reached the other's mailbox or the shared one.
    const references = (box: string) => system.smtp.received.filter((m) => m.recipients.includes(box)).map(subjectOf).join('\n');
    expect(references(koelnBox)).not.toContain(bonn.body.reference);
    expect(references(bonnBox)).not.toContain(koeln.body.reference);
    expect(references(testMail.teamMailbox)).not.toMatch(new RegExp(`${koeln.body.reference}|${bonn.body.reference}`));

    const { rows } = await system.db.pool.query<{ case_id: string; recipient: string; recipient_fallback: boolean }>(
      "SELECT case_id, recipient, recipient_fallback FROM outbox WHERE kind = 'naturalisation.inaction_warning' ORDER BY message_key",
    );
    const flags = (caseId: string) => rows.filter((r) => r.case_id === caseId).map((r) => [r.recipient, r.recipient_fallback]);
    expect(flags(koeln.body.id)).toEqual([[koelnBox, false], [koelnBox, false]]);
    expect(flags(bonn.body.id)).toEqual([[bonnBox, false], [bonnBox, false]]);
    expect(flags(dueren.body.id)).toEqual([[testMail.teamMailbox, true], [testMail.teamMailbox, true]]);
  });

  test("each team's digest goes to that team's mailbox of its authority", async () => {
    // A second Köln team: one case moves there.
    const koelnClerk = await as(['ebh_clerk'], 'koeln', 'clerk-koeln');
    const moved = await system.request('POST', '/api/v1/naturalisation/applications', validApplicationBody(), koelnClerk);
    let view = await system.request('GET', `/api/v1/naturalisation/applications/${moved.body.id}`, undefined, koelnClerk);
    for (let i = 0; i < 100 && view.body.stage !== 'completeness_check'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      view = await system.request('GET', `/api/v1/naturalisation/applications/${moved.body.id}`, undefined, koelnClerk);
    }
    const reassigned = await system.request(
      'POST',
      `/api/v1/naturalisation/applications/${moved.body.id}/assignment`,
      { assignee: null, team: 'zweites-team', expectedVersion: view.body.version },
      koelnClerk,
    );
    expect([reassigned.status, reassigned.body.errors]).toEqual([200, undefined]);
    for (let i = 0; i < 100 && view.body.team !== 'zweites-team'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      view = await system.request('GET', `/api/v1/naturalisation/applications/${moved.body.id}`, undefined, koelnClerk);
    }
    expect(view.body.team).toBe('zweites-team');

    await ensureTeamDigestScheduled(system.temporal);
    await system.temporal.schedule.getHandle(teamDigestScheduleId).trigger();
    const digests = await system.smtp.waitFor((m) => subjectOf(m).startsWith('Tagesübersicht'), 4, 60_000);
    const recipientsOf = (team: string) => digests.filter((m) => subjectOf(m).includes(`${team} –`)).map((m) => m.recipients);
    expect(recipientsOf('koeln/default')).toEqual([[koelnBox]]);
    expect(recipientsOf('koeln/zweites-team')).toEqual([[koelnSecondBox]]);
    expect(recipientsOf('bonn/default')).toEqual([[bonnBox]]);
    expect(recipientsOf('dueren/default')).toEqual([[testMail.teamMailbox]]);
    const second = digests.find((m) => subjectOf(m).includes('koeln/zweites-team'))!;
    expect(second.raw.replace(/=\r?\n/g, '')).toContain(moved.body.reference);

    const { rows } = await system.db.pool.query<{ message_key: string; recipient_fallback: boolean }>(
      "SELECT message_key, recipient_fallback FROM outbox WHERE kind = 'team_digest' ORDER BY message_key",
    );
    expect(rows.map((r) => [r.message_key.split('/').slice(1, 3).join('/'), r.recipient_fallback])).toEqual([
      ['bonn/default', false],
      ['dueren/default', true],
      ['koeln/default', false],
      ['koeln/zweites-team', false],
    ]);
    await system.temporal.schedule.getHandle(teamDigestScheduleId).delete();
  });

  test("case management is a team of the directory too: a handoff's notice goes to the authority's entry, the configured mailbox only without one", async () => {
    const cmBox = 'cm-koeln@test.localhost';
    const configuredCaseManagement = 'case-management@kim.localhost'; // CASE_MANAGEMENT_MAILBOX's default
    expect((await system.request('PUT', '/api/v1/admin/mailboxes/case_management', { address: cmBox }, await as(['admin'], 'koeln', 'admin-koeln'))).status).toBe(200);
    const handoffIn = async (authorityId: string, fileNumber: string) => {
      const clerk = await as(['abh_clerk'], authorityId, `abh-${authorityId}`);
      const person = await system.request('POST', '/api/v1/persons', {
        fileNumber, givenNames: 'Omar', familyName: 'Saleh', dateOfBirth: '1996-07-08', nationalities: ['SY'],
        contact: { postalAddress: null, email: null, phone: '+49 221 777' }, preferredLanguage: 'ar',
      }, clerk);
      expect(person.status).toBe(201);
      const personId = person.body.person.id as string;
      const consent = await system.request('POST', `/api/v1/persons/${personId}/consents`, {
        purpose: 'case_management_handoff', recipients: ['case_management', 'originating_authority'],
        dataCategories: ['name', 'contact', 'language', 'needs', 'case_deadline', 'outcomes'], validFrom: addDays(toBerlinLocalDate(Date.now()), -365), validUntil: addDays(toBerlinLocalDate(Date.now()), 730), formReference: 'EW-2026-001',
      }, clerk);
      expect(consent.status).toBe(201);
      const sent = await system.request('POST', '/api/v1/handoffs', { personId, needs: ['language'], urgency: 'normal' }, clerk);
      expect(sent.status).toBe(201);
      return `HO-${(sent.body.handoffId as string).slice(0, 8).toUpperCase()}`;
    };
    const koelnReference = await handoffIn('koeln', 'ABH-MB-1');
    const bonnReference = await handoffIn('bonn', 'ABH-MB-2');
    const [koelnNotice] = await system.smtp.waitFor((m) => subjectOf(m).includes(koelnReference));
    const [bonnNotice] = await system.smtp.waitFor((m) => subjectOf(m).includes(bonnReference));
    expect(koelnNotice.recipients).toEqual([cmBox]);
    expect(bonnNotice.recipients).toEqual([configuredCaseManagement]);
  });

  test('an assignee with commas (recorded before the API refused it) adds no recipient to a staff notice', async () => {
    expect((await system.request('PUT', '/api/v1/admin/mailboxes/default', { address: koelnBox }, await as(['admin'], 'koeln', 'admin-koeln'))).status).toBe(200);
    const koelnClerk = await as(['ebh_clerk'], 'koeln', 'clerk-koeln');
    const created = await system.request('POST', '/api/v1/naturalisation/applications', validApplicationBody(), koelnClerk);
    const messages = createMessageActivities({ pool: system.db.pool, mailer: createMailer(system.smtp.url), mail: testMail });
    const messageKey = `${created.body.id}/staff/inaction_warning/legacy`;
    await messages.enqueueMessage({
      messageKey,
      caseType: 'naturalisation',
      caseId: created.body.id,
      recipient: 'staff',
      assignee: 'clerk@test.localhost, attacker@evil.example',
      letter: { kind: 'inaction_warning', lawsuitPossibleFrom: '2027-01-01' },
    });
    await messages.enqueueMessage({
      messageKey: `${messageKey}/single`,
      caseType: 'naturalisation',
      caseId: created.body.id,
      recipient: 'staff',
      assignee: 'clerk@test.localhost',
      letter: { kind: 'inaction_warning', lawsuitPossibleFrom: '2027-01-01' },
    });
    const { rows } = await system.db.pool.query<{ recipient: string }>('SELECT recipient FROM outbox WHERE message_key LIKE $1 ORDER BY message_key', [`${messageKey}%`]);
    expect(rows.map((r) => r.recipient)).toEqual([koelnBox, `${koelnBox}, clerk@test.localhost`]);
    // Delivered as an activity does: the SMTP envelope holds the team's mailbox only.
    expect(await new MockActivityEnvironment().run(messages.deliverMessage, messageKey)).toBe('sent');
    const [delivered] = await system.smtp.waitFor((m) => subjectOf(m).includes('Untätigkeitsfrist') && subjectOf(m).includes(created.body.reference));
    expect(delivered.recipients).toEqual([koelnBox]);
  });
});
