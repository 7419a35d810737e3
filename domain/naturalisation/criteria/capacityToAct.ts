import { Criterion, makeCriterion } from '../criterion';
import { NaturalisationFacts } from '../facts';
import type { EligibilityConfig } from '../eligibilityConfig';

/**
 * Capacity to act, § 37 Abs. 1 Satz 1 StAG (from 16, unless legally incapable) — or legal
 * representation, which also meets it.
 */
// Legal choice (configuration): capacity from 16 under § 37 Abs. 1 Satz 1 StAG; domain.md cites
// "§ 37 with § 34", verify the cross-reference.
export function evaluateCapacityToAct(facts: NaturalisationFacts, age: number, config: EligibilityConfig): Criterion {
  const { basis, minimumAge } = config.capacity;
  const { incapacitated, legallyRepresented } = facts.capacity;
  const details = { age, minimumAge, incapacitated, legallyRepresented };
  if (legallyRepresented === 'yes') {
    return makeCriterion('capacity_to_act', 'met', basis, 'Gesetzlich vertreten.', 'Legally represented.', details);
  }
  if (age >= minimumAge && incapacitated === 'no') {
    return makeCriterion('capacity_to_act', 'met', basis, `Handlungsfähig (ab ${minimumAge} Jahren).`, `Capable of acting (from age ${minimumAge}).`, details);
  }
  const needsRepresentation = age < minimumAge || incapacitated === 'yes';
  if (needsRepresentation && legallyRepresented === 'no') {
    return makeCriterion(
      'capacity_to_act',
      'not_met',
      basis,
      age < minimumAge ? `Unter ${minimumAge} Jahren und nicht gesetzlich vertreten.` : 'Nicht handlungsfähig und nicht gesetzlich vertreten.',
      age < minimumAge ? `Under ${minimumAge} and not legally represented.` : 'Not capable of acting and not legally represented.',
      details,
    );
  }
  return makeCriterion(
    'capacity_to_act',
    'unknown',
    basis,
    'Handlungsfähigkeit oder gesetzliche Vertretung ist nicht festgestellt.',
    'Capacity to act or legal representation has not been established.',
    details,
  );
}
