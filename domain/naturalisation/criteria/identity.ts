import { Criterion, makeCriterion } from '../criterion';
import { NaturalisationFacts } from '../facts';

/**
 * Identity and nationality clarified, § 10 Abs. 1 Satz 1 StAG ("dessen Identität und
 * Staatsangehörigkeit geklärt sind"): met when both are, not_met when either is not, else unknown.
 */
export function evaluateIdentity(facts: NaturalisationFacts): Criterion {
  const basis = '§ 10 Abs. 1 Satz 1 StAG';
  const details = { identityClarified: facts.identityClarified, nationalityClarified: facts.nationalityClarified, nationalities: facts.nationalities };
  if (facts.identityClarified === 'no' || facts.nationalityClarified === 'no') {
    return makeCriterion(
      'identity_and_nationality',
      'not_met',
      basis,
      'Identität oder Staatsangehörigkeit ist nicht geklärt.',
      'Identity or nationality is not clarified.',
      details,
    );
  }
  if (facts.identityClarified === 'yes' && facts.nationalityClarified === 'yes') {
    return makeCriterion('identity_and_nationality', 'met', basis, 'Identität und Staatsangehörigkeit sind geklärt.', 'Identity and nationality are clarified.', details);
  }
  return makeCriterion(
    'identity_and_nationality',
    'unknown',
    basis,
    'Klärung von Identität und Staatsangehörigkeit ist noch nicht festgestellt.',
    'Clarification of identity and nationality has not been established yet.',
    details,
  );
}
