import { log } from '@temporalio/activity';
import type { Pool, PoolClient } from 'pg';
import { createStaffMailboxQueries } from '../db/queries/staffMailboxes';

/** Where a staff notice or a team digest goes, and whether that is the configured fallback. */
export interface ResolvedMailbox {
  address: string;
  /** True when the staff directory has no entry for the authority and team. */
  fallback: boolean;
}

/**
 * Resolves the mailbox of a team of an authority from the staff directory (`staff_mailboxes`,
 * managed by the authority's admins). Without an entry the configured mailbox is used — the
 * process's own where it has one (case management's `CASE_MANAGEMENT_MAILBOX[ES]`), else
 * `TEAM_MAILBOX` — and the fallback is logged and flagged on the outbox row, so an operator sees
 * which authority's notices still go to the shared mailbox.
 */
export function createStaffMailboxResolver(deps: { teamMailbox: string }) {
  return {
    /** `db`: the pool, or the client of the transaction the caller is in (never the pool then: db/transaction.ts). */
    async resolveTeamMailbox(db: Pool | PoolClient, authorityId: string | undefined, team: string, configured?: string): Promise<ResolvedMailbox> {
      const entry = authorityId ? await createStaffMailboxQueries(db).findStaffMailboxByAuthorityAndTeam(authorityId, team) : undefined;
      if (entry) return { address: entry.address, fallback: false };
      const address = configured ?? deps.teamMailbox;
      warn('no staff mailbox for this authority and team: the configured fallback is used', { authorityId: authorityId ?? null, team, fallback: address });
      return { address, fallback: true };
    },
  };
}

/** The activity's logger inside an activity; the console elsewhere (a call from a test or a script). */
function warn(message: string, attributes: Record<string, unknown>): void {
  try {
    log.warn(message, attributes);
  } catch {
    console.warn(message, attributes);
  }
}
