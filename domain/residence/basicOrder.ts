import { makeResidenceCriterion, ResidenceCriterion } from './criterion';
import { CivicKnowledgeFacts, TriState } from './facts';

/**
 * The free democratic basic order and public security:
 * - § 25a Abs. 1 Satz 1 Nr. 5 AufenthG: no concrete indications that the person does not support
 *   the free democratic basic order;
 * - § 25b Abs. 1 Satz 2 Nr. 2 AufenthG: commitment to the free democratic basic order (declared,
 *   with no indications against it) and basic knowledge of the legal and social order and living
 *   conditions (orientation course or "Leben in Deutschland" test);
 * - § 25b Abs. 2 Nr. 2 AufenthG: refused on a serious expulsion interest.
 */

// Legal choices made as configuration (`expulsionInterestConfig`): the wording of § 25b Abs. 2
// Nr. 2 AufenthG (which expulsion interests of § 54 AufenthG) is marked (verify) in domain.md;
// the rule reads the authority's assessment, and the reference is configuration.

export interface ExpulsionInterestConfig {
  readonly basis: string;
  readonly note: string;
}

export const expulsionInterestConfig: ExpulsionInterestConfig = Object.freeze({
  basis: '§ 25b Abs. 2 Nr. 2 AufenthG',
  note:
    'Refused where an expulsion interest within § 54 Abs. 1 AufenthG or § 54 Abs. 2 Nr. 1 and Nr. 2 AufenthG exists ' +
    '(believed to be the current wording; verify). The assessment is the authority’s.',
});

/** § 25a Abs. 1 Satz 1 Nr. 5 AufenthG. */
export function evaluateNoIndicationsAgainstBasicOrder(indications: TriState): ResidenceCriterion {
  const basis = '§ 25a Abs. 1 Satz 1 Nr. 5 AufenthG';
  if (indications === 'yes') {
    return makeResidenceCriterion('democratic_order', 'not_met', basis, {
      de: 'Es bestehen konkrete Anhaltspunkte gegen ein Bekenntnis zur freiheitlichen demokratischen Grundordnung.',
      en: 'There are concrete indications against support for the free democratic basic order.',
    });
  }
  return makeResidenceCriterion(
    'democratic_order',
    indications === 'no' ? 'met' : 'unknown',
    basis,
    indications === 'no'
      ? { de: 'Keine Anhaltspunkte gegen die freiheitliche demokratische Grundordnung.', en: 'No indications against the free democratic basic order.' }
      : { de: 'Ob Anhaltspunkte bestehen, ist nicht festgestellt.', en: 'Whether there are indications is not established.' },
  );
}

/** § 25b Abs. 1 Satz 2 Nr. 2 AufenthG. */
export function evaluateBasicOrderAndKnowledge(declared: TriState, indications: TriState, knowledge: CivicKnowledgeFacts): ResidenceCriterion {
  const basis = '§ 25b Abs. 1 Satz 2 Nr. 2 AufenthG';
  const hasKnowledge: TriState =
    knowledge.orientationCourseCompleted === 'yes' || knowledge.testPassed === 'yes'
      ? 'yes'
      : knowledge.orientationCourseCompleted === 'no' && knowledge.testPassed === 'no'
        ? 'no'
        : 'unknown';
  const details = { declared, indications, knowledge: hasKnowledge };
  if (declared === 'no' || indications === 'yes' || hasKnowledge === 'no') {
    return makeResidenceCriterion('basic_order_and_knowledge', 'not_met', basis, {
      de: 'Bekenntnis zur freiheitlichen demokratischen Grundordnung oder Grundkenntnisse der Rechts- und Gesellschaftsordnung fehlen.',
      en: 'Commitment to the free democratic basic order or basic knowledge of the legal and social order is missing.',
    }, { details });
  }
  if (declared === 'yes' && indications === 'no' && hasKnowledge === 'yes') {
    return makeResidenceCriterion('basic_order_and_knowledge', 'met', basis, {
      de: 'Bekenntnis abgegeben, keine gegenteiligen Anhaltspunkte, Grundkenntnisse nachgewiesen.',
      en: 'Commitment declared, no indications against it, basic knowledge proven.',
    }, { details });
  }
  return makeResidenceCriterion('basic_order_and_knowledge', 'unknown', basis, {
    de: 'Bekenntnis, Anhaltspunkte oder Grundkenntnisse sind noch nicht festgestellt.',
    en: 'Commitment, indications or basic knowledge are not established yet.',
  }, { details });
}

/** § 25b Abs. 2 Nr. 2 AufenthG (reference in `expulsionInterestConfig`). */
export function evaluateExpulsionInterest(serious: TriState, config: ExpulsionInterestConfig = expulsionInterestConfig): ResidenceCriterion {
  if (serious === 'yes') {
    return makeResidenceCriterion('expulsion_interest', 'not_met', config.basis, {
      de: 'Es besteht ein schwerwiegendes Ausweisungsinteresse.',
      en: 'There is a serious expulsion interest.',
    }, { details: { note: config.note } });
  }
  return makeResidenceCriterion(
    'expulsion_interest',
    serious === 'no' ? 'met' : 'unknown',
    config.basis,
    serious === 'no'
      ? { de: 'Kein schwerwiegendes Ausweisungsinteresse.', en: 'No serious expulsion interest.' }
      : { de: 'Ob ein schwerwiegendes Ausweisungsinteresse besteht, ist nicht festgestellt.', en: 'Whether there is a serious expulsion interest is not established.' },
    { details: { note: config.note } },
  );
}
