import { createHash } from 'node:crypto';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Pool, PoolClient } from 'pg';
import type { Transporter } from 'nodemailer';
import { createAccessCodeQueries } from '../db/queries/accessCodes';
import { createOutboxQueries, type OutboxMessage, type OutboxRow } from '../db/queries/outbox';
import { accessCodePlaceholder } from '../domain/letters/naturalisationLetters';
import { findCaseAuthorityAndTeamById } from '../db/queries/staffMailboxes';
import type { LetterContext, MailSettings, MessageRequest } from '../processes/contract';
import { findProcess } from '../processes';
import { toSingleRecipient } from '../security/recipients';
import { createStaffMailboxResolver } from './staffMailboxes';

/** A stable Message-ID per outbox key: a message sent twice by accident carries the same id. */
export function messageIdFor(messageKey: string, domain: string): string {
  return `<${createHash('sha256').update(messageKey).digest('hex').slice(0, 32)}@${domain}>`;
}

/** In place of a code whose clear text is gone (delivered before, revoked, expired). */
const unavailableCode = '(nicht mehr verfügbar – bitte fordern Sie bei Ihrer Behörde einen neuen Code an / no longer available – please ask your authority for a new code)';

/**
 * The text to send of an outbox row: a secret (an access code) is rendered only now, in place of
 * the placeholder the stored body holds. The caller deletes the secret once the letter is sent.
 */
export async function renderForDelivery(
  secrets: ReturnType<typeof createAccessCodeQueries>,
  message: Pick<OutboxRow, 'case_id' | 'body_text'>,
): Promise<{ text: string; secret?: string }> {
  if (!message.case_id || !message.body_text.includes(accessCodePlaceholder)) return { text: message.body_text };
  const secret = await secrets.findMessageSecret(message.case_id);
  return { text: message.body_text.split(accessCodePlaceholder).join(secret ?? unavailableCode), ...(secret ? { secret } : {}) };
}

/** The mail of an outbox row: its stable Message-ID, its creation date, its key as a header. */
export function outboxMail(mail: MailSettings, message: OutboxRow, text: string) {
  return {
    from: mail.from,
    to: message.recipient,
    subject: message.subject,
    text,
    messageId: message.message_id,
    date: message.created_at,
    headers: { 'X-Outbox-Key': message.message_key },
  };
}

/** Whether an SMTP failure is a permanent refusal (5xx): a bounce, recorded and not retried. */
export function isPermanentSmtpFailure(error: unknown): boolean {
  const code = (error as { responseCode?: number }).responseCode;
  return code !== undefined && code >= 500 && code < 600;
}

/** A letter the SMTP server accepted: its answer, and the secret to delete once it is recorded. */
interface AcceptedLetter {
  response: string;
  caseId: string | null;
  secret: string | undefined;
}

/**
 * Letters this process handed to the SMTP server whose "sent" it could not record yet (the
 * database was away). A deliverer keeps each accepted letter here until its record commits, and
 * records it — never sends it again — when it meets the letter once more. Shared by the outbox
 * relay (keyed by row id) and `deliverMessage` (keyed by message key).
 */
export function createAcceptedLetterLedger<Key>(
  markSent: (key: Key, response: string) => Promise<void>,
  secrets: ReturnType<typeof createAccessCodeQueries>,
) {
  const unrecorded = new Map<Key, AcceptedLetter>();
  const record = async (key: Key, letter: AcceptedLetter): Promise<void> => {
    await markSent(key, letter.response);
    unrecorded.delete(key);
    if (letter.secret && letter.caseId) await secrets.deleteMessageSecret(letter.caseId, letter.secret);
  };
  return {
    /** Keeps the accepted letter, then records it; on a database error it stays kept (and the error is thrown). */
    async accept(key: Key, letter: AcceptedLetter): Promise<void> {
      unrecorded.set(key, letter);
      await record(key, letter);
    },
    /** Records the kept letter of `key`, if there is one. @returns whether there was */
    async recordIfKept(key: Key): Promise<boolean> {
      const letter = unrecorded.get(key);
      if (letter) await record(key, letter);
      return Boolean(letter);
    },
    /** Records every kept letter; throws while the database is still away. */
    async recordAll(): Promise<void> {
      for (const [key, letter] of [...unrecorded]) await record(key, letter);
    },
  };
}

/**
 * The one path into the outbox for every process and recipient kind, and the delivery of what
 * it holds. The process supplies the letter (its `LetterComposer`); the outbox sends it once.
 */
export function createMessageActivities(deps: { pool: Pool; mailer: Transporter; mail: MailSettings }) {
  const outbox = createOutboxQueries(deps.pool);
  const secrets = createAccessCodeQueries(deps.pool);
  /** Accepted by the SMTP server, not yet recorded: the activity's retry records them instead of sending again. */
  const accepted = createAcceptedLetterLedger<string>((messageKey, response) => outbox.markMessageSent(messageKey, response), secrets);

  const directory = createStaffMailboxResolver({ teamMailbox: deps.mail.teamMailbox });

  /**
   * The addresses of a recipient kind. Staff kinds go to the mailbox of the case's authority and
   * team in the staff directory (`team`, `staff`; `case_management` and `kim_coordinator` are
   * teams of their own); `staff` adds the assigned clerk only when the assignee is exactly one
   * e-mail address, so an assignee with commas can never add recipients.
   */
  const resolveRecipients = async (db: Pool | PoolClient, request: MessageRequest, context: LetterContext): Promise<{ addresses: string[]; fallback: boolean }> => {
    if (request.recipient === 'person') return { addresses: context.email ? [context.email] : [], fallback: false };
    const owner = await findCaseAuthorityAndTeamById(db, request.caseId);
    const authorityId = owner?.authority_id ?? context.authorityId;
    const configured = context.mailboxes?.[request.recipient]?.[0];
    if (request.recipient === 'case_management' || request.recipient === 'kim_coordinator') {
      // Only the process's configured mailbox is a fallback here, never the naturalisation team's.
      const entry = await directory.resolveTeamMailbox(db, authorityId, request.recipient, configured ?? '');
      return entry.address ? { addresses: [entry.address], fallback: entry.fallback } : { addresses: [], fallback: false };
    }
    const team = await directory.resolveTeamMailbox(db, authorityId, context.staffTeam ?? owner?.team ?? 'default', configured);
    const assignee = request.recipient === 'staff' ? toSingleRecipient(request.assignee?.trim()) : undefined;
    return { addresses: [...new Set([team.address, ...(assignee ? [assignee] : [])])], fallback: team.fallback };
  };

  /**
   * The outbox row of one letter, read and rendered on `db` (in a transaction: after the
   * projection written in it, so a staff notice goes to the case's current team).
   */
  const composeMessage = async (db: Pool | PoolClient, request: MessageRequest): Promise<OutboxMessage> => {
    const process = findProcess(request.caseType);
    const context = await process.letters.load(db, request.caseId);
    if (!context) {
      throw ApplicationFailure.create({ type: 'case.not_found', message: `no ${request.caseType} case ${request.caseId}`, nonRetryable: true });
    }
    const letter = process.letters.render(context, request);
    const { addresses: recipients, fallback } = await resolveRecipients(db, request, context);
    const common = {
      messageKey: request.messageKey,
      caseId: request.caseId,
      kind: `${request.caseType}.${request.letter.kind}`,
      subject: letter.subject,
      bodyText: letter.text,
      messageId: messageIdFor(request.messageKey, deps.mail.domain),
    };
    // No e-mail address: the letter is kept "to print" and goes by post; delivery skips it.
    if (recipients.length === 0 && request.recipient === 'person' && request.printIfNoEmail) return { ...common, recipient: 'print', status: 'to_print' };
    if (recipients.length === 0) {
      throw ApplicationFailure.create({ type: 'message.no_recipient', message: `no address for ${request.messageKey}`, nonRetryable: true });
    }
    return { ...common, recipient: recipients.join(', '), recipientFallback: fallback };
  };

  return {
    /**
     * Puts letters into the outbox on `db` (a transaction of the caller), each under its unique
     * key, for the outbox relay to deliver: a retry changes nothing.
     * @returns the keys of the letters kept "to print" (no e-mail address), which go by post
     */
    async insertRelayedMessages(db: PoolClient, requests: readonly MessageRequest[]): Promise<string[]> {
      const outboxOnDb = createOutboxQueries(db);
      const toPrint: string[] = [];
      for (const request of requests) {
        const message = await composeMessage(db, request);
        await outboxOnDb.insertMessageOnce({ ...message, relay: true });
        if (message.status === 'to_print') toPrint.push(message.messageKey);
      }
      return toPrint;
    },

    /**
     * Puts one letter into the outbox under its unique key: a retry, or a second call with the
     * same key, changes nothing.
     */
    async enqueueMessage(request: MessageRequest): Promise<void> {
      await outbox.insertMessageOnce(await composeMessage(deps.pool, request));
    },

    /**
     * Delivers one outbox message by SMTP and records the result. A message already sent is not
     * sent again. The remaining window: the SMTP server has accepted the message but the worker
     * dies before `markMessageSent` commits — the retry sends it again with the same Message-ID,
     * by which the receiving side can discard it.
     * @returns the message's final status
     */
    async deliverMessage(messageKey: string): Promise<'sent' | 'bounced' | 'to_print'> {
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
      // Sent by an earlier attempt in this process, whose record failed (the database was away): record it, do not send again.
      if (await accepted.recordIfKept(messageKey)) return 'sent';
      // A secret (an access code) is rendered only now: the stored body holds its placeholder.
      const { text, secret } = await renderForDelivery(secrets, message);
      const heartbeat = setInterval(() => context.heartbeat(), 2_000);
      let response: string;
      try {
        response = String((await deps.mailer.sendMail(outboxMail(deps.mail, message, text))).response);
      } catch (error) {
        const failure = error as Error;
        if (isPermanentSmtpFailure(error)) {
          // A permanent refusal (5xx) is a bounce: recorded, not retried.
          await outbox.markMessageBounced(messageKey, failure.message);
          if (secret) await secrets.deleteMessageSecret(message.case_id!, secret);
          return 'bounced';
        }
        await outbox.recordDeliveryError(messageKey, failure.message);
        throw error;
      } finally {
        clearInterval(heartbeat);
      }
      await accepted.accept(messageKey, { response, caseId: message.case_id, secret });
      return 'sent';
    },
  };
}
