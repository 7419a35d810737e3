import { Criterion, makeCriterion } from '../criterion';
import type { EligibilityConfig } from '../eligibilityConfig';
import { NaturalisationFacts } from '../facts';
import { determineAbsenceStatus } from './triState';

/**
 * Not married to several spouses at the same time, § 11 Satz 1 Nr. 3 Buchst. a StAG (an
 * exclusion ground since 27 June 2024; before, part of § 10 Abs. 1 Satz 1 Nr. 7 StAG a.F.).
 */
// Legal choice (configuration): the citation is `eligibilityConfig.marriageAndEquality`. (verify numbering)
export function evaluateMultipleMarriage(facts: NaturalisationFacts, config: EligibilityConfig): Criterion {
  const status = determineAbsenceStatus(facts.conduct.multipleMarriage);
  const [de, en] = {
    met: ['Nicht gleichzeitig mit mehreren Ehegatten verheiratet.', 'Not married to several spouses at the same time.'],
    not_met: ['Gleichzeitig mit mehreren Ehegatten verheiratet.', 'Married to several spouses at the same time.'],
    unknown: ['Familienstand (Mehrehe) nicht geklärt.', 'Marital status (multiple marriage) not established.'],
    discretion: ['Familienstand (Mehrehe) nicht geklärt.', 'Marital status (multiple marriage) not established.'],
  }[status];
  return makeCriterion('no_multiple_marriage', status, config.marriageAndEquality.multipleMarriageBasis, de, en);
}
