import { Criterion, makeCriterion } from '../criterion';
import type { EligibilityConfig } from '../eligibilityConfig';
import { NaturalisationFacts } from '../facts';
import { determineAbsenceStatus } from './triState';

/**
 * No conduct disregarding the equality of women and men laid down in the Basic Law,
 * § 11 Satz 1 Nr. 3 Buchst. b StAG (since 27 June 2024).
 */
// Legal choice (configuration): the citation is `eligibilityConfig.marriageAndEquality`. (verify numbering)
export function evaluateGenderEquality(facts: NaturalisationFacts, config: EligibilityConfig): Criterion {
  const status = determineAbsenceStatus(facts.conduct.disregardsGenderEquality);
  const [de, en] = {
    met: ['Kein Verhalten, das die Gleichberechtigung von Mann und Frau missachtet.', 'No conduct disregarding the equality of women and men.'],
    not_met: ['Verhalten missachtet die Gleichberechtigung von Mann und Frau.', 'Conduct disregards the equality of women and men.'],
    unknown: ['Nicht geklärt, ob Verhalten die Gleichberechtigung missachtet.', 'Not established whether conduct disregards equality.'],
    discretion: ['Nicht geklärt, ob Verhalten die Gleichberechtigung missachtet.', 'Not established whether conduct disregards equality.'],
  }[status];
  return makeCriterion('gender_equality', status, config.marriageAndEquality.equalityBasis, de, en);
}
