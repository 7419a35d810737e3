import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { createOutreachActivities } from '../../activities/outreach';
import { createPooledMailer } from '../../activities/relay/smtp';
import { sendOutreachBatch } from '../../activities/outreach/relay';
import { loadOutreachSettings } from '../../activities/outreach/settings';
import { loadOutreachTemplates } from '../../activities/outreach/templates';
import type { ApiDependencies } from '../../api/deps';
import { createPerson } from '../../api/persons/service';
import { createPersonBodySchema } from '../../api/persons/schemas';
import { createOutreachCampaignQueries } from '../../db/queries/outreachCampaigns';
import { createOutreachRelayQueries } from '../../db/queries/outreachRelay';
import { startSmtpListener, type ReceivedMail } from '../../scripts/embedded/smtpSink';
import { createMailer } from '../../worker/mailer';
import { createTestDatabase } from '../support/postgres';
import { testMail } from '../support/system';

/**
 * The outreach relay on PostgreSQL and a real SMTP listener that refuses one address with 550:
 * the refusal is recorded as a bounce in the outreach table and the outbox, not retried; rows a
 * dead relay left claimed are taken over once stale and sent once; a later batch sends nothing
 * again.
 */
describe('outreach relay (PostgreSQL, SMTP)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let sink: Awaited<ReturnType<typeof startSmtpListener>>;
  const received: ReceivedMail[] = [];
  const settings = loadOutreachSettings({ OUTREACH_CONTACT_BASIS: 'legal_basis', OUTREACH_LEGAL_BASIS_REFERENCE: '§ 1 Testgrundlage', OUTREACH_OPT_OUT_SECRET: 'relay-test' });

  beforeAll(async () => {
    db = await createTestDatabase();
    sink = await startSmtpListener({
      port: 0,
      onMail: (mail) => {
        if (mail.recipients.includes('gone@example.org')) throw Object.assign(new Error('5.1.1 mailbox unavailable'), { responseCode: 550 });
        received.push(mail);
      },
    });
  });
  afterAll(async () => {
    await sink?.stop();
    await db?.drop();
  });

  test('a 550 is a bounce; a dead relay\'s claims are taken over once stale; nothing is sent twice', async () => {
    const deps = { pool: db.pool, logger: pino({ level: 'silent' }), clock: () => new Date() } as unknown as ApiDependencies;
    const principal = { subject: 'clerk-1', roles: ['abh_clerk' as const], authorityId: 'koeln' };
    for (const name of ['gone', 'anna', 'boris', 'clara']) {
      await createPerson(deps, principal, createPersonBodySchema.parse({
        fileNumber: `F-${name}`, givenNames: name, familyName: 'Test', dateOfBirth: '1990-05-05', nationalities: ['UA'],
        contact: { postalAddress: null, email: `${name}@example.org`, phone: null }, preferredLanguage: 'uk',
      }));
    }
    const campaign = await createOutreachCampaignQueries(db.pool).insertCampaign({
      id: randomUUID(), authorityId: 'koeln', name: 'relay', cohort: { nationalities: ['UA'] },
      content: { topic: 'general_information', title: { de: 'Information' }, details: { de: 'Text.' } },
      ratePerSecond: 50, startsAt: new Date(), createdBy: 'coordinator-1',
    });
    const activities = createOutreachActivities({ pool: db.pool, mail: testMail, settings });
    expect(await activities.prepareCampaign({ campaignId: campaign.id, day: '2026-11-26' })).toBe(4);

    // A relay claims two rows and dies before sending.
    const dead = await createOutreachRelayQueries(db.pool).claimMessages(campaign.id, 2, 'dead-relay', 120);
    expect(dead).toHaveLength(2);
    const relayDeps = { pool: db.pool, mailer: createPooledMailer(createMailer(`smtp://127.0.0.1:${sink.port}`)), mail: testMail, settings, templates: loadOutreachTemplates(settings.templatesDir) };
    const first = await sendOutreachBatch(relayDeps, { campaignId: campaign.id, limit: 10, ratePerSecond: 50, claimant: 'relay-1' });
    expect(first).toMatchObject({ claimed: 2, remaining: 2 });
    // Once stale, the dead relay's rows are taken over.
    const second = await sendOutreachBatch(relayDeps, { campaignId: campaign.id, limit: 10, ratePerSecond: 50, claimant: 'relay-2', staleSeconds: 0 });
    expect(second.claimed).toBe(2);
    expect(first.sent + first.bounced + second.sent + second.bounced).toBe(4);
    expect(first.bounced + second.bounced).toBe(1);
    const third = await sendOutreachBatch(relayDeps, { campaignId: campaign.id, limit: 10, ratePerSecond: 50, claimant: 'relay-3', staleSeconds: 0 });
    expect(third).toMatchObject({ claimed: 0, sent: 0, remaining: 0 });

    expect(received.map((m) => m.recipients[0]).sort()).toEqual(['anna@example.org', 'boris@example.org', 'clara@example.org']);
    const { rows } = await db.pool.query(
      `SELECT p.email, m.status, o.status AS outbox_status, o.last_error FROM outreach_messages m
       JOIN persons p ON p.id = m.person_id JOIN outbox o USING (message_key) ORDER BY p.email`,
    );
    expect(rows).toEqual([
      { email: 'anna@example.org', status: 'sent', outbox_status: 'sent', last_error: null },
      { email: 'boris@example.org', status: 'sent', outbox_status: 'sent', last_error: null },
      { email: 'clara@example.org', status: 'sent', outbox_status: 'sent', last_error: null },
      { email: 'gone@example.org', status: 'bounced', outbox_status: 'bounced', last_error: expect.stringContaining('550') },
    ]);
    expect(await createOutreachCampaignQueries(db.pool).countMessagesByStatus(campaign.id)).toEqual({ sent: 3, bounced: 1 });
    relayDeps.mailer.close();
  });
});
