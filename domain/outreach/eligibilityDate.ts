import type { LocalDate } from '../calendar/localDate';
import { addDays } from '../calendar/localDate';
import type { Criterion, CriterionId } from '../naturalisation/criterion';
import type { EligibilityResult } from '../naturalisation/eligibility';
import { determineEarliestResidenceDate, determineRequiredResidenceYears } from '../naturalisation/residencePeriod';
import type { ResidencePeriodFact } from '../residenceHistory/statuses';
import type { ResidencePeriodData } from '../register/residencePeriods';

/** A register period as the outreach date needs it (the register's period without provenance). */
export type OutreachPeriod = Pick<ResidencePeriodData, 'status' | 'from' | 'to' | 'permitBasis' | 'protectionGrantedLater'>;

/**
 * The residence history the § 10 Abs. 1 Satz 1 StAG period is counted over, as of `asOf`: the
 * register's periods that began on or before `asOf`, ordered; stays abroad (`absence`) are left
 * out, so the rules read them as gaps (as `deriveNaturalisationFacts` does).
 */
export function listOutreachHistory(periods: readonly OutreachPeriod[], asOf: LocalDate): ResidencePeriodFact[] {
  const history: ResidencePeriodFact[] = [];
  for (const period of periods) {
    if (period.status === 'absence' || period.from > asOf) continue;
    const fact: { -readonly [K in keyof ResidencePeriodFact]: ResidencePeriodFact[K] } = { from: period.from, status: period.status };
    if (period.to !== null) fact.to = period.to;
    if (period.permitBasis !== null) fact.permitBasis = period.permitBasis;
    if (period.protectionGrantedLater !== null) fact.protectionGrantedLater = period.protectionGrantedLater;
    history.push(fact);
  }
  return history.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
}

/**
 * The day on which a person meets the residence period of § 10 Abs. 1 Satz 1 StAG (with
 * § 12b StAG), computed from the register as of `asOf`: in the past or `asOf` when already met,
 * later when the status held on `asOf` counts and continues; null when it cannot be reached under
 * the current status (Duldung, Gestattung without protection, no status) — outreach then waits for
 * the history to change.
 * @returns a `LocalDate` or null
 */
export function determineOutreachDate(periods: readonly OutreachPeriod[], asOf: LocalDate): LocalDate | null {
  const history = listOutreachHistory(periods, asOf);
  if (history.length === 0) return null;
  return determineEarliestResidenceDate(history, determineRequiredResidenceYears(asOf), asOf);
}

/**
 * Whether an eligibility message is due on `day` for a date computed earlier: the date has come,
 * and it is at most `catchUpDays` old (older dates — persons who met the period long before the
 * register knew them — are left to a campaign, so that the first run does not write to everyone).
 */
export function isEligibilityMessageDue(residenceMetOn: LocalDate | null, day: LocalDate, catchUpDays: number): boolean {
  return residenceMetOn !== null && residenceMetOn <= day && residenceMetOn >= addDays(day, -catchUpDays);
}

/** The criteria an information message names: what a person still needs besides the period. */
export const outreachCriteria: readonly CriterionId[] = ['residence_period', 'german_language', 'civic_knowledge', 'livelihood'];

export type OutreachRequirementStatus = 'met' | 'needed' | 'to_check';

export interface OutreachRequirement {
  id: CriterionId;
  status: OutreachRequirementStatus;
  basis: string;
}

/**
 * What the person already meets and what they still need, for the message: residence period
 * (§ 10 Abs. 1 Satz 1 StAG), German at B1 (§ 10 Abs. 1 Satz 1 Nr. 6 StAG), the naturalisation
 * test (§ 10 Abs. 1 Satz 1 Nr. 7 StAG), livelihood (§ 10 Abs. 1 Satz 1 Nr. 3 StAG). `unknown`
 * and `discretion` become `to_check`: the message never promises what the register does not show.
 */
export function listOutreachRequirements(result: Pick<EligibilityResult, 'criteria'>): OutreachRequirement[] {
  return outreachCriteria.flatMap((id) => {
    const criterion: Criterion | undefined = result.criteria.find((c) => c.id === id);
    if (!criterion) return [];
    const status: OutreachRequirementStatus = criterion.status === 'met' ? 'met' : criterion.status === 'not_met' ? 'needed' : 'to_check';
    return [{ id, status, basis: criterion.basis }];
  });
}
