/**
 * Staff roles. A token carries one or more of them and the authority its holder works for;
 * every case belongs to one authority, and staff see only their own authority's cases.
 */
export const roles = ['abh_clerk', 'ebh_clerk', 'case_manager', 'coordinator', 'admin'] as const;
export type Role = (typeof roles)[number];

export const roleDescriptions: Record<Role, string> = {
  abh_clerk: 'foreign-resident authority (ABH) clerk: residence-law checks and permit deadlines',
  ebh_clerk: 'naturalisation authority (EBH) clerk: naturalisation applications',
  case_manager: 'municipal case management (KIM Baustein 2): handoffs with consent',
  coordinator: 'KIM coordination: anonymised figures only, never personal data',
  admin: 'authorities, retention settings and the audit trail',
};

export interface Principal {
  /** The token's subject: a stable id of the staff member, written into the audit trail. */
  subject: string;
  roles: Role[];
  /** The authority the holder works for (e.g. "koeln"). */
  authorityId: string;
  /** The team within the authority (claim `team`), where the issuer names one: case managers see their team's handoffs. */
  team?: string;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (roles as readonly string[]).includes(value);
}
