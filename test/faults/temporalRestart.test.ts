import { addDays } from '../../domain/calendar/localDate';
import { toBerlinLocalDate } from '../../domain/calendar/berlinTime';
import { determineInactionDeadline } from '../../domain/naturalisation/inactionDeadline';
import { startDevServer } from '../support/temporal';
import { startSystem, testMail, validApplicationBody } from '../support/system';
import { subjectOf } from '../support/smtp';

/**
 * The latest filing date whose § 75 VwGO mark still lies ahead: an application from the backlog,
 * filed almost three months ago.
 */
function latestFilingBeforeMark(now: number): { filedOn: string; lawsuitPossibleAt: number } {
  const today = toBerlinLocalDate(now);
  for (let back = 85; back <= 95; back++) {
    const filedOn = addDays(today, -back);
    const deadline = determineInactionDeadline(filedOn);
    const next = determineInactionDeadline(addDays(filedOn, -1));
    if (deadline.lawsuitPossibleAt > now + 120_000 && next.lawsuitPossibleAt <= now + 120_000) {
      return { filedOn, lawsuitPossibleAt: deadline.lawsuitPossibleAt };
    }
  }
  throw new Error('no filing date found');
}

describe('Temporal dev server restart', () => {
  test('stopped and restarted on its database file, the server still fires the warning timer', async () => {
    // The clock runs from the filing date: for an application filed almost three months ago, a
    // warning lead time that puts the warning 45 seconds from now (room for a slow start on a busy machine).
    const now = Date.now();
    const { filedOn, lawsuitPossibleAt } = latestFilingBeforeMark(now);
    const warningAt = now + 45_000;
    const system = await startSystem({ leadTimesMs: [lawsuitPossibleAt - warningAt] });
    let restarted: Awaited<ReturnType<typeof startDevServer>> | undefined;
    try {
      const created = await system.request('POST', '/api/v1/naturalisation/applications', validApplicationBody({ filedOn }));
      expect(created.status).toBe(201);
      await system.smtp.waitFor((m) => m.recipients.includes('amina.haddad@example.org'));

      await system.temporalServer.stop();
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      restarted = await startDevServer(system.temporalServer.dbFile, system.temporalServer.port);
      expect(Date.now()).toBeLessThan(warningAt); // the timer had not fired before the restart

      const [warning] = await system.smtp.waitFor(
        (m) => m.recipients.includes(testMail.teamMailbox) && subjectOf(m).includes(created.body.reference),
        1,
        90_000,
      );
      expect(Date.now()).toBeGreaterThanOrEqual(warningAt - 1_000);
      expect(subjectOf(warning)).toContain('Untätigkeitsfrist');
      // The workflow flags the case after the warning's delivery has finished: then the count is final.
      let view = await system.request('GET', `/api/v1/naturalisation/applications/${created.body.id}`);
      for (let i = 0; i < 300 && !view.body.flags.includes('inaction_warning_sent'); i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        view = await system.request('GET', `/api/v1/naturalisation/applications/${created.body.id}`);
      }
      expect(view.body.flags).toContain('inaction_warning_sent');
      expect(system.smtp.received.filter((m) => m.recipients.includes(testMail.teamMailbox))).toHaveLength(1);
    } finally {
      await restarted?.stop();
      await system.stop();
    }
  });
});
