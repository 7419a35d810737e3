import type { NaturalisationDocumentType } from '../naturalisation/completeness';

/**
 * Letters and notices of the naturalisation process. Letters to residents are written German
 * first, then in the resident's language; notices to staff are German only.
 *
 * Implementation choice: only German and English texts exist so far. A resident whose language
 * has no text yet gets German and English (English is the most widely read second language of
 * applicants); each new language is one more entry in `acknowledgementTexts`.
 */
export interface Letter {
  subject: string;
  text: string;
}

interface AcknowledgementFacts {
  reference: string;
  givenNames: string;
  familyName: string;
  filedOn: string;
}

type LanguageText = (facts: AcknowledgementFacts) => { subject: string; body: string };

const acknowledgementTexts: Record<string, LanguageText> = {
  de: (f) => ({
    subject: `Eingangsbestätigung Ihres Einbürgerungsantrags ${f.reference}`,
    body: [
      `Guten Tag ${f.givenNames} ${f.familyName},`,
      '',
      `wir haben Ihren Antrag auf Einbürgerung vom ${formatGermanDate(f.filedOn)} erhalten.`,
      `Ihr Aktenzeichen lautet ${f.reference}. Bitte geben Sie es bei jeder Nachricht an uns an.`,
      'Wir melden uns, sobald wir Unterlagen von Ihnen benötigen oder ein Schritt abgeschlossen ist.',
      '',
      'Mit freundlichen Grüßen',
      'Ihre Einbürgerungsbehörde',
    ].join('\n'),
  }),
  en: (f) => ({
    subject: `Acknowledgement of your naturalisation application ${f.reference}`,
    body: [
      `Dear ${f.givenNames} ${f.familyName},`,
      '',
      `we have received your application for naturalisation dated ${f.filedOn}.`,
      `Your reference number is ${f.reference}. Please quote it whenever you contact us.`,
      'We will contact you as soon as we need documents from you or a step has been completed.',
      '',
      'Kind regards',
      'Your naturalisation authority',
    ].join('\n'),
  }),
};

/** Renders the acknowledgement of receipt: German first, then the resident's language. */
export function renderAcknowledgementLetter(facts: AcknowledgementFacts, language: string): Letter {
  const german = acknowledgementTexts.de(facts);
  const second = language !== 'de' ? (acknowledgementTexts[language] ?? acknowledgementTexts.en)(facts) : undefined;
  return {
    subject: second ? `${german.subject} / ${second.subject}` : german.subject,
    text: second ? `${german.body}\n\n---\n\n${second.body}\n` : `${german.body}\n`,
  };
}

interface InactionWarningFacts {
  reference: string;
  filedOn: string;
  lawsuitPossibleFrom: string;
}

/**
 * Renders the warning to the team that the § 75 Satz 2 VwGO waiting period of an undecided
 * application is running out. Staff notice: German only, no personal data beyond the reference.
 */
export function renderInactionWarning(facts: InactionWarningFacts): Letter {
  return {
    subject: `Untätigkeitsfrist: Antrag ${facts.reference} ab ${formatGermanDate(facts.lawsuitPossibleFrom)} klagefähig`,
    text: [
      `Der Einbürgerungsantrag ${facts.reference} vom ${formatGermanDate(facts.filedOn)} ist noch nicht beschieden.`,
      `Ab dem ${formatGermanDate(facts.lawsuitPossibleFrom)} ist eine Untätigkeitsklage zulässig (§ 75 Satz 2 VwGO).`,
      'Personalmangel gilt nicht als zureichender Grund für die Verzögerung.',
      '',
    ].join('\n'),
  };
}

/** "2026-03-05" → "05.03.2026" */
export function formatGermanDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${day}.${month}.${year}`;
}

// ---------------------------------------------------------------------------------------------
// The milestone letters of the procedure (workflow version 2).

const documentNames: Record<NaturalisationDocumentType, { de: string; en: string }> = {
  passport: { de: 'Reisepass', en: 'passport' },
  residence_permit: { de: 'Aufenthaltstitel', en: 'residence permit' },
  birth_certificate: { de: 'Geburtsurkunde', en: 'birth certificate' },
  marriage_certificate: { de: 'Heiratsurkunde', en: 'marriage certificate' },
  income_proof: { de: 'Einkommensnachweise der letzten drei Monate', en: 'proof of income for the last three months' },
  language_certificate: { de: 'Sprachzertifikat (mindestens B1)', en: 'language certificate (at least B1)' },
  naturalisation_test: { de: 'Einbürgerungstest-Bescheinigung', en: 'naturalisation test certificate' },
  school_certificate: { de: 'Deutsches Schulabschlusszeugnis', en: 'German school-leaving certificate' },
  pension_record: { de: 'Rentenversicherungsverlauf', en: 'pension insurance record' },
};
const documentName = (type: string) => documentNames[type as NaturalisationDocumentType] ?? { de: type, en: type };

/**
 * Where an applicant's access code goes in a letter. The code itself is never part of a letter
 * request, a workflow history or a stored outbox body: the delivery puts it in place of this mark.
 */
export const accessCodePlaceholder = '{{ZUGANGSCODE}}';

/** The letters the applicant receives at each milestone. */
export type ApplicantLetterRequest =
  | { kind: 'acknowledgement'; accessCode?: string }
  | { kind: 'access_code'; accessCode: string }
  | { kind: 'documents_requested'; missing: string[]; outdated: string[]; deadline: string }
  | { kind: 'documents_reminder'; missing: string[]; outdated: string[]; deadline: string }
  | { kind: 'decision'; outcome: 'approved' | 'refused' | 'withdrawn'; feeEuro: number }
  | { kind: 'appointment'; at: string; place: string };

interface LetterPerson {
  reference: string;
  givenNames: string;
  familyName: string;
  filedOn: string;
}

type Body = { subject: string; body: string };

function listDocuments(missing: string[], outdated: string[], language: 'de' | 'en'): string {
  const lines = [
    ...missing.map((t) => `- ${documentName(t)[language]}`),
    ...outdated.map((t) => `- ${documentName(t)[language]} (${language === 'de' ? 'aktuelle Fassung, höchstens sechs Monate alt' : 'a current one, at most six months old'})`),
  ];
  return lines.join('\n');
}

function germanText(p: LetterPerson, r: ApplicantLetterRequest): Body {
  const greeting = `Guten Tag ${p.givenNames} ${p.familyName},`;
  const close = ['', 'Mit freundlichen Grüßen', 'Ihre Einbürgerungsbehörde'];
  switch (r.kind) {
    case 'acknowledgement': {
      const ack = acknowledgementTexts.de(p);
      const code = r.accessCode
        ? `\n\nDen Stand Ihres Verfahrens sehen Sie jederzeit online mit Ihrem Aktenzeichen und diesem Zugangscode: ${r.accessCode}`
        : '';
      return { subject: ack.subject, body: ack.body.replace('\n\nMit freundlichen Grüßen', `${code}\n\nMit freundlichen Grüßen`) };
    }
    case 'access_code':
      return {
        subject: `Neuer Zugangscode für Ihren Einbürgerungsantrag ${p.reference}`,
        body: [
          greeting,
          '',
          `für Ihren Einbürgerungsantrag ${p.reference} gilt ab sofort ein neuer Zugangscode: ${r.accessCode}`,
          'Der bisherige Code ist nicht mehr gültig.',
          ...close,
        ].join('\n'),
      };
    case 'documents_requested':
    case 'documents_reminder':
      return {
        subject: `${r.kind === 'documents_reminder' ? 'Erinnerung: ' : ''}Unterlagen für Ihren Einbürgerungsantrag ${p.reference}`,
        body: [
          greeting,
          '',
          r.kind === 'documents_reminder'
            ? `wir erinnern Sie an die noch fehlenden Unterlagen. Bitte reichen Sie sie bis zum ${formatGermanDate(r.deadline)} ein:`
            : `für die Bearbeitung Ihres Antrags benötigen wir bis zum ${formatGermanDate(r.deadline)} noch:`,
          listDocuments(r.missing, r.outdated, 'de'),
          '',
          'Ohne diese Unterlagen müssen wir nach Aktenlage entscheiden.',
          ...close,
        ].join('\n'),
      };
    case 'decision': {
      const text = {
        approved: 'Ihrem Antrag auf Einbürgerung wird stattgegeben. Wir laden Sie zur Aushändigung der Einbürgerungsurkunde ein; erst mit der Aushändigung werden Sie eingebürgert (§ 16 StAG).',
        refused: 'Ihr Antrag auf Einbürgerung wird abgelehnt. Die Gründe und Ihre Rechtsmittel stehen im Bescheid, den Sie per Post erhalten.',
        withdrawn: 'wir bestätigen die Rücknahme Ihres Antrags auf Einbürgerung.',
      }[r.outcome];
      return {
        subject: `Entscheidung über Ihren Einbürgerungsantrag ${p.reference}`,
        body: [greeting, '', text, `Gebühr: ${r.feeEuro} € (§ 38 StAG).`, ...close].join('\n'),
      };
    }
    case 'appointment':
      return {
        subject: `Termin zur Aushändigung Ihrer Einbürgerungsurkunde ${p.reference}`,
        body: [
          greeting,
          '',
          `wir laden Sie zur Aushändigung Ihrer Einbürgerungsurkunde ein: am ${formatGermanDate(r.at.slice(0, 10))} um ${r.at.slice(11, 16)} Uhr, ${r.place}.`,
          'Bitte bringen Sie Ihren Pass mit. Vor der Aushändigung geben Sie das feierliche Bekenntnis ab.',
          ...close,
        ].join('\n'),
      };
  }
}

function englishText(p: LetterPerson, r: ApplicantLetterRequest): Body {
  const greeting = `Dear ${p.givenNames} ${p.familyName},`;
  const close = ['', 'Kind regards', 'Your naturalisation authority'];
  switch (r.kind) {
    case 'acknowledgement': {
      const ack = acknowledgementTexts.en(p);
      const code = r.accessCode ? `\n\nYou can see the status of your case online at any time with your reference number and this access code: ${r.accessCode}` : '';
      return { subject: ack.subject, body: ack.body.replace('\n\nKind regards', `${code}\n\nKind regards`) };
    }
    case 'access_code':
      return {
        subject: `New access code for your naturalisation application ${p.reference}`,
        body: [
          greeting,
          '',
          `from now on, a new access code applies to your naturalisation application ${p.reference}: ${r.accessCode}`,
          'The previous code is no longer valid.',
          ...close,
        ].join('\n'),
      };
    case 'documents_requested':
    case 'documents_reminder':
      return {
        subject: `${r.kind === 'documents_reminder' ? 'Reminder: ' : ''}Documents for your naturalisation application ${p.reference}`,
        body: [
          greeting,
          '',
          r.kind === 'documents_reminder'
            ? `this is a reminder of the documents still missing. Please send them by ${r.deadline}:`
            : `to process your application we still need, by ${r.deadline}:`,
          listDocuments(r.missing, r.outdated, 'en'),
          '',
          'Without these documents we will have to decide on the basis of the file as it stands.',
          ...close,
        ].join('\n'),
      };
    case 'decision': {
      const text = {
        approved: 'your application for naturalisation is granted. We will invite you to receive your naturalisation certificate; you are naturalised only when it is handed to you.',
        refused: 'your application for naturalisation is refused. The reasons and how to appeal are in the decision you will receive by post.',
        withdrawn: 'we confirm the withdrawal of your application for naturalisation.',
      }[r.outcome];
      return { subject: `Decision on your naturalisation application ${p.reference}`, body: [greeting, '', text, `Fee: €${r.feeEuro}.`, ...close].join('\n') };
    }
    case 'appointment':
      return {
        subject: `Appointment to receive your naturalisation certificate ${p.reference}`,
        body: [
          greeting,
          '',
          `we invite you to receive your naturalisation certificate on ${r.at.slice(0, 10)} at ${r.at.slice(11, 16)}, ${r.place}.`,
          'Please bring your passport. Before the handover you make the solemn declaration.',
          ...close,
        ].join('\n'),
      };
  }
}

/** Renders a milestone letter: German first, then the applicant's language (English where no text exists yet). */
export function renderApplicantLetter(person: LetterPerson, request: ApplicantLetterRequest, language: string): Letter {
  const german = germanText(person, request);
  if (language === 'de') return { subject: german.subject, text: `${german.body}\n` };
  const second = englishText(person, request);
  return { subject: `${german.subject} / ${second.subject}`, text: `${german.body}\n\n---\n\n${second.body}\n` };
}

/** Notices to staff about a case (German only, no personal data beyond the reference). */
export type StaffNoticeRequest =
  | { kind: 'inaction_warning'; lawsuitPossibleFrom: string }
  | { kind: 'document_deadline_expired'; deadline: string }
  | { kind: 'inquiry_overdue'; inquiry: string; sentOn: string }
  | { kind: 'facts_changed'; overall: string; changed: { criterion: string; from: string | null; to: string }[] }
  | { kind: 'handoff_update'; status: string; reason?: string; outcome?: { kind: string; on: string } };

export function renderStaffNotice(facts: { reference: string; filedOn: string }, request: StaffNoticeRequest): Letter {
  switch (request.kind) {
    case 'inaction_warning':
      return renderInactionWarning({ ...facts, lawsuitPossibleFrom: request.lawsuitPossibleFrom });
    case 'document_deadline_expired':
      return {
        subject: `Frist abgelaufen: Unterlagen zu Antrag ${facts.reference}`,
        text: `Die Frist für die angeforderten Unterlagen zu Antrag ${facts.reference} ist am ${formatGermanDate(request.deadline)} abgelaufen.\nBitte Frist verlängern oder nach Aktenlage entscheiden.\n`,
      };
    case 'inquiry_overdue':
      return {
        subject: `Nachfassen: ${request.inquiry === 'regelanfrage' ? 'Regelanfrage' : 'Bundeszentralregisterauszug'} zu Antrag ${facts.reference}`,
        text: `Die Anfrage (${request.inquiry}) zu Antrag ${facts.reference} vom ${formatGermanDate(request.sentOn)} ist noch unbeantwortet. Bitte nachfassen.\n`,
      };
    case 'facts_changed':
      return {
        subject: `Geänderte Angaben im Register: Antrag ${facts.reference} neu geprüft`,
        text: [
          `Die Angaben der Person zu Antrag ${facts.reference} haben sich im Register geändert; die Einbürgerungsvoraussetzungen (§ 10 StAG) wurden neu geprüft.`,
          `Gesamtergebnis: ${request.overall}.`,
          request.changed.length ? 'Geänderte Kriterien:' : 'Kein Kriterium hat sich geändert.',
          ...request.changed.map((c) => `  - ${c.criterion}: ${c.from ?? '–'} → ${c.to}`),
          '',
        ].join('\n'),
      };
    case 'handoff_update':
      return {
        subject: `Fallmanagement: Rückmeldung zu Antrag ${facts.reference} (${request.status})`,
        text: [
          `Das kommunale Fallmanagement meldet zur Übergabe aus Antrag ${facts.reference}: ${request.status}.`,
          ...(request.reason ? [`Grund: ${request.reason}`] : []),
          ...(request.outcome ? [`Ergebnis: ${request.outcome.kind} am ${formatGermanDate(request.outcome.on)}`] : []),
          '',
        ].join('\n'),
      };
  }
}
