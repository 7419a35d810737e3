import type { Role } from './roles';

/** A staff member the development sign-in offers: the claims its tokens carry. */
export interface DevStaffMember {
  subject: string;
  name: string;
  roles: Role[];
  authorityId: string;
  team?: string;
}

/**
 * The development staff of the loopback OIDC provider (security/devOidcProvider.ts): one per
 * kind of work, all of the authority "koeln". Not real people; only the development sign-in
 * page lists them, and only where the dev issuer is allowed at all (devIssuerPolicy.ts).
 */
export const devStaff: readonly DevStaffMember[] = [
  { subject: 'ebh-anna', name: 'Anna Becker (EBH)', roles: ['ebh_clerk'], authorityId: 'koeln' },
  { subject: 'ebh-jonas', name: 'Jonas Weber (EBH)', roles: ['ebh_clerk'], authorityId: 'koeln' },
  { subject: 'ebh-lead-sabine', name: 'Sabine Krüger (EBH, Teamleitung)', roles: ['ebh_clerk'], authorityId: 'koeln' },
  { subject: 'abh-mehmet', name: 'Mehmet Yilmaz (ABH)', roles: ['abh_clerk'], authorityId: 'koeln' },
  { subject: 'cm-lena', name: 'Lena Hoffmann (Case Management)', roles: ['case_manager'], authorityId: 'koeln', team: 'case_management' },
  { subject: 'kim-coordinator', name: 'Petra Schulz (KIM-Koordination)', roles: ['coordinator'], authorityId: 'koeln' },
  { subject: 'admin-tom', name: 'Tom Fischer (Administration)', roles: ['admin'], authorityId: 'koeln' },
];

export function findDevStaffMember(subject: string): DevStaffMember | undefined {
  return devStaff.find((member) => member.subject === subject);
}
