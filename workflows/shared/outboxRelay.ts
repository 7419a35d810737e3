import { proxyLocalActivities } from '@temporalio/workflow';
import type * as activityTypes from '../../activities';
import type { MessageRequest } from '../../processes/contract';

type Activities = ReturnType<typeof activityTypes.createActivities>;

/**
 * A case's projection and letters in one transaction, as a local activity (one history event
 * where an enqueue and a `deliverMessage` took two activities, six events); the outbox relay
 * (activities/relay/outboxRelay.ts) delivers the letters. Every process uses it behind its own
 * relay patch: `naturalisation-intake-relay`, `residence-letters-relay`, `handoff-letters-relay`.
 */
export const { recordProjectionAndMessages } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/**
 * One letter into the outbox for the relay to deliver (a family's relay patch).
 * (Histories from before a relay patch call their enqueue and `deliverMessage` activities inline,
 * as they did: an extra `await` layer there would reorder their commands on replay.)
 * @returns `to_print` for a letter kept to go by post, otherwise `queued`
 */
export async function enqueueForRelay(request: MessageRequest): Promise<'queued' | 'to_print'> {
  const { toPrint } = await recordProjectionAndMessages({ projection: null, messages: [request] });
  return toPrint.includes(request.messageKey) ? 'to_print' : 'queued';
}
