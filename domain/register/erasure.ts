import type { LocalizedText } from '../naturalisation/criterion';

/**
 * When a person's data may be erased (Art. 17 DSGVO), and why not: a pure rule over the cases
 * that reference the person. `asOf` is the day of the request; the rule never reads the clock.
 */

/** A case that references the person, as far as erasure depends on it. */
export interface ErasureCase {
  readonly caseId: string;
  readonly caseType: string;
  /** The case's procedure has ended (closed, decided, completed, cancelled). */
  readonly finished: boolean;
  /** A naturalisation that was approved: evidence of the German nationality acquired. */
  readonly naturalisationApproved: boolean;
  /** The last day the authority's retention period keeps the closed case (null: not closed). */
  readonly retainedUntil: string | null;
}

export type ErasureObstacleCode = 'open_case' | 'naturalisation_evidence' | 'retention_running';

export interface ErasureObstacle {
  readonly code: ErasureObstacleCode;
  readonly caseId: string;
  readonly reason: LocalizedText;
  readonly basis: string;
}

/**
 * The reasons why the person's data must be kept; none: it may be erased.
 * - An open case needs the data for the authority's task — Art. 17 Abs. 3 Buchst. b DSGVO.
 * - An approved naturalisation is the evidence of the nationality acquired (§ 16 StAG), kept for
 *   as long as the nationality exists — Art. 17 Abs. 3 Buchst. b DSGVO.
 * - A closed case within its retention period (the authority's records schedule) — Art. 17 Abs. 3 Buchst. b DSGVO.
 */
export function determineErasureObstacles(cases: readonly ErasureCase[], asOf: string): ErasureObstacle[] {
  const basis = 'Art. 17 Abs. 3 Buchst. b DSGVO';
  return cases.flatMap((c): ErasureObstacle[] => {
    if (!c.finished) {
      return [{
        code: 'open_case', caseId: c.caseId, basis,
        reason: { de: `Das Verfahren (${c.caseType}) ist nicht abgeschlossen.`, en: `The ${c.caseType} case is still open.` },
      }];
    }
    if (c.naturalisationApproved) {
      return [{
        code: 'naturalisation_evidence', caseId: c.caseId, basis,
        reason: {
          de: 'Die Einbürgerung wurde bewilligt: die Akte ist Nachweis der erworbenen Staatsangehörigkeit (§ 16 StAG).',
          en: 'The naturalisation was approved: the file is evidence of the nationality acquired (§ 16 StAG).',
        },
      }];
    }
    if (c.retainedUntil !== null && asOf <= c.retainedUntil) {
      return [{
        code: 'retention_running', caseId: c.caseId, basis,
        reason: { de: `Die Aufbewahrungsfrist läuft bis ${c.retainedUntil}.`, en: `The retention period runs until ${c.retainedUntil}.` },
      }];
    }
    return [];
  });
}
