import { createHash } from 'node:crypto';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Pool } from 'pg';
import type { Transporter } from 'nodemailer';
import {
  renderAcknowledgementLetter,
  renderApplicantLetter,
  renderInactionWarning,
  renderStaffNotice,
  type ApplicantLetterRequest,
  type StaffNoticeRequest,
} from '../domain/letters/naturalisationLetters';
import { createApplicationQueries } from '../db/queries/applications';
import { createCaseProjectionQueries, type CaseProjection } from '../db/queries/caseProjections';
import { createOutboxQueries } from '../db/queries/outbox';
import { createRetentionActivities } from './retention';
import { createTeamDigestActivities } from './teamDigest';

export interface ActivityDependencies {
  pool: Pool;
  mailer: Transporter;
  clock: () => Date;
  mail: { from: string; domain: string; teamMailbox: string };
}

/** A stable Message-ID per outbox key: a message sent twice by accident carries the same id. */
export function messageIdFor(messageKey: string, domain: string): string {
  return `<${createHash('sha256').update(messageKey).digest('hex').slice(0, 32)}@${domain}>`;
}

/**
 * The activities of all processes, built from their parts so tests pass their own. Every
 * activity is idempotent: Temporal retries them.
 */
export function createActivities(deps: ActivityDependencies) {
  const applications = createApplicationQueries(deps.pool);
  const projections = createCaseProjectionQueries(deps.pool);
  const outbox = createOutboxQueries(deps.pool);

  return {
    ...createRetentionActivities(deps),
    ...createTeamDigestActivities({ pool: deps.pool, mail: deps.mail, messageIdFor }),

    /** Writes a case's projection; older versions never overwrite newer ones. */
    async recordCaseProjection(projection: CaseProjection): Promise<boolean> {
      return projections.upsertProjectionIfNewer(projection);
    },

    /** Puts a letter to the applicant into the outbox under its unique key (once). */
    async enqueueApplicantMessage(request: { messageKey: string; applicationId: string; kind: 'naturalisation.acknowledgement' }): Promise<void> {
      const application = await applications.findApplicationById(request.applicationId);
      if (!application) {
        throw ApplicationFailure.create({ type: 'application.not_found', message: `no application ${request.applicationId}`, nonRetryable: true });
      }
      const letter = renderAcknowledgementLetter(
        {
          reference: application.reference,
          givenNames: application.given_names,
          familyName: application.family_name,
          filedOn: application.filed_on,
        },
        application.preferred_language,
      );
      await outbox.insertMessageOnce({
        messageKey: request.messageKey,
        caseId: application.id,
        kind: request.kind,
        recipient: application.email,
        subject: letter.subject,
        bodyText: letter.text,
        messageId: messageIdFor(request.messageKey, deps.mail.domain),
      });
    },

    /** Puts a notice to the team mailbox into the outbox under its unique key (once). */
    async enqueueTeamMessage(request: {
      messageKey: string;
      applicationId: string;
      kind: 'naturalisation.inaction_warning';
      lawsuitPossibleFrom: string;
    }): Promise<void> {
      const application = await applications.findApplicationById(request.applicationId);
      if (!application) {
        throw ApplicationFailure.create({ type: 'application.not_found', message: `no application ${request.applicationId}`, nonRetryable: true });
      }
      const letter = renderInactionWarning({
        reference: application.reference,
        filedOn: application.filed_on,
        lawsuitPossibleFrom: request.lawsuitPossibleFrom,
      });
      await outbox.insertMessageOnce({
        messageKey: request.messageKey,
        caseId: application.id,
        kind: request.kind,
        recipient: deps.mail.teamMailbox,
        subject: letter.subject,
        bodyText: letter.text,
        messageId: messageIdFor(request.messageKey, deps.mail.domain),
      });
    },

    /** Puts a milestone letter to the applicant into the outbox under its unique key (once). */
    async enqueueApplicantLetter(request: { messageKey: string; applicationId: string; letter: ApplicantLetterRequest }): Promise<void> {
      const application = await applications.findApplicationById(request.applicationId);
      if (!application) {
        throw ApplicationFailure.create({ type: 'application.not_found', message: `no application ${request.applicationId}`, nonRetryable: true });
      }
      const letter = renderApplicantLetter(
        { reference: application.reference, givenNames: application.given_names, familyName: application.family_name, filedOn: application.filed_on },
        request.letter,
        application.preferred_language,
      );
      await outbox.insertMessageOnce({
        messageKey: request.messageKey,
        caseId: application.id,
        kind: `naturalisation.${request.letter.kind}`,
        recipient: application.email,
        subject: letter.subject,
        bodyText: letter.text,
        messageId: messageIdFor(request.messageKey, deps.mail.domain),
      });
    },

    /**
     * Puts a notice to staff into the outbox: to the team lead's mailbox, and to the assigned
     * clerk where the assignee is an e-mail address.
     */
    async enqueueStaffNotice(request: { messageKey: string; applicationId: string; notice: StaffNoticeRequest; assignee: string | null }): Promise<void> {
      const application = await applications.findApplicationById(request.applicationId);
      if (!application) {
        throw ApplicationFailure.create({ type: 'application.not_found', message: `no application ${request.applicationId}`, nonRetryable: true });
      }
      const letter = renderStaffNotice({ reference: application.reference, filedOn: application.filed_on }, request.notice);
      const recipients = [deps.mail.teamMailbox, ...(request.assignee?.includes('@') ? [request.assignee] : [])];
      await outbox.insertMessageOnce({
        messageKey: request.messageKey,
        caseId: application.id,
        kind: `naturalisation.${request.notice.kind}`,
        recipient: recipients.join(', '),
        subject: letter.subject,
        bodyText: letter.text,
        messageId: messageIdFor(request.messageKey, deps.mail.domain),
      });
    },

    /**
     * Delivers one outbox message by SMTP and records the result. A message already sent is not
     * sent again. The remaining window: the SMTP server has accepted the message but the worker
     * dies before `markMessageSent` commits — the retry sends it again with the same Message-ID,
     * by which the receiving side can discard it.
     * @returns the message's final status
     */
    async deliverMessage(messageKey: string): Promise<'sent' | 'bounced'> {
      const context = Context.current();
      const info = context.info;
      const existing = await outbox.findMessageByKey(messageKey);
      if (!existing) {
        throw ApplicationFailure.create({ type: 'outbox.not_found', message: `no outbox message ${messageKey}`, nonRetryable: true });
      }
      if (existing.status !== 'pending') return existing.status;
      const message = await outbox.claimMessageForDelivery(messageKey, info.activityId, info.attempt);
      if (!message) {
        const now = await outbox.findMessageByKey(messageKey);
        if (now && now.status !== 'pending') return now.status;
        throw ApplicationFailure.create({ type: 'outbox.claimed', message: `message ${messageKey} is being delivered by a newer attempt` });
      }
      const heartbeat = setInterval(() => context.heartbeat(), 2_000);
      try {
        const result = await deps.mailer.sendMail({
          from: deps.mail.from,
          to: message.recipient,
          subject: message.subject,
          text: message.body_text,
          messageId: message.message_id,
          date: message.created_at,
          headers: { 'X-Outbox-Key': message.message_key },
        });
        await outbox.markMessageSent(messageKey, String(result.response));
        return 'sent';
      } catch (error) {
        const failure = error as Error & { responseCode?: number };
        if (failure.responseCode !== undefined && failure.responseCode >= 500 && failure.responseCode < 600) {
          // A permanent refusal (5xx) is a bounce: recorded, not retried.
          await outbox.markMessageBounced(messageKey, failure.message);
          return 'bounced';
        }
        await outbox.recordDeliveryError(messageKey, failure.message);
        throw error;
      } finally {
        clearInterval(heartbeat);
      }
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
