import { allHandlersFinished, condition, patched } from '@temporalio/workflow';
import { accessCodePlaceholder } from '../../domain/letters/naturalisationLetters';
import type { InactionDeadline } from '../../domain/naturalisation/inactionDeadline';
import type { NaturalisationState, NaturalisationWorkflowInput } from '../naturalisationDefinitions';
import { registerClerkActions } from './clerkActions';
import { createProcedureContext } from './context';
import { registerOutsideEvents } from './registerChanges';
import { runInactionClock, superviseDocumentRequest, superviseInquiries } from './supervision';

/**
 * The intake (and every later letter) through the outbox relay: the projection and the
 * acknowledgement in one local activity, delivered by the relay — one history event where an
 * enqueue, a `deliverMessage` and two projections took four activities.
 */
export const intakeRelayPatch = 'naturalisation-intake-relay';

/**
 * Version 2: the procedure — intake and acknowledgement, completeness check, document requests,
 * inquiries to other agencies, decision, certificate — with the § 75 Satz 2 VwGO clock beside it.
 */
export async function runProcedure(input: NaturalisationWorkflowInput, state: NaturalisationState, deadline: InactionDeadline) {
  state.team = input.team ?? 'default';
  state.assignee = null;
  state.suspended = null;
  state.waitingFor = 'authority';
  state.inquiries = [];
  const relay = patched(intakeRelayPatch);
  const ctx = createProcedureContext(input, state, deadline, relay);
  registerClerkActions(ctx);
  const outside = registerOutsideEvents(ctx);

  // The code is rendered at delivery, in place of the placeholder (older histories carry it in clear).
  const accessCode = input.accessCode ?? (input.accessCodeByLetter ? accessCodePlaceholder : undefined);
  // Under the relay patch the acknowledgement goes with the projection of the next stage.
  if (!relay) await ctx.project();
  await ctx.sendToApplicant({ kind: 'acknowledgement', accessCode });
  state.stage = 'completeness_check';
  state.version += 1;
  await ctx.project();

  const clock = runInactionClock(ctx);
  const outsideEvents = outside.supervise();
  // Update handlers move the stage; TypeScript cannot see that, hence the getter.
  const currentStage = (): NaturalisationState['stage'] => state.stage;
  for (let stage = currentStage(); stage !== 'closed'; stage = currentStage()) {
    if (stage === 'waiting_for_documents') await superviseDocumentRequest(ctx);
    else if (stage === 'inquiries') await superviseInquiries(ctx);
    else await condition(() => state.stage !== stage);
  }
  await clock;
  await outsideEvents;
  await condition(allHandlersFinished);
  await ctx.flushLetters();
  return state;
}
