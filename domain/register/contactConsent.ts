import { z } from 'zod';
import { compareLocalDates, type LocalDate } from '../calendar/localDate';
import { registerDateSchema, type FactSource } from './fieldRules';

/**
 * The person's consent to be contacted by the authority, held in the register as a dated
 * history per purpose: each entry says from which day the consent is given or withdrawn, from
 * what source and who recorded it. Entries are never changed; a withdrawal is a new entry.
 * (The consent to hand data to case management is a different one: `domain/handoff/consent.ts`.)
 */

/**
 * What the person may be contacted about: letters about their residence rights (a residence
 * check's "the date has come" letter), and information about naturalisation (outreach).
 */
export const contactPurposes = ['residence_information', 'naturalisation_information'] as const;
export type ContactPurpose = (typeof contactPurposes)[number];

export const contactConsentStatuses = ['given', 'withdrawn'] as const;
export type ContactConsentStatus = (typeof contactConsentStatuses)[number];

/** A change of the consent: given or withdrawn for a purpose, effective from a day. */
export const contactConsentChangeSchema = z.strictObject({
  purpose: z.enum(contactPurposes),
  status: z.enum(contactConsentStatuses),
  /** The day from which the change applies (the day the form was signed or the withdrawal received). */
  on: registerDateSchema,
});
export type ContactConsentChange = z.infer<typeof contactConsentChangeSchema>;

export interface ContactConsentEntry extends ContactConsentChange {
  readonly id: string;
  readonly source: FactSource;
  readonly recordedBy: string;
  readonly recordedAt: string;
}

/** The consent for one purpose on a day: `none` when nothing was recorded up to that day. */
export interface ContactConsentState {
  purpose: ContactPurpose;
  status: ContactConsentStatus | 'none';
  since: LocalDate | null;
}

/**
 * The consent to be contacted for `purpose` on `asOf`: the last entry for the purpose in force
 * on that day (its `on` not after `asOf`; of two on the same day, the later recorded).
 * Art. 6 Abs. 1 Satz 1 lit. a DSGVO; a withdrawal ends it from its day on, Art. 7 Abs. 3 DSGVO.
 */
export function determineContactConsent(entries: readonly ContactConsentEntry[], purpose: ContactPurpose, asOf: LocalDate): ContactConsentState {
  const inForce = entries
    .filter((entry) => entry.purpose === purpose && compareLocalDates(entry.on, asOf) <= 0)
    .sort((a, b) => compareLocalDates(a.on, b.on) || a.recordedAt.localeCompare(b.recordedAt));
  const last = inForce[inForce.length - 1];
  return last ? { purpose, status: last.status, since: last.on } : { purpose, status: 'none', since: null };
}

/** Whether the person may be contacted for `purpose` on `asOf`. Art. 6 Abs. 1 Satz 1 lit. a DSGVO, Art. 7 Abs. 3 DSGVO. */
export function hasContactConsent(entries: readonly ContactConsentEntry[], purpose: ContactPurpose, asOf: LocalDate): boolean {
  return determineContactConsent(entries, purpose, asOf).status === 'given';
}

export type ContactConsentChangeCheck = { allowed: true } | { allowed: false; reason: { de: string; en: string } };

/**
 * Whether a change may be recorded on `today`: not for a future day (a consent is given when it
 * is given), not before the purpose's last entry (the history stays in date order), and it must
 * change the state (a withdrawal needs a consent; giving it twice changes nothing).
 * Art. 7 Abs. 1 DSGVO (the authority must be able to show the consent and its day).
 */
export function checkContactConsentChange(entries: readonly ContactConsentEntry[], change: ContactConsentChange, today: LocalDate): ContactConsentChangeCheck {
  if (compareLocalDates(change.on, today) > 0) {
    return { allowed: false, reason: { de: `Das Datum ${change.on} liegt nach dem heutigen Tag.`, en: `the day ${change.on} is after today (${today})` } };
  }
  const latest = determineContactConsent(entries, change.purpose, '9999-12-31');
  if (latest.since !== null && compareLocalDates(change.on, latest.since) < 0) {
    return { allowed: false, reason: { de: `Für diesen Zweck ist bereits ein Eintrag vom ${latest.since} erfasst.`, en: `an entry of ${latest.since} is recorded for this purpose; a change cannot precede it` } };
  }
  if (latest.status === change.status || (latest.status === 'none' && change.status === 'withdrawn')) {
    return { allowed: false, reason: { de: 'Die Änderung ändert nichts am Stand der Einwilligung.', en: `the consent is ${latest.status === 'none' ? 'not recorded' : latest.status} already` } };
  }
  return { allowed: true };
}
