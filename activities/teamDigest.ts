import type { Pool } from 'pg';
import { createOutboxQueries } from '../db/queries/outbox';
import { createTeamDigestQueries } from '../db/queries/teamDigest';
import { renderTeamDigest } from '../domain/letters/teamDigest';
import { finalStages } from '../processes';
import { createStaffMailboxResolver } from './staffMailboxes';

/**
 * Puts each team's daily digest into the outbox (once per team and day) and returns the keys
 * for delivery. The digest goes to that team's mailbox of its authority in the staff directory —
 * `TEAM_MAILBOX` only where there is none (flagged on the outbox row).
 */
export function createTeamDigestActivities(deps: {
  pool: Pool;
  mail: { domain: string; teamMailbox: string };
  messageIdFor: (key: string, domain: string) => string;
}) {
  const directory = createStaffMailboxResolver({ teamMailbox: deps.mail.teamMailbox });
  return {
    async enqueueTeamDigests(request: { asOf: string; day: string }): Promise<string[]> {
      const outbox = createOutboxQueries(deps.pool);
      const keys: string[] = [];
      for (const row of await createTeamDigestQueries(deps.pool).listTeamDigests(request.asOf, finalStages)) {
        const key = `digest/${row.authority_id}/${row.team}/${request.day}`;
        const letter = renderTeamDigest({
          authorityId: row.authority_id,
          team: row.team,
          day: request.day,
          openCases: row.open_cases,
          byStage: row.by_stage,
          lawsuitPossible: row.lawsuit_possible,
          overdue: row.overdue,
          dueWithinWeek: row.due_within_week,
          waitingForApplicant: row.waiting_for_applicant,
          waitingForOtherAgency: row.waiting_for_other_agency,
          suspended: row.suspended,
          oldest: row.oldest,
        });
        const mailbox = await directory.resolveTeamMailbox(deps.pool, row.authority_id, row.team);
        await outbox.insertMessageOnce({
          messageKey: key,
          caseId: null,
          kind: 'team_digest',
          recipient: mailbox.address,
          recipientFallback: mailbox.fallback,
          subject: letter.subject,
          bodyText: letter.text,
          messageId: deps.messageIdFor(key, deps.mail.domain),
        });
        keys.push(key);
      }
      return keys;
    },
  };
}
