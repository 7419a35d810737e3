import type { Pool, PoolClient } from 'pg';

export interface StaffMailboxRow {
  authority_id: string;
  team: string;
  address: string;
  updated_by: string;
  updated_at: Date;
}

/** The staff directory: one mailbox per authority and team. Every query is scoped to one authority. */
export function createStaffMailboxQueries(db: Pool | PoolClient) {
  const findStaffMailboxByAuthorityAndTeam = async (authorityId: string, team: string): Promise<StaffMailboxRow | undefined> => {
    const { rows } = await db.query<StaffMailboxRow>('SELECT * FROM staff_mailboxes WHERE authority_id = $1 AND team = $2', [authorityId, team]);
    return rows[0];
  };
  return {
    findStaffMailboxByAuthorityAndTeam,

    async listStaffMailboxesByAuthority(authorityId: string): Promise<StaffMailboxRow[]> {
      const { rows } = await db.query<StaffMailboxRow>('SELECT * FROM staff_mailboxes WHERE authority_id = $1 ORDER BY team', [authorityId]);
      return rows;
    },

    /** @returns the entry before the change (undefined when it is new) */
    async upsertStaffMailbox(entry: { authorityId: string; team: string; address: string; updatedBy: string }): Promise<StaffMailboxRow | undefined> {
      const before = await findStaffMailboxByAuthorityAndTeam(entry.authorityId, entry.team);
      await db.query(
        `INSERT INTO staff_mailboxes (authority_id, team, address, updated_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (authority_id, team) DO UPDATE SET address = EXCLUDED.address, updated_by = EXCLUDED.updated_by, updated_at = now()`,
        [entry.authorityId, entry.team, entry.address, entry.updatedBy],
      );
      return before;
    },

    /** @returns the removed entry, or undefined when there was none */
    async deleteStaffMailbox(authorityId: string, team: string): Promise<StaffMailboxRow | undefined> {
      const { rows } = await db.query<StaffMailboxRow>('DELETE FROM staff_mailboxes WHERE authority_id = $1 AND team = $2 RETURNING *', [authorityId, team]);
      return rows[0];
    },
  };
}

/** The authority and team a case belongs to, from its projection (undefined before the first one is written). */
export async function findCaseAuthorityAndTeamById(db: Pool | PoolClient, caseId: string): Promise<{ authority_id: string; team: string } | undefined> {
  const { rows } = await db.query<{ authority_id: string; team: string }>('SELECT authority_id, team FROM case_projections WHERE case_id = $1', [caseId]);
  return rows[0];
}
