import { ensureTeamDigestScheduled, teamDigestScheduleId } from '../../worker/housekeeping';
import { startSystem, testMail, validApplicationBody } from '../support/system';
import { subjectOf } from '../support/smtp';

describe('daily team digest (Temporal schedule on the dev server)', () => {
  test('the schedule runs the digest: one e-mail per team and day, references only', async () => {
    const system = await startSystem();
    try {
      const first = await system.request('POST', '/api/v1/naturalisation/applications', validApplicationBody());
      const second = await system.request('POST', '/api/v1/naturalisation/applications', validApplicationBody({
        applicant: { ...validApplicationBody().applicant, email: 'second@example.org' },
      }));
      const bonnToken = await system.tokenFor(['ebh_clerk'], 'bonn', 'bonn-clerk');
      await system.request('POST', '/api/v1/naturalisation/applications', validApplicationBody(), { authorization: `Bearer ${bonnToken}` });
      await system.smtp.waitFor((m) => m.recipients.includes('amina.haddad@example.org'), 2);
      await system.smtp.waitFor((m) => m.recipients.includes('second@example.org'));

      await ensureTeamDigestScheduled(system.temporal);
      await ensureTeamDigestScheduled(system.temporal); // idempotent
      const schedule = await system.temporal.schedule.getHandle(teamDigestScheduleId).describe();
      expect(schedule.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 7, end: 7, step: 1 }] });
      expect(schedule.spec.timezone).toBe('Europe/Berlin');

      await system.temporal.schedule.getHandle(teamDigestScheduleId).trigger();
      const digests = await system.smtp.waitFor((m) => subjectOf(m).startsWith('Tagesübersicht'), 2, 60_000);
      const koeln = digests.find((m) => subjectOf(m).includes('koeln/default'))!;
      expect(subjectOf(koeln)).toMatch(/koeln\/default – 2 offen, 0 klagefähig/);
      expect(koeln.recipients).toEqual([testMail.teamMailbox]);
      const body = koeln.raw.replace(/=\r?\n/g, '');
      expect(body).toContain(first.body.reference);
      expect(body).toContain(second.body.reference);
      expect(body).not.toMatch(/Haddad|Amina|example\.org/);
      expect(digests.some((m) => subjectOf(m).includes('bonn/default – 1 offen'))).toBe(true);

      // A second run on the same day sends nothing new: wait for that run to finish, then count.
      const runs = async () => (await system.temporal.schedule.getHandle(teamDigestScheduleId).describe()).info.recentActions;
      expect(await runs()).toHaveLength(1);
      await system.temporal.schedule.getHandle(teamDigestScheduleId).trigger();
      let recent = await runs();
      for (let i = 0; i < 100 && recent.length < 2; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        recent = await runs();
      }
      expect(recent).toHaveLength(2);
      await system.temporal.workflow.getHandle(recent[1].action.workflow.workflowId).result();
      expect(system.smtp.received.filter((m) => subjectOf(m).startsWith('Tagesübersicht'))).toHaveLength(2);
      await system.temporal.schedule.getHandle(teamDigestScheduleId).delete();
    } finally {
      await system.stop();
    }
  });
});
