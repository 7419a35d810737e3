import type { Pool, PoolClient } from 'pg';
import { loadHandoffSettings } from '../../api/handoff/settings';
import { createHandoffQueries } from '../../db/queries/handoffs';
import { findCaseAuthorityAndTeamById } from '../../db/queries/staffMailboxes';
import type { LetterComposer, LetterContext, MessageRequest } from '../../processes/contract';

interface HandoffLetterData {
  reference: string;
  needs: string[];
  urgency: string;
  relevantDeadline: string | null;
  name: string | null;
  email: string | null;
  phone: string | null;
  language: string | null;
}

const needNames: Record<string, string> = {
  language: 'Sprache',
  employment: 'Arbeit',
  schooling: 'Schule/Ausbildung',
  housing: 'Wohnen',
  health: 'Gesundheit',
  family: 'Familie',
  documents: 'Dokumente',
};
const formatDate = (iso: unknown) => (typeof iso === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}` : '—');

/**
 * Renders a handoff's messages (German, staff only): to case management the minimal data and the
 * answer's deadline; to the KIM coordinator and the sender only the reference, the need and the
 * status — never the residence file, and after a withdrawal no personal data at all.
 */
export function renderHandoffLetter(data: HandoffLetterData, request: MessageRequest): { subject: string; text: string } {
  const letter = request.letter as Record<string, unknown> & { kind: string };
  const needs = data.needs.map((need) => needNames[need] ?? need).join(', ');
  const head = `Übergabe ${data.reference} (Bedarf: ${needs}${data.urgency === 'urgent' ? ', dringend' : ''})`;
  switch (letter.kind) {
    case 'handoff_notice':
      return {
        subject: `Neue Übergabe an das Case Management: ${data.reference}`,
        text: [
          `${head}`,
          '',
          `Name: ${data.name ?? '—'}`,
          `Kontakt: ${[data.email, data.phone].filter(Boolean).join(', ') || '—'}`,
          `Sprache: ${data.language ?? '—'}`,
          `Frist im Ausgangsverfahren: ${formatDate(data.relevantDeadline)}`,
          '',
          `Bitte nehmen Sie die Übergabe bis zum ${formatDate(letter.acceptBy)} an oder lehnen Sie sie mit Begründung ab.`,
          'Die Einwilligung der Person liegt vor. Die Ausländerakte wird nicht übermittelt.',
        ].join('\n'),
      };
    case 'reminder':
      return {
        subject: `Erinnerung: Übergabe ${data.reference} unbeantwortet`,
        text: `${head}\n\nDie Frist zur Annahme endete am ${formatDate(letter.acceptBy)}. Ohne Antwort bis zum ${formatDate(letter.escalateBy)} wird die KIM-Koordination informiert.`,
      };
    case 'escalation':
      return {
        subject: `Eskalation: Übergabe ${data.reference} nicht angenommen`,
        text: `${head}\n\nDas Case Management hat die Übergabe bis zum ${formatDate(letter.acceptBy)} weder angenommen noch abgelehnt. Ohne Antwort bis zum ${formatDate(letter.expireBy)} geht sie an die absendende Stelle zurück.`,
      };
    case 'expired':
      return { subject: `Übergabe ${data.reference} abgelaufen`, text: `${head}\n\nDie Übergabe wurde nicht angenommen und ist an die absendende Stelle zurückgegangen.` };
    case 'accepted':
      return { subject: `Übergabe ${data.reference} angenommen`, text: `${head}\n\nDas Case Management hat die Übergabe angenommen.` };
    case 'returned':
      return {
        subject: `Übergabe ${data.reference} zurück: ${letter.closing === 'declined' ? 'abgelehnt' : 'nicht angenommen'}`,
        text: `${head}\n\nDas Case Management hat die Übergabe ${letter.closing === 'declined' ? 'abgelehnt' : 'nicht fristgerecht angenommen'}.\nGrund: ${String(letter.reason ?? '—')}`,
      };
    case 'outcome':
      return { subject: `Übergabe ${data.reference}: Ergebnis gemeldet`, text: `${head}\n\nDas Case Management meldet: ${String(letter.outcome)} am ${formatDate(letter.on)}. Der Fall wird neu bewertet.` };
    case 'closed':
      return { subject: `Übergabe ${data.reference} abgeschlossen`, text: `${head}\n\nDas Case Management hat die Begleitung abgeschlossen.` };
    case 'consent_withdrawn':
      return {
        subject: `Übergabe ${data.reference} beendet: Einwilligung widerrufen`,
        text: `Übergabe ${data.reference}\n\nDie Person hat ihre Einwilligung widerrufen (Art. 7 Abs. 3 DSGVO). Die Übergabe ist beendet; es werden keine Daten mehr übermittelt.`,
      };
    default:
      throw new Error(`unknown handoff letter ${letter.kind}`);
  }
}

/**
 * The letters of a handoff. Case management and the coordinator are teams of the authority in the
 * staff directory; the configured mailboxes (`CASE_MANAGEMENT_MAILBOX[ES]`, `KIM_COORDINATOR_MAILBOX`)
 * are their fallback. Notices to the sender go to the team of the case the handoff came from.
 */
export const handoffLetters: LetterComposer = {
  async load(db: Pool | PoolClient, caseId: string): Promise<LetterContext | undefined> {
    const handoff = await createHandoffQueries(db).findHandoffById(caseId);
    if (!handoff) return undefined;
    const settings = loadHandoffSettings();
    const origin = handoff.origin ? await findCaseAuthorityAndTeamById(db, handoff.origin.caseId) : undefined;
    const data: HandoffLetterData = {
      reference: handoff.reference,
      needs: handoff.needs,
      urgency: handoff.urgency,
      relevantDeadline: handoff.relevantDeadline,
      name: handoff.givenNames || handoff.familyName ? `${handoff.givenNames ?? ''} ${handoff.familyName ?? ''}`.trim() : null,
      email: handoff.contact?.email ?? null,
      phone: handoff.contact?.phone ?? null,
      language: handoff.language,
    };
    return {
      email: null,
      language: 'de',
      data: { ...data },
      mailboxes: { case_management: [settings.caseManagementMailbox(handoff.authorityId)], kim_coordinator: [settings.kimCoordinatorMailbox] },
      authorityId: handoff.authorityId,
      staffTeam: origin?.team ?? 'default',
    };
  },
  render(context, request) {
    return renderHandoffLetter(context.data as unknown as HandoffLetterData, request);
  },
};
