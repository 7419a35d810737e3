import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { createAuditQueries } from '../../db/queries/audit';
import { createConsentQueries, type StoredConsent } from '../../db/queries/consents';
import { createHandoffQueries } from '../../db/queries/handoffs';
import { createPersonQueries } from '../../db/queries/persons';
import type { ConsentDataCategory, ConsentPurpose, ConsentRecipient } from '../../domain/handoff/consent';
import type { Principal } from '../../security/roles';
import { consentWithdrawnSignal, handoffWorkflowId } from '../../workflows/handoffDefinitions';
import type { ApiDependencies } from '../deps';
import { AppError, assertThat } from '../errors';

const personNotFound = (id: string) => new AppError('person.not_found', 404, `no person ${id}`);

async function assertPersonOfAuthority(deps: ApiDependencies, principal: Principal, personId: string, action: string): Promise<void> {
  const person = await createPersonQueries(deps.pool).findPersonByIdAndAuthority(personId, principal.authorityId);
  if (!person) {
    await createAuditQueries(deps.pool).insertAuditEntry({ actor: principal.subject, action, authorityId: principal.authorityId, outcome: 'refused', detail: { personId, reason: "no such person in the caller's authority" } });
  }
  assertThat(person, personNotFound(personId));
}

/** Records a person's consent to hand data to case management (the signed form is referenced, not stored). */
export async function recordConsent(
  deps: ApiDependencies,
  principal: Principal,
  personId: string,
  body: { purpose: ConsentPurpose; recipients: ConsentRecipient[]; dataCategories: ConsentDataCategory[]; validFrom: string; validUntil: string; formReference: string },
): Promise<StoredConsent> {
  await assertPersonOfAuthority(deps, principal, personId, 'handoff.consent.record');
  const consent = await createConsentQueries(deps.pool).insertConsent({
    id: randomUUID(),
    personId,
    authorityId: principal.authorityId,
    ...body,
    recordedBy: principal.subject,
    recordedAt: deps.clock(),
  });
  await createAuditQueries(deps.pool).insertAuditEntry({ actor: principal.subject, action: 'handoff.consent.record', authorityId: principal.authorityId, detail: { personId, consentId: consent.id } });
  return consent;
}

export async function listConsents(deps: ApiDependencies, principal: Principal, personId: string): Promise<StoredConsent[]> {
  await assertPersonOfAuthority(deps, principal, personId, 'handoff.consent.list');
  const consents = await createConsentQueries(deps.pool).listConsentsByPerson(personId, principal.authorityId);
  await createAuditQueries(deps.pool).insertAuditEntry({ actor: principal.subject, action: 'handoff.consent.list', authorityId: principal.authorityId, detail: { personId } });
  return consents;
}

/**
 * Withdraws a consent (Art. 7 Abs. 3 DSGVO): from now on no handoff of the person starts, and every
 * running handoff of the person is told at once (a signal) and ends its flow. Audited.
 * @returns the withdrawn consent and how many running handoffs were told
 */
export async function withdrawConsent(
  deps: ApiDependencies,
  principal: Principal,
  personId: string,
  consentId: string,
  reason: string | null,
): Promise<{ consent: StoredConsent; stoppedHandoffs: string[] }> {
  const consents = createConsentQueries(deps.pool);
  const at = deps.clock();
  const consent = await consents.withdrawConsentById({ id: consentId, personId, authorityId: principal.authorityId, by: principal.subject, at, reason });
  if (!consent) {
    const existing = await consents.findConsentById(consentId, principal.authorityId);
    const refusal = existing && existing.personId === personId
      ? new AppError('consent.already_withdrawn', 409, `the consent was withdrawn on ${existing.withdrawnAt}`)
      : new AppError('consent.not_found', 404, `no consent ${consentId} of person ${personId}`);
    await createAuditQueries(deps.pool).insertAuditEntry({ actor: principal.subject, action: 'handoff.consent.withdraw', authorityId: principal.authorityId, outcome: 'refused', detail: { personId, consentId, reason: refusal.message } });
    throw refusal;
  }
  // Every running handoff of the person: a remaining valid consent does not keep a handoff
  // going that was sent under the withdrawn one, nor one under another (the person said stop).
  const running = await createHandoffQueries(deps.pool).listRunningHandoffsByPerson(personId, principal.authorityId);
  const stopped: string[] = [];
  for (const handoffId of running) {
    try {
      await deps.temporal.workflow.getHandle(handoffWorkflowId(handoffId)).signal(consentWithdrawnSignal, { consentId, at: at.toISOString(), by: principal.subject });
      stopped.push(handoffId);
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
  }
  await createAuditQueries(deps.pool).insertAuditEntry({ actor: principal.subject, action: 'handoff.consent.withdraw', authorityId: principal.authorityId, detail: { personId, consentId, stoppedHandoffs: stopped } });
  return { consent, stoppedHandoffs: stopped };
}
