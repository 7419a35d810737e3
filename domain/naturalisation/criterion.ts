/**
 * The result of one legal criterion: data, not an exception. Every rule in this folder returns
 * `Criterion` values so that an evaluation can be stored, shown to staff and applicants in German
 * and English, and traced back to its paragraph.
 */

/**
 * - `met`: the criterion is fulfilled on the facts given.
 * - `not_met`: the facts given exclude it.
 * - `unknown`: evidence is missing (or the decision is suspended by law); the reason says which.
 * - `discretion`: the statute leaves it to a case-by-case decision of the authority.
 */
export type CriterionStatus = 'met' | 'not_met' | 'unknown' | 'discretion';

export interface LocalizedText {
  readonly de: string;
  readonly en: string;
}

export type CriterionId =
  | 'identity_and_nationality'
  | 'capacity_to_act'
  | 'residence_period'
  | 'declaration_basic_order'
  | 'historical_responsibility'
  | 'residence_title'
  | 'livelihood'
  | 'convictions'
  | 'german_language'
  | 'civic_knowledge'
  | 'no_multiple_marriage'
  | 'gender_equality'
  | 'exclusion_grounds'
  // Co-naturalisation (§ 10 Abs. 2 StAG)
  | 'principal_applicant'
  | 'joint_application'
  | 'marriage_duration'
  | 'marital_community'
  | 'minor_child';

export interface Criterion {
  readonly id: CriterionId;
  readonly status: CriterionStatus;
  readonly reason: LocalizedText;
  /** The provision applied, in the fixed format `§ 10 Abs. 1 Satz 1 Nr. 3 StAG`. */
  readonly basis: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Builds a criterion; `details` is omitted when not given. */
export function makeCriterion(
  id: CriterionId,
  status: CriterionStatus,
  basis: string,
  de: string,
  en: string,
  details?: Readonly<Record<string, unknown>>,
): Criterion {
  return details === undefined ? { id, status, reason: { de, en }, basis } : { id, status, reason: { de, en }, basis, details };
}

// Ranking used where the law asks for "the more favourable" outcome (§ 40a StAG) or where
// several alternatives each suffice: met beats discretion (a positive decision is possible),
// discretion beats unknown (nothing more is needed from the applicant), unknown beats not_met
// (the missing evidence could still make it met).
const FAVOURABILITY: Readonly<Record<CriterionStatus, number>> = { met: 3, discretion: 2, unknown: 1, not_met: 0 };

/** True if `a` is strictly more favourable to the applicant than `b`. */
export function isMoreFavourable(a: CriterionStatus, b: CriterionStatus): boolean {
  return FAVOURABILITY[a] > FAVOURABILITY[b];
}

/** The most favourable status among `statuses` (`not_met` for an empty list). */
export function determineMostFavourableStatus(statuses: readonly CriterionStatus[]): CriterionStatus {
  let best: CriterionStatus = 'not_met';
  for (const status of statuses) {
    if (isMoreFavourable(status, best)) {
      best = status;
    }
  }
  return best;
}
