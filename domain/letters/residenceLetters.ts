import { formatGermanDate, type Letter } from './naturalisationLetters';

/**
 * Letters and notices of the residence process (ABH). Letters to residents: German first, then
 * the resident's language (English where no text exists yet); notices to staff: German, the
 * check's reference only.
 */

export type ResidencePersonLetter =
  | { kind: 'evidence_requested'; documents: string[]; deadline: string }
  | { kind: 'evidence_reminder'; documents: string[]; deadline: string }
  | { kind: 'eligibility_date_reached'; title: string; on: string }
  | { kind: 'expiry_reminder'; expiresOn: string; lastDayInTime: string; documents: string[] };

export type ResidenceStaffNotice =
  | { kind: 'evidence_overdue'; deadline: string }
  | { kind: 'eligibility_date_reached'; on: string; overall: string }
  | { kind: 'age_limit_approaching'; lastDayToApply: string }
  | { kind: 'transition_check_started'; expiresOn: string }
  | { kind: 'transition_escalation'; expiresOn: string; escalationOn: string }
  | { kind: 'renewal_not_filed'; expiresOn: string }
  | { kind: 'fiktionsbescheinigung_expiring'; validUntil: string };

export interface ResidenceLetterPerson {
  reference: string;
  givenNames: string;
  familyName: string;
}

const documentNames: Record<string, { de: string; en: string }> = {
  passport: { de: 'gültiger Reisepass oder Passersatz', en: 'valid passport or passport substitute' },
  school_certificates: { de: 'Schulzeugnisse oder Abschlusszeugnis', en: 'school reports or leaving certificate' },
  a2_certificate: { de: 'Sprachzertifikat Deutsch (mindestens A2)', en: 'German language certificate (at least A2)' },
  proof_of_livelihood: { de: 'Nachweise zum Lebensunterhalt (Arbeitsvertrag, Lohnabrechnungen der letzten drei Monate)', en: 'proof of livelihood (employment contract, payslips of the last three months)' },
  current_permit: { de: 'aktueller Aufenthaltstitel', en: 'current residence permit' },
  biometric_photo: { de: 'ein aktuelles biometrisches Passfoto', en: 'a current biometric passport photo' },
  rental_contract: { de: 'Mietvertrag oder Wohnungsgeberbestätigung', en: 'rental contract or landlord confirmation' },
};
const listDocuments = (documents: string[], language: 'de' | 'en') => documents.map((d) => `- ${(documentNames[d] ?? { de: d, en: d })[language]}`).join('\n');

/** The documents a renewal appointment needs (practice; the authority may change the list). */
export const renewalDocuments = ['passport', 'current_permit', 'biometric_photo', 'proof_of_livelihood', 'rental_contract'];

type Body = { subject: string; body: string };

function german(p: ResidenceLetterPerson, r: ResidencePersonLetter): Body {
  const greeting = `Guten Tag ${p.givenNames} ${p.familyName},`;
  const close = ['', 'Mit freundlichen Grüßen', 'Ihre Ausländerbehörde'];
  switch (r.kind) {
    case 'evidence_requested':
    case 'evidence_reminder':
      return {
        subject: `${r.kind === 'evidence_reminder' ? 'Erinnerung: ' : ''}Unterlagen für Ihre aufenthaltsrechtliche Prüfung ${p.reference}`,
        body: [greeting, '', 'für die Prüfung Ihres Aufenthaltsrechts benötigen wir:', listDocuments(r.documents, 'de'), '', `Bitte reichen Sie die Unterlagen bis zum ${formatGermanDate(r.deadline)} ein.`, ...close].join('\n'),
      };
    case 'eligibility_date_reached':
      return {
        subject: `Ihr Aufenthaltsrecht: neue Prüfung möglich (${p.reference})`,
        body: [greeting, '', `seit dem ${formatGermanDate(r.on)} können Sie voraussichtlich die zeitlichen Voraussetzungen für ${r.title} erfüllen.`, 'Bitte vereinbaren Sie einen Termin mit uns.', ...close].join('\n'),
      };
    case 'expiry_reminder':
      return {
        subject: `Ihr Aufenthaltstitel läuft am ${formatGermanDate(r.expiresOn)} ab (${p.reference})`,
        body: [
          greeting,
          '',
          `Ihr Aufenthaltstitel ist gültig bis zum ${formatGermanDate(r.expiresOn)}.`,
          `Bitte beantragen Sie die Verlängerung rechtzeitig, spätestens am ${formatGermanDate(r.lastDayInTime)}: dann gilt Ihr Titel bis zur Entscheidung fort (§ 81 Abs. 4 AufenthG).`,
          'Bitte bringen Sie mit:',
          listDocuments(r.documents, 'de'),
          '',
          'Wir bieten Ihnen gern einen Termin an: antworten Sie auf dieses Schreiben oder rufen Sie uns an.',
          ...close,
        ].join('\n'),
      };
  }
}

function english(p: ResidenceLetterPerson, r: ResidencePersonLetter): Body {
  const greeting = `Dear ${p.givenNames} ${p.familyName},`;
  const close = ['', 'Kind regards', 'Your foreign-resident authority'];
  switch (r.kind) {
    case 'evidence_requested':
    case 'evidence_reminder':
      return {
        subject: `${r.kind === 'evidence_reminder' ? 'Reminder: ' : ''}documents for your residence check ${p.reference}`,
        body: [greeting, '', 'to examine your right of residence we need:', listDocuments(r.documents, 'en'), '', `Please send them by ${r.deadline}.`, ...close].join('\n'),
      };
    case 'eligibility_date_reached':
      return {
        subject: `Your right of residence: a new check is possible (${p.reference})`,
        body: [greeting, '', `since ${r.on} you are expected to meet the time requirements of ${r.title}.`, 'Please make an appointment with us.', ...close].join('\n'),
      };
    case 'expiry_reminder':
      return {
        subject: `Your residence permit expires on ${r.expiresOn} (${p.reference})`,
        body: [
          greeting,
          '',
          `your residence permit is valid until ${r.expiresOn}.`,
          `Please apply for its renewal in time, at the latest on ${r.lastDayInTime}: your permit then stays in force until the decision (§ 81 Abs. 4 AufenthG).`,
          'Please bring:',
          listDocuments(r.documents, 'en'),
          '',
          'We are happy to offer you an appointment: reply to this letter or call us.',
          ...close,
        ].join('\n'),
      };
  }
}

/** A letter to the person: German first, then their language (English where no text exists). */
export function renderResidencePersonLetter(person: ResidenceLetterPerson, request: ResidencePersonLetter, language: string): Letter {
  const de = german(person, request);
  if (language === 'de') return { subject: de.subject, text: `${de.body}\n` };
  const second = english(person, request);
  return { subject: `${de.subject} / ${second.subject}`, text: `${de.body}\n\n---\n\n${second.body}\n` };
}

/** A notice to staff: German, the reference only. */
export function renderResidenceStaffNotice(reference: string, notice: ResidenceStaffNotice): Letter {
  const line = (subject: string, text: string): Letter => ({ subject: `${subject}: ${reference}`, text: `${text}\n` });
  switch (notice.kind) {
    case 'evidence_overdue':
      return line('Unterlagen nicht eingegangen', `Die Frist für die angeforderten Unterlagen ist am ${formatGermanDate(notice.deadline)} abgelaufen. Bitte entscheiden Sie über das weitere Vorgehen.`);
    case 'eligibility_date_reached':
      return line('Aufenthaltsrecht: Stichtag erreicht', `Die zeitlichen Voraussetzungen sind seit dem ${formatGermanDate(notice.on)} erfüllt (Gesamtbewertung: ${notice.overall}). Bitte entscheiden Sie erneut.`);
    case 'age_limit_approaching':
      return line('§ 25a AufenthG: Altersgrenze naht', `Ein Antrag nach § 25a AufenthG ist nur bis einschließlich ${formatGermanDate(notice.lastDayToApply)} möglich (vor Vollendung des 27. Lebensjahres).`);
    case 'transition_check_started':
      return line('§ 104c AufenthG: Übergangsprüfung', `Die Chancen-Aufenthaltserlaubnis läuft am ${formatGermanDate(notice.expiresOn)} ab und ist nicht verlängerbar. Bitte prüfen Sie den Übergang nach § 25a oder § 25b AufenthG.`);
    case 'transition_escalation':
      return line('Eskalation an die Teamleitung – § 104c AufenthG', `Die Chancen-Aufenthaltserlaubnis läuft am ${formatGermanDate(notice.expiresOn)} ab; am ${formatGermanDate(notice.escalationOn)} liegt noch kein Folgeantrag vor.`);
    case 'renewal_not_filed':
      return line('Verlängerung nicht beantragt', `Der Aufenthaltstitel läuft am ${formatGermanDate(notice.expiresOn)} ab; ein Verlängerungsantrag liegt nicht vor. Bitte nehmen Sie Kontakt auf.`);
    case 'fiktionsbescheinigung_expiring':
      return line('Fiktionsbescheinigung läuft ab', `Die Fiktionsbescheinigung ist gültig bis ${formatGermanDate(notice.validUntil)}. Bitte verlängern oder entscheiden.`);
  }
}
