import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { createAuditQueries } from '../../db/queries/audit';
import { createConsentQueries } from '../../db/queries/consents';
import { createHandoffQueries } from '../../db/queries/handoffs';
import { createPersonQueries } from '../../db/queries/persons';
import { toBerlinLocalDate } from '../../domain/calendar/berlinTime';
import { findValidHandoffConsent } from '../../domain/handoff/consent';
import { handoffTaskQueue, handoffWorkflowId, type HandoffWorkflowInput } from '../../workflows/handoffDefinitions';
import type { HandoffRequest, HandoffRequestResult } from '../../workflows/shared/handoffs';
import { caseManagementTeam, loadHandoffSettings, type HandoffSettings } from './settings';

export interface HandoffServiceDependencies {
  pool: Pool;
  temporal: Client;
  clock: () => Date;
  handoffSettings?: HandoffSettings;
}

export class PersonNotFoundError extends Error {}

/**
 * Asks case management for help with a person: idempotent per `requestKey`. Without a consent
 * valid today (Art. 6 Abs. 1 Satz 1 lit. a DSGVO) nothing is stored or sent; otherwise the handoff
 * is stored with only the minimal data (name, contact, language, the need, the case's deadline —
 * never the residence file) and its workflow started under an id derived from it.
 */
export async function requestHandoffFor(
  deps: HandoffServiceDependencies,
  request: HandoffRequest,
  origin: HandoffRequest['origin'] | null = request.origin,
  team: string = caseManagementTeam,
): Promise<HandoffRequestResult> {
  const settings = deps.handoffSettings ?? loadHandoffSettings();
  const now = deps.clock();
  const audit = createAuditQueries(deps.pool);
  const person = await createPersonQueries(deps.pool).findPersonByIdAndAuthority(request.personId, request.authorityId);
  if (!person) throw new PersonNotFoundError(`no person ${request.personId} in authority ${request.authorityId}`);
  const consents = await createConsentQueries(deps.pool).listConsentsByPerson(person.id, request.authorityId);
  const consent = findValidHandoffConsent(consents, toBerlinLocalDate(now.getTime()));
  if (!consent) {
    await audit.insertAuditEntry({ actor: request.requestedBy, action: 'handoff.request', authorityId: request.authorityId, outcome: 'refused', detail: { personId: person.id, reason: 'no valid consent' } });
    return { started: false, reason: 'no_consent' };
  }
  if (origin) {
    // A repeated proposal of the same case about the same need, while one is open, starts none.
    const open = await createHandoffQueries(deps.pool).findOpenHandoffByOrigin(origin.caseId, request.needs, request.requestKey);
    if (open) return { started: false, reason: 'already_open', handoffId: open };
  }
  const id = randomUUID();
  const { handoff, inserted } = await createHandoffQueries(deps.pool).insertHandoffOnce({
    id,
    requestKey: request.requestKey,
    authorityId: request.authorityId,
    team,
    personId: person.id,
    consentId: consent.id,
    reference: `HO-${id.slice(0, 8).toUpperCase()}`,
    origin,
    needs: [...new Set(request.needs)],
    urgency: request.urgency,
    relevantDeadline: request.relevantDeadline ?? null,
    requestedBy: request.requestedBy,
    requestedAt: now,
    givenNames: person.givenNames,
    familyName: person.familyName,
    contact: { email: person.contact.email, phone: person.contact.phone, postalAddress: person.contact.postalAddress },
    language: person.preferredLanguage,
  });
  if (inserted) {
    await audit.insertAuditEntry({ actor: request.requestedBy, action: 'handoff.request', authorityId: request.authorityId, caseId: handoff.id, detail: { personId: person.id, consentId: consent.id, needs: handoff.needs } });
  }
  const input: HandoffWorkflowInput = {
    handoffId: handoff.id,
    authorityId: handoff.authorityId,
    team: handoff.team,
    reference: handoff.reference,
    needs: handoff.needs as HandoffWorkflowInput['needs'],
    urgency: handoff.urgency,
    relevantDeadline: handoff.relevantDeadline,
    origin: handoff.origin,
    requestedBy: handoff.requestedBy,
    acknowledgement: settings.acknowledgement,
  };
  try {
    await deps.temporal.workflow.start('handoff', { taskQueue: handoffTaskQueue, workflowId: handoffWorkflowId(handoff.id), args: [input] });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
  return { started: true, handoffId: handoff.id };
}
