import { Criterion } from '../criterion';
import type { EligibilityConfig } from '../eligibilityConfig';
import { NaturalisationFacts } from '../facts';
import { evaluateDeclaration } from './declaration';

/**
 * Commitment to Germany's historical responsibility, in particular the protection of Jewish
 * life, § 10 Abs. 1 Satz 1 Nr. 1a StAG: met when made, not_met when refused, unknown until
 * recorded; not applicable under 16 as configured (§ 10 Abs. 1 Satz 2 StAG, verify).
 */
export function evaluateHistoricalResponsibility(facts: NaturalisationFacts, age: number, config: EligibilityConfig): Criterion {
  return evaluateDeclaration('historical_responsibility', facts.declarations.historicalResponsibility, age, config);
}
