import type { Pool, PoolClient } from 'pg';
import type { Transporter } from 'nodemailer';
import { withTransaction } from '../../db/transaction';
import { createPersonFactQueries } from '../../db/queries/personFacts';
import { createPersonQueries } from '../../db/queries/persons';
import { createResidencePeriodQueries } from '../../db/queries/residencePeriods';
import { createOutreachCampaignQueries, type CampaignRow } from '../../db/queries/outreachCampaigns';
import { createOutreachRelayQueries, type ClaimedOutreachMessage } from '../../db/queries/outreachRelay';
import { listOutreachRequirements } from '../../domain/outreach/eligibilityDate';
import { renderOutreachLetter, type OutreachLetterInput, type RenderedOutreachLetter, type OutreachTemplate } from '../../domain/outreach/messageTemplates';
import { evaluateNaturalisationEligibility } from '../../domain/naturalisation/eligibility';
import { deriveNaturalisationFacts } from '../../domain/register/naturalisationFacts';
import { createOptOutToken } from '../../security/optOutTokens';
import type { MailSettings } from '../../processes/contract';
import { messageIdFor } from '../messages';
import type { OutreachSettings } from './settings';

export interface RelayDependencies {
  pool: Pool;
  mailer: Transporter;
  mail: MailSettings;
  settings: OutreachSettings;
  templates: ReadonlyMap<string, OutreachTemplate>;
}

export interface BatchResult {
  claimed: number;
  sent: number;
  bounced: number;
  failed: number;
  skipped: number;
  letters: number;
  /** Messages of the scope still queued or being sent after this batch. */
  remaining: number;
}

export function optOutUrl(settings: OutreachSettings, personId: string): string {
  return `${settings.publicBaseUrl}/api/v1/outreach/opt-out?token=${encodeURIComponent(createOptOutToken(personId, settings.optOutSecret))}`;
}

/**
 * What one outreach letter says: read from the register (eligibility) or the campaign. `pool`:
 * the pool, or the client of the transaction the caller is in (db/transaction.ts).
 */
export async function composeOutreachLetter(
  deps: Pick<RelayDependencies, 'settings' | 'templates'> & { pool: Pool | PoolClient },
  message: Pick<ClaimedOutreachMessage, 'personId' | 'authorityId' | 'kind' | 'givenNames' | 'familyName' | 'preferredLanguage' | 'residenceMetOn'>,
  campaign: CampaignRow | undefined,
): Promise<RenderedOutreachLetter> {
  const name = `${message.givenNames} ${message.familyName}`;
  const unsubscribe = optOutUrl(deps.settings, message.personId);
  let input: OutreachLetterInput;
  if (message.kind === 'eligibility') {
    const date = message.residenceMetOn;
    if (!date) throw new Error(`no outreach date for ${message.personId}`);
    const person = await createPersonQueries(deps.pool).findPersonByIdAndAuthority(message.personId, message.authorityId);
    if (!person) throw new Error(`person ${message.personId} is gone`);
    const [residencePeriods, facts] = await Promise.all([
      createResidencePeriodQueries(deps.pool).listCurrentPeriodsByPerson(person.id),
      createPersonFactQueries(deps.pool).listCurrentFactsByPerson(person.id),
    ]);
    const result = evaluateNaturalisationEligibility(deriveNaturalisationFacts({ person, residencePeriods, facts }, date), date);
    input = { kind: 'eligibility', name, date, requirements: listOutreachRequirements(result), applyUrl: deps.settings.applyUrl, optOutUrl: unsubscribe };
  } else {
    if (!campaign) throw new Error('a campaign message needs its campaign');
    input = {
      kind: 'campaign',
      name,
      title: campaign.content.title,
      details: campaign.content.details,
      ...(campaign.content.eventOn ? { eventOn: campaign.content.eventOn } : {}),
      ...(campaign.content.place ? { place: campaign.content.place } : {}),
      optOutUrl: unsubscribe,
    };
  }
  return renderOutreachLetter(deps.templates, message.preferredLanguage, input);
}

/** Starts sends at no more than `ratePerSecond`, at most `inFlight` at a time. */
async function sendThrottled<T>(items: readonly T[], ratePerSecond: number, inFlight: number, send: (item: T) => Promise<void>, tick: () => void): Promise<void> {
  const started = Date.now();
  const running = new Set<Promise<void>>();
  for (let i = 0; i < items.length; i++) {
    const due = started + (i * 1000) / ratePerSecond;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    while (running.size >= inFlight) await Promise.race(running);
    const p: Promise<void> = send(items[i]!).finally(() => {
      running.delete(p);
      tick();
    });
    running.add(p);
  }
  await Promise.all(running);
}

/**
 * One batch of the outreach relay: claims up to `limit` queued messages of the scope, drops
 * those of persons who opted out or applied meanwhile (an opt-out takes effect at once), renders
 * the rest, puts e-mails into the outbox under their key (never twice) and marks letters
 * printable, then sends the e-mails over the pooled SMTP transport at `ratePerSecond`, recording
 * results in groups. A crash leaves claimed messages `sending`; they are claimed again once stale,
 * and an outbox row already sent is never sent again.
 */
export async function sendOutreachBatch(
  deps: RelayDependencies,
  request: { campaignId: string | null; limit: number; ratePerSecond: number; claimant: string; staleSeconds?: number },
  heartbeat: (progress: number) => void = () => undefined,
): Promise<BatchResult> {
  const relay = createOutreachRelayQueries(deps.pool);
  const campaign = request.campaignId ? await createOutreachCampaignQueries(deps.pool).findCampaignById(request.campaignId) : undefined;
  const result: BatchResult = { claimed: 0, sent: 0, bounced: 0, failed: 0, skipped: 0, letters: 0, remaining: 0 };
  const toSend = await withTransaction(deps.pool, async (client) => {
    const tx = createOutreachRelayQueries(client);
    const claimed = await tx.claimMessages(request.campaignId, request.limit, request.claimant, request.staleSeconds ?? 120);
    result.claimed = claimed.length;
    const final: Parameters<typeof tx.setFinalStatus>[0] = [];
    const emails: (Parameters<typeof tx.insertIntoOutbox>[0][number] & { html: string; optOut: string })[] = [];
    for (const message of claimed) {
      if (message.optedOut || message.applied) {
        final.push({ messageKey: message.messageKey, status: message.optedOut ? 'skipped_opted_out' : 'skipped_applied', languages: [], templateVersion: null });
        result.skipped++;
        continue;
      }
      const letter = await composeOutreachLetter({ ...deps, pool: client }, message, campaign);
      if (message.channel === 'letter' || !message.email) {
        final.push({ messageKey: message.messageKey, status: 'printable', languages: letter.languages, templateVersion: letter.templateVersion });
        result.letters++;
        continue;
      }
      emails.push({
        messageKey: message.messageKey,
        caseId: null,
        kind: `outreach.${message.kind}`,
        recipient: message.email,
        subject: letter.subject,
        bodyText: letter.text,
        html: letter.html,
        messageId: messageIdFor(message.messageKey, deps.mail.domain),
        languages: letter.languages,
        templateVersion: letter.templateVersion,
        optOut: optOutUrl(deps.settings, message.personId),
      });
    }
    await tx.setFinalStatus(final);
    const done = await tx.insertIntoOutbox(emails);
    // Sent before a crash: record it, never send again.
    await tx.recordResults([...done].map(([messageKey, status]) => ({ messageKey, status, response: 'recorded earlier' })));
    return emails.filter((e) => !done.has(e.messageKey));
  });

  let pending: Parameters<typeof relay.recordResults>[0] = [];
  const flush = async () => {
    const group = pending;
    pending = [];
    await relay.recordResults(group);
  };
  let flushing: Promise<void> = Promise.resolve();
  let firstTransientError: Error | undefined;
  await sendThrottled(
    toSend,
    request.ratePerSecond,
    16,
    async (email) => {
      try {
        const info = await deps.mailer.sendMail({
          from: deps.mail.from,
          to: email.recipient,
          subject: email.subject,
          text: email.bodyText,
          html: email.html,
          messageId: email.messageId,
          headers: { 'X-Outbox-Key': email.messageKey, 'List-Unsubscribe': `<${email.optOut}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
        });
        pending.push({ messageKey: email.messageKey, status: 'sent', response: String(info.response) });
        result.sent++;
      } catch (error) {
        const failure = error as Error & { responseCode?: number };
        const permanent = failure.responseCode !== undefined && failure.responseCode >= 500 && failure.responseCode < 600;
        pending.push({ messageKey: email.messageKey, status: permanent ? 'bounced' : 'failed', response: failure.message });
        if (permanent) result.bounced++;
        else {
          result.failed++;
          firstTransientError ??= failure;
        }
      }
    },
    () => {
      if (pending.length >= 100) flushing = flushing.then(flush);
      heartbeat(result.sent + result.bounced + result.failed);
    },
  );
  await flushing;
  await flush();
  result.remaining = await relay.countUnfinished(request.campaignId);
  // A transient SMTP failure of every message (the relay is down): let the caller retry later.
  if (firstTransientError && result.sent === 0 && result.bounced === 0) throw firstTransientError;
  return result;
}
