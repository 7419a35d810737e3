import { Criterion } from '../criterion';
import type { EligibilityConfig } from '../eligibilityConfig';
import { NaturalisationFacts } from '../facts';
import { evaluateDeclaration } from './declaration';

/**
 * Commitment to the free democratic basic order and the loyalty declaration,
 * § 10 Abs. 1 Satz 1 Nr. 1 StAG: met when made, not_met when refused, unknown until recorded;
 * not applicable under 16 (§ 10 Abs. 1 Satz 2 StAG).
 */
export function evaluateBasicOrderDeclaration(facts: NaturalisationFacts, age: number, config: EligibilityConfig): Criterion {
  return evaluateDeclaration('declaration_basic_order', facts.declarations.basicOrderAndLoyalty, age, config);
}
