import { compareLocalDates, LocalDate } from '../calendar/localDate';
import type { CriterionStatus, LocalizedText } from '../naturalisation/criterion';

/**
 * The result of one residence-law criterion: data, not an exception, as in the naturalisation
 * rules — a status (`met | not_met | unknown | discretion`), a reason in German and English, the
 * provision in the fixed format (`§ 25b Abs. 1 Satz 2 Nr. 1 AufenthG`) and, for criteria that
 * depend on time, the date on which the criterion is or will be met.
 */

export type { CriterionStatus, LocalizedText } from '../naturalisation/criterion';

export type ResidenceCriterionId =
  // § 25a AufenthG
  | 'toleration_or_opportunity_permit'
  | 'preceding_residence'
  | 'schooling'
  | 'minimum_age'
  | 'application_before_27'
  | 'integration_prognosis'
  | 'democratic_order'
  | 'livelihood'
  | 'passport'
  | 'identity_deception'
  // § 25b AufenthG
  | 'basic_order_and_knowledge'
  | 'oral_german'
  | 'children_school_attendance'
  | 'obstruction'
  | 'expulsion_interest'
  // § 60c AufenthG, § 60d AufenthG
  | 'entry_date'
  | 'identity_clarified'
  | 'duldung_period'
  | 'employment'
  | 'convictions'
  | 'qualified_training'
  // § 81 Abs. 4 AufenthG
  | 'permit_continuation';

export interface ResidenceCriterion {
  readonly id: ResidenceCriterionId;
  readonly status: CriterionStatus;
  readonly reason: LocalizedText;
  /** The provision applied, in the fixed format `§ 25b Abs. 1 Satz 2 Nr. 1 AufenthG`. */
  readonly basis: string;
  /**
   * Time criteria only: the date from which the criterion is met — in the past or `asOf` when
   * met, later when it will be met if the current status continues; null when it cannot be
   * reached under the current status. Absent for criteria that do not depend on time.
   */
  readonly becomesMetOn?: LocalDate | null;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Builds a criterion; `becomesMetOn` and `details` are omitted when not given. */
export function makeResidenceCriterion(
  id: ResidenceCriterionId,
  status: CriterionStatus,
  basis: string,
  reason: LocalizedText,
  extra: { readonly becomesMetOn?: LocalDate | null; readonly details?: Readonly<Record<string, unknown>> } = {},
): ResidenceCriterion {
  return {
    id,
    status,
    reason,
    basis,
    ...(extra.becomesMetOn === undefined ? {} : { becomesMetOn: extra.becomesMetOn }),
    ...(extra.details === undefined ? {} : { details: extra.details }),
  };
}

/** A yes/no fact as a status: yes → met, no → not_met, unknown → unknown. */
export function toStatus(value: 'yes' | 'no' | 'unknown'): CriterionStatus {
  return value === 'yes' ? 'met' : value === 'no' ? 'not_met' : 'unknown';
}

/**
 * Combines criteria into the overall status: any `not_met` → `not_met`; else any `unknown` →
 * `unknown`; else any `discretion` → `discretion`; else `met`. So an unknown fact can never
 * make the overall result `met`.
 */
export function determineOverallStatus(criteria: readonly ResidenceCriterion[]): CriterionStatus {
  const has = (status: CriterionStatus): boolean => criteria.some((criterion) => criterion.status === status);
  if (has('not_met')) {
    return 'not_met';
  }
  if (has('unknown')) {
    return 'unknown';
  }
  return has('discretion') ? 'discretion' : 'met';
}

/**
 * The first date on which every time criterion is met, if the current status continues: the
 * latest `becomesMetOn` of the time criteria; null if one cannot be reached, or if the date lies
 * after `eligibleUntil`. Only the time criteria decide it: `overall` says whether the others hold.
 */
export function determineEligibleFrom(criteria: readonly ResidenceCriterion[], eligibleUntil: LocalDate | null): LocalDate | null {
  let latest: LocalDate | null = null;
  for (const criterion of criteria) {
    if (criterion.becomesMetOn === undefined) {
      continue;
    }
    if (criterion.becomesMetOn === null) {
      return null;
    }
    if (latest === null || compareLocalDates(criterion.becomesMetOn, latest) > 0) {
      latest = criterion.becomesMetOn;
    }
  }
  if (latest !== null && eligibleUntil !== null && compareLocalDates(latest, eligibleUntil) > 0) {
    return null;
  }
  return latest;
}

/** The evaluation of one residence title (§ 25a AufenthG, § 25b AufenthG, § 60d AufenthG …) on `asOf`. */
export interface ResidenceEvaluation {
  /** The rules the evaluation was made with (`RESIDENCE_RULE_SET_VERSION`). */
  readonly ruleSetVersion: string;
  /** The provision evaluated, e.g. `'§ 25a AufenthG'`. */
  readonly rule: string;
  readonly asOf: LocalDate;
  readonly criteria: readonly ResidenceCriterion[];
  readonly overall: CriterionStatus;
  /** See `determineEligibleFrom`: when every time criterion is (or will be) met; null if never under the current status. */
  readonly eligibleFrom: LocalDate | null;
  /** The last day on which the person is eligible (for § 25a AufenthG the day before the 27th birthday); null: no end. */
  readonly eligibleUntil: LocalDate | null;
}
