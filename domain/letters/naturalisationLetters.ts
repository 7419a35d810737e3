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
