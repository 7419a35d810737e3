import { LocalDate } from '../../calendar/localDate';
import { Criterion, makeCriterion } from '../criterion';
import type { EligibilityConfig } from '../eligibilityConfig';
import { NaturalisationFacts } from '../facts';
import { isGuestWorkerPrivileged } from './guestWorkerPrivilege';
import { determineUnder16Exemption } from './under16';

/**
 * Knowledge of the legal and social order and of living conditions in Germany,
 * § 10 Abs. 1 Satz 1 Nr. 7 StAG, proven by the naturalisation test (§ 10 Abs. 5 StAG,
 * EinbTestV: 17 of 33 questions). Not applicable under 16 (§ 10 Abs. 1 Satz 2 StAG); waived for
 * illness, disability or age (§ 10 Abs. 6 StAG); not needed by guest and contract workers and
 * their spouses (§ 10 Abs. 4 Satz 3 StAG, verify).
 * @throws RangeError for a number of correct answers that is not an integer from 0 to 33
 */
// Legal choice (configuration): a German school-leaving certificate replaces the test
// (administrative practice, verify).
export function evaluateCivicKnowledge(facts: NaturalisationFacts, age: number, asOf: LocalDate, config: EligibilityConfig): Criterion {
  const exempt = determineUnder16Exemption('civic_knowledge', age, config);
  if (exempt !== null) {
    return exempt;
  }
  const knowledge = facts.civicKnowledge;
  const c = config.civicKnowledge;
  const details = { correctAnswers: knowledge.testCorrectAnswers ?? null, passMark: c.passMark, questions: c.questions };
  if (knowledge.waiver !== undefined) {
    return makeCriterion(
      'civic_knowledge',
      'met',
      config.language.waiverBasis,
      knowledge.waiver === 'age' ? 'Absehen wegen Alters.' : 'Absehen wegen Krankheit oder Behinderung.',
      knowledge.waiver === 'age' ? 'Waived on grounds of age.' : 'Waived on grounds of illness or disability.',
      { ...details, waiver: knowledge.waiver },
    );
  }
  if (isGuestWorkerPrivileged(facts, asOf)) {
    return makeCriterion(
      'civic_knowledge',
      'met',
      config.language.guestWorkerBasis,
      'Gastarbeiter/Vertragsarbeitnehmer oder Ehegatte: kein Nachweis erforderlich.',
      'Guest/contract worker or spouse: no proof required.',
      { ...details, guestWorkerPrivilege: true },
    );
  }
  if (knowledge.germanSchoolCertificate === true) {
    return makeCriterion('civic_knowledge', 'met', c.basis, 'Deutscher Schulabschluss ersetzt den Einbürgerungstest.', 'A German school-leaving certificate replaces the test.', details);
  }
  const correct = knowledge.testCorrectAnswers;
  if (correct === undefined) {
    return makeCriterion('civic_knowledge', 'unknown', c.basis, 'Einbürgerungstest noch nicht nachgewiesen.', 'Naturalisation test not yet proven.', details);
  }
  if (!Number.isSafeInteger(correct) || correct < 0 || correct > c.questions) {
    throw new RangeError(`Correct answers must be an integer from 0 to ${c.questions}: ${correct}`);
  }
  return correct >= c.passMark
    ? makeCriterion('civic_knowledge', 'met', c.basis, `Einbürgerungstest bestanden (${correct} von ${c.questions}).`, `Naturalisation test passed (${correct} of ${c.questions}).`, details)
    : makeCriterion(
        'civic_knowledge',
        'not_met',
        c.basis,
        `Einbürgerungstest nicht bestanden (${correct} von ${c.questions}; erforderlich ${c.passMark}).`,
        `Naturalisation test failed (${correct} of ${c.questions}; ${c.passMark} required).`,
        details,
      );
}
