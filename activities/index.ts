import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { Transporter } from 'nodemailer';
import type { ApplicantLetterRequest, StaffNoticeRequest } from '../domain/letters/naturalisationLetters';
import { createCaseProjectionQueries, type CaseProjection } from '../db/queries/caseProjections';
import type { MailSettings, MessageRequest, ProcessActivityDependencies } from '../processes/contract';
import { withTransaction } from '../db/transaction';
import { findProcess, processes } from '../processes';
import { createMessageActivities, messageIdFor } from './messages';
import { createRetentionActivities } from './retention';
import { createTeamDigestActivities } from './teamDigest';

export { messageIdFor } from './messages';

export interface ActivityDependencies {
  pool: Pool;
  mailer: Transporter;
  clock: () => Date;
  mail: MailSettings;
  /** For activities that start or signal other workflows; absent in tests that need none. */
  temporal?: Client;
  settings?: ProcessActivityDependencies['settings'];
}

/**
 * The activities of all processes, built from their parts so tests pass their own: the shared
 * ones (projection, the one path into the outbox, delivery, retention, the digest) and each
 * process's own. Every activity is idempotent: Temporal retries them.
 */
export function createActivities(deps: ActivityDependencies) {
  const projections = createCaseProjectionQueries(deps.pool);
  const { insertRelayedMessages, ...messages } = createMessageActivities(deps);
  /** Workflows that do not carry the reference or the person: the process looks them up. */
  const completeProjection = async (projection: CaseProjection): Promise<CaseProjection> => {
    const missing = !projection.reference || !projection.personId;
    const described = missing ? await findProcess(projection.caseType).describeCase?.(deps.pool, projection.caseId) : undefined;
    return { ...projection, reference: projection.reference ?? described?.reference ?? null, personId: projection.personId ?? described?.personId ?? null };
  };
  const processDeps = {
    pool: deps.pool,
    clock: deps.clock,
    mail: deps.mail,
    mailer: deps.mailer,
    temporal: deps.temporal as Client,
    settings: deps.settings ?? { inactionWarningLeadTimesMs: [] },
  };
  // Each process's own activities; their workflows type them through the family's factory.
  const own: object = Object.assign({}, ...processes.map((p) => p.createActivities?.(processDeps) ?? {}));

  return {
    ...own,
    ...createRetentionActivities(deps),
    ...createTeamDigestActivities({ pool: deps.pool, mail: deps.mail, messageIdFor }),
    ...messages,

    /** Writes a case's projection; older versions never overwrite newer ones. */
    async recordCaseProjection(projection: CaseProjection): Promise<boolean> {
      return projections.upsertProjectionIfNewer(await completeProjection(projection));
    },

    /**
     * A case's projection (if given) and its letters in one transaction — the outbox relay
     * delivers the letters (activities/relay/outboxRelay.ts). Run as a local activity: one
     * history event where projection, enqueue and delivery took three activities. Idempotent:
     * an older projection never overwrites a newer one, a letter's key is inserted once.
     * @returns whether the projection was written, and the keys of letters kept "to print"
     */
    async recordProjectionAndMessages(request: { projection: CaseProjection | null; messages: MessageRequest[] }): Promise<{ projected: boolean; toPrint: string[] }> {
      const projection = request.projection ? await completeProjection(request.projection) : null;
      return withTransaction(deps.pool, async (client) => {
        const projected = projection ? await createCaseProjectionQueries(client).upsertProjectionIfNewer(projection) : false;
        return { projected, toPrint: await insertRelayedMessages(client, request.messages) };
      });
    },

    // The names recorded naturalisation histories call: thin aliases of `enqueueMessage`, kept
    // so those histories replay and their running workflows go on.

    /** @deprecated alias of enqueueMessage (recorded histories of workflow version 1). */
    enqueueApplicantMessage(request: { messageKey: string; applicationId: string; kind: 'naturalisation.acknowledgement' }): Promise<void> {
      return messages.enqueueMessage({
        messageKey: request.messageKey,
        caseType: 'naturalisation',
        caseId: request.applicationId,
        recipient: 'person',
        letter: { kind: 'acknowledgement' },
      });
    },
    /** @deprecated alias of enqueueMessage (recorded histories of workflow version 1). */
    enqueueTeamMessage(request: { messageKey: string; applicationId: string; kind: 'naturalisation.inaction_warning'; lawsuitPossibleFrom: string }): Promise<void> {
      return messages.enqueueMessage({
        messageKey: request.messageKey,
        caseType: 'naturalisation',
        caseId: request.applicationId,
        recipient: 'team',
        letter: { kind: 'inaction_warning', lawsuitPossibleFrom: request.lawsuitPossibleFrom },
      });
    },
    /** @deprecated alias of enqueueMessage (recorded histories of workflow version 2). */
    enqueueApplicantLetter(request: { messageKey: string; applicationId: string; letter: ApplicantLetterRequest }): Promise<void> {
      return messages.enqueueMessage({
        messageKey: request.messageKey,
        caseType: 'naturalisation',
        caseId: request.applicationId,
        recipient: 'person',
        letter: { ...request.letter },
      });
    },
    /** @deprecated alias of enqueueMessage (recorded histories of workflow version 2). */
    enqueueStaffNotice(request: { messageKey: string; applicationId: string; notice: StaffNoticeRequest; assignee: string | null }): Promise<void> {
      return messages.enqueueMessage({
        messageKey: request.messageKey,
        caseType: 'naturalisation',
        caseId: request.applicationId,
        recipient: 'staff',
        assignee: request.assignee,
        letter: { ...request.notice },
      });
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
