import { continueAsNew, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { OutreachActivities } from '../../activities/outreach';
import { startOfDayInBerlin, toBerlinLocalDate } from '../../domain/calendar/berlinTime';
import { addDays } from '../../domain/calendar/localDate';
import { getOutreachDailyStateQuery, type OutreachDailyInput, type OutreachDailyState } from '../outreachDefinitions';

const { refreshOutreachDates, queueDueEligibilityMessages } = proxyActivities<OutreachActivities>({
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '1 minute',
  retry: { maximumInterval: '5 minutes' },
});
const { sendOutreachBatch } = proxyActivities<OutreachActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes' },
});

/** Days between continue-as-new: keeps the history small for a workflow that lives for years. */
const runsPerExecution = 30;

/**
 * The daily run of eligibility-date messages (one workflow, not one per person — see README
 * "Outreach" for the measurement): each day at `runHour` (Europe/Berlin) it recomputes the
 * outreach date of every person whose register history changed, queues a message for everyone
 * whose date has come (once per person ever, by the outbox key) and sends them through the relay.
 */
export async function outreachDailyMessages(input: OutreachDailyInput): Promise<void> {
  let state: OutreachDailyState = input.state ?? { lastRunDay: null, lastRunAt: null, runs: 0, lastComputed: 0, lastQueued: 0, lastSent: 0 };
  setHandler(getOutreachDailyStateQuery, () => state);
  const runAt = (day: string) => startOfDayInBerlin(day) + input.runHour * 3_600_000;

  for (let i = 0; i < runsPerExecution; i++) {
    const today = toBerlinLocalDate(Date.now());
    const day = Date.now() >= runAt(today) ? today : addDays(today, -1);
    if (state.lastRunDay !== day) {
      const startedAt = new Date().toISOString();
      const computed = await refreshOutreachDates({ day });
      const queued = await queueDueEligibilityMessages({ day });
      let sent = 0;
      for (;;) {
        const batch = await sendOutreachBatch({ campaignId: null, limit: 500, ratePerSecond: input.ratePerSecond });
        sent += batch.sent;
        if (batch.remaining === 0 || batch.claimed === 0) break;
      }
      state = { lastRunDay: day, lastRunAt: startedAt, runs: state.runs + 1, lastComputed: computed, lastQueued: queued, lastSent: sent };
    }
    await sleep(Math.max(1, runAt(addDays(state.lastRunDay ?? day, 1)) - Date.now()));
  }
  await continueAsNew<typeof outreachDailyMessages>({ ...input, state });
}
