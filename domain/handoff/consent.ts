import { compareLocalDates, type LocalDate } from '../calendar/localDate';

/**
 * Consent to hand data to case management. Art. 6 Abs. 1 Satz 1 lit. a DSGVO with Art. 7 DSGVO:
 * a handoff's data flow needs the person's consent for this purpose, these recipients and these
 * data categories, valid on the day; a withdrawal (Art. 7 Abs. 3 DSGVO) ends it from then on.
 */

export const consentPurposes = ['case_management_handoff'] as const;
export type ConsentPurpose = (typeof consentPurposes)[number];

export const consentRecipients = ['case_management', 'kim_coordinator', 'originating_authority'] as const;
export type ConsentRecipient = (typeof consentRecipients)[number];

/** Data categories a consent may cover. */
export const consentDataCategories = ['name', 'contact', 'language', 'needs', 'case_deadline', 'outcomes'] as const;
export type ConsentDataCategory = (typeof consentDataCategories)[number];

/** The minimal data of a handoff: name, contact, language, the need, the case's relevant deadline. Art. 5 Abs. 1 lit. c DSGVO. */
export const handoffDataCategories: readonly ConsentDataCategory[] = ['name', 'contact', 'language', 'needs', 'case_deadline'];

export interface Consent {
  id: string;
  purpose: ConsentPurpose;
  recipients: readonly ConsentRecipient[];
  dataCategories: readonly ConsentDataCategory[];
  validFrom: LocalDate;
  validUntil: LocalDate;
  withdrawnAt: string | null;
}

export type ConsentCheck = { valid: true } | { valid: false; reason: { de: string; en: string } };

/**
 * Whether `consent` allows a handoff's data flow on `asOf`: the purpose, case management as a
 * recipient, every category of the handoff's minimal data, in force on the day and not withdrawn.
 * Art. 6 Abs. 1 Satz 1 lit. a DSGVO; Art. 7 Abs. 3 DSGVO.
 */
export function checkHandoffConsent(consent: Consent, asOf: LocalDate): ConsentCheck {
  if (consent.withdrawnAt !== null) return { valid: false, reason: { de: 'Die Einwilligung wurde widerrufen.', en: 'the consent was withdrawn' } };
  if (consent.purpose !== 'case_management_handoff') return { valid: false, reason: { de: 'Die Einwilligung gilt einem anderen Zweck.', en: 'the consent is for another purpose' } };
  if (!consent.recipients.includes('case_management')) {
    return { valid: false, reason: { de: 'Das Case Management ist kein Empfänger der Einwilligung.', en: 'case management is not a recipient of the consent' } };
  }
  const missing = handoffDataCategories.filter((category) => !consent.dataCategories.includes(category));
  if (missing.length > 0) {
    return { valid: false, reason: { de: `Die Einwilligung deckt nicht: ${missing.join(', ')}.`, en: `the consent does not cover: ${missing.join(', ')}` } };
  }
  if (compareLocalDates(asOf, consent.validFrom) < 0 || compareLocalDates(asOf, consent.validUntil) > 0) {
    return { valid: false, reason: { de: `Die Einwilligung gilt vom ${consent.validFrom} bis ${consent.validUntil}.`, en: `the consent is valid from ${consent.validFrom} to ${consent.validUntil}` } };
  }
  return { valid: true };
}

/** The first consent of the list that allows a handoff on `asOf`, if any. Art. 6 Abs. 1 Satz 1 lit. a DSGVO. */
export function findValidHandoffConsent<C extends Consent>(consents: readonly C[], asOf: LocalDate): C | undefined {
  return consents.find((consent) => checkHandoffConsent(consent, asOf).valid);
}
