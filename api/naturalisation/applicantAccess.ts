import type { Request } from 'express';
import { createAccessCodeQueries } from '../../db/queries/accessCodes';
import { createAuditQueries } from '../../db/queries/audit';
import { determineLockoutMs, hashAccessCode, matchAccessCode } from '../../security/accessCodes';
import type { ApiDependencies } from '../deps';
import { AppError } from '../errors';

/** The access-code settings, with their defaults; without a pepper, no code is issued or checked. */
export function accessCodeSettings(deps: Pick<ApiDependencies, 'settings'>) {
  const settings = deps.settings.accessCodes;
  if (!settings?.pepper) throw new AppError('internal', 500, 'internal error');
  return { pepper: settings.pepper, expireAfterCloseDays: settings.expireAfterCloseDays ?? 90, maxFailures: settings.maxFailures ?? 5 };
}

/**
 * Checks an applicant's reference and access code (no login). An unknown reference, a wrong,
 * revoked or expired code get the same answer, and the comparison takes the same time. Wrong
 * attempts count per reference, whoever makes them: after `maxFailures` the reference is locked
 * (429) for a minute, doubling with each further wrong attempt up to a day. Audit rows stay
 * bounded: each wrong attempt up to the limit, then one row per lockout (attempts while locked
 * are only counted). Where several authorities use the same reference, its attempts and lockout
 * are shared: an attacker guessing codes for it slows down guesses for every case that has it.
 * @returns the application's id and authority
 */
export async function verifyApplicantAccess(
  deps: ApiDependencies,
  req: Request,
  action: string,
  credentials: { reference: string; accessCode: string },
): Promise<{ id: string; authorityId: string }> {
  const { pepper, expireAfterCloseDays, maxFailures } = accessCodeSettings(deps);
  const reference = credentials.reference.toUpperCase();
  const codes = createAccessCodeQueries(deps.pool);
  const audit = createAuditQueries(deps.pool);
  const now = deps.clock().getTime();
  const attempts = await codes.findAttempts(reference);
  if (attempts?.locked_until && attempts.locked_until.getTime() > now) {
    await codes.recordBlockedAttempt(reference);
    throw new AppError('status.locked', 429, 'too many wrong attempts for this reference; try again later');
  }

  // References are unique per authority only (migration 20261126163001), so a reference may name
  // one case in each of several authorities. The access code decides which one opens: every
  // candidate is compared (constant-time, whether or not an earlier one matched), and the lookup
  // opens a case only when exactly one code hash matches. A reference no case has is checked
  // against a dummy, so the answer and the work are the same as for a wrong code.
  const candidates = await codes.listApplicantAccessByReference(reference);
  const compared = (candidates.length > 0 ? candidates : [undefined]).map((candidate) => ({
    candidate,
    ...matchAccessCode(candidate?.access_code_hash, credentials.accessCode, pepper),
  }));
  const matching = compared.filter((c) => c.matches);
  const { candidate: application, matches, needsRehash } = matching.length === 1 ? matching[0] : { candidate: candidates.length === 1 ? candidates[0] : undefined, matches: false, needsRehash: false };
  const expired = Boolean(application?.closed_at && application.closed_at.getTime() + expireAfterCloseDays * 86_400_000 < now);
  if (matches && !expired && application) {
    if (needsRehash) await codes.setAccessCodeHash(application.id, hashAccessCode(credentials.accessCode, pepper));
    if (attempts) await codes.clearAttempts(reference);
    await audit.insertAuditEntry({ actor: `applicant@${req.ip}`, action, authorityId: application.authority_id, caseId: application.id });
    return { id: application.id, authorityId: application.authority_id };
  }

  const failed = await codes.recordFailedAttempt(reference, (failures) => determineLockoutMs(failures, maxFailures));
  if (failed.failures <= maxFailures || failed.locked_until) {
    await audit.insertAuditEntry({
      actor: `applicant@${req.ip}`,
      action,
      authorityId: application?.authority_id ?? null,
      caseId: null,
      outcome: 'refused',
      detail: {
        reason: expired && matches ? 'access code expired' : 'unknown reference or wrong access code',
        failures: failed.failures,
        ...(failed.locked_until ? { lockedUntil: failed.locked_until.toISOString(), blockedWhileLocked: failed.blocked } : {}),
      },
    });
  }
  throw new AppError('status.not_found', 404, 'no application with this reference and access code');
}
