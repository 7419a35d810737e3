import { formatGermanDate } from '../letters/naturalisationLetters';
import type { NaturalisationStage, WaitingFor } from './stages';

/**
 * What an applicant sees of their case (the status lookup without login): the stage, what is
 * awaited from them, and the next expected step — in German and English. No rule of law; plain
 * language for the applicant, from the projection alone.
 */
export interface ApplicantStatus {
  stage: { de: string; en: string };
  awaitedFromYou: { de: string; en: string } | null;
  nextStep: { de: string; en: string };
}

const stageTexts: Record<NaturalisationStage, { de: string; en: string }> = {
  received: { de: 'Antrag eingegangen', en: 'Application received' },
  in_progress: { de: 'In Bearbeitung', en: 'Being processed' },
  completeness_check: { de: 'Prüfung der Unterlagen', en: 'Checking your documents' },
  waiting_for_documents: { de: 'Unterlagen angefordert', en: 'Documents requested' },
  inquiries: { de: 'Anfragen an andere Behörden', en: 'Inquiries to other agencies' },
  decision: { de: 'Entscheidung wird vorbereitet', en: 'Decision being prepared' },
  certificate: { de: 'Einbürgerungsurkunde', en: 'Naturalisation certificate' },
  decided: { de: 'Entschieden', en: 'Decided' },
  closed: { de: 'Abgeschlossen', en: 'Closed' },
};

export function describeStatusForApplicant(projection: {
  stage: NaturalisationStage;
  waitingFor: WaitingFor;
  suspended: boolean;
  deadlines: Record<string, string | undefined>;
  decision: { outcome?: string } | null;
}): ApplicantStatus {
  const stage = stageTexts[projection.stage] ?? stageTexts.in_progress;
  const deadline = projection.deadlines.documentsDueOn;
  const awaitedFromYou =
    projection.waitingFor === 'applicant'
      ? {
          de: `Bitte reichen Sie die angeforderten Unterlagen ein${deadline ? ` (bis ${formatGermanDate(deadline)})` : ''}. Die Liste steht in unserem Schreiben.`,
          en: `Please send the documents we requested${deadline ? ` (by ${deadline})` : ''}. The list is in our letter.`,
        }
      : null;
  let nextStep: { de: string; en: string };
  if (projection.suspended) {
    nextStep = { de: 'Das Verfahren ruht derzeit. Wir melden uns, sobald es weitergeht.', en: 'The procedure is on hold. We will contact you when it continues.' };
  } else {
    switch (projection.stage) {
      case 'received':
      case 'completeness_check':
      case 'in_progress':
        nextStep = { de: 'Wir prüfen Ihre Unterlagen auf Vollständigkeit.', en: 'We are checking whether your documents are complete.' };
        break;
      case 'waiting_for_documents':
        nextStep = { de: 'Nach Eingang der Unterlagen prüfen wir sie.', en: 'Once your documents arrive, we will check them.' };
        break;
      case 'inquiries':
        nextStep = {
          de: 'Wir warten auf Antworten anderer Behörden (Sicherheitsanfrage, Bundeszentralregister). Das dauert meist einige Wochen.',
          en: 'We are waiting for answers from other agencies (security inquiry, federal register). This usually takes a few weeks.',
        };
        break;
      case 'decision':
        nextStep = { de: 'Wir bereiten die Entscheidung vor.', en: 'We are preparing the decision.' };
        break;
      case 'certificate':
        nextStep = {
          de: 'Wir laden Sie zur Aushändigung der Einbürgerungsurkunde ein; mit der Aushändigung werden Sie deutsche Staatsangehörige oder deutscher Staatsangehöriger.',
          en: 'We will invite you to receive your naturalisation certificate; you become a German citizen when it is handed to you.',
        };
        break;
      default:
        nextStep = { de: 'Das Verfahren ist abgeschlossen.', en: 'The procedure is complete.' };
    }
  }
  return { stage, awaitedFromYou, nextStep };
}
