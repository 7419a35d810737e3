import type { Letter } from './naturalisationLetters';
import { formatGermanDate } from './naturalisationLetters';

export interface TeamDigestFacts {
  authorityId: string;
  team: string;
  day: string;
  openCases: number;
  byStage: Record<string, number>;
  lawsuitPossible: string[];
  overdue: string[];
  dueWithinWeek: string[];
  waitingForApplicant: number;
  waitingForOtherAgency: number;
  suspended: number;
  /** The five oldest open applications, "reference (filing date)". */
  oldest: string[];
}

const stageNames: Record<string, string> = {
  received: 'Eingang',
  completeness_check: 'Vollständigkeitsprüfung',
  waiting_for_documents: 'Unterlagen angefordert',
  inquiries: 'Anfragen an andere Behörden',
  decision: 'Entscheidung',
  certificate: 'Urkunde',
  in_progress: 'In Bearbeitung',
};

/** At most this many references per list; the work queue has the rest. */
const listLimit = 25;

function list(references: string[]): string {
  if (references.length === 0) return '  – keine';
  const shown = references.slice(0, listLimit).map((r) => `  - ${r}`);
  if (references.length > listLimit) shown.push(`  … und ${references.length - listLimit} weitere (siehe Arbeitsliste)`);
  return shown.join('\n');
}

/**
 * The daily digest of a team's open naturalisation cases, German (a staff notice): references
 * only, no personal data. The § 75 Satz 2 VwGO cases come first.
 */
export function renderTeamDigest(f: TeamDigestFacts): Letter {
  const stages = Object.entries(f.byStage)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([stage, n]) => `  ${stageNames[stage] ?? stage}: ${n}`)
    .join('\n');
  return {
    subject: `Tagesübersicht ${formatGermanDate(f.day)}: ${f.authorityId}/${f.team} – ${f.openCases} offen, ${f.lawsuitPossible.length} klagefähig`,
    text: [
      `Offene Einbürgerungsanträge: ${f.openCases}`,
      stages,
      '',
      `Untätigkeitsklage möglich (§ 75 Satz 2 VwGO): ${f.lawsuitPossible.length}`,
      list(f.lawsuitPossible),
      '',
      `Überfällig: ${f.overdue.length}`,
      list(f.overdue),
      '',
      `In den nächsten 7 Tagen fällig: ${f.dueWithinWeek.length}`,
      list(f.dueWithinWeek),
      '',
      'Älteste offene Anträge:',
      list(f.oldest),
      '',
      `Warten auf Antragstellende: ${f.waitingForApplicant} · auf andere Behörden: ${f.waitingForOtherAgency} · ruhend: ${f.suspended}`,
      '',
    ].join('\n'),
  };
}
