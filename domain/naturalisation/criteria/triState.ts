import type { CriterionStatus } from '../criterion';
import type { TriState } from '../facts';

/**
 * The status of a criterion that is exactly a yes/no/unknown fact: yes → met, no → not_met,
 * unknown → unknown. No legal rule of its own: the criteria that use it cite theirs.
 */
export function determineTriStateStatus(value: TriState): CriterionStatus {
  return value === 'yes' ? 'met' : value === 'no' ? 'not_met' : 'unknown';
}

/** The same for a fact that must be absent (a "no" meets the criterion). */
export function determineAbsenceStatus(value: TriState): CriterionStatus {
  return value === 'no' ? 'met' : value === 'yes' ? 'not_met' : 'unknown';
}
