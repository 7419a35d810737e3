import { LocalDate } from '../../calendar/localDate';
import { Criterion, makeCriterion } from '../criterion';
import type { EligibilityConfig } from '../eligibilityConfig';
import { CefrLevel, NaturalisationFacts } from '../facts';
import { isGuestWorkerPrivileged } from './guestWorkerPrivilege';
import { determineTriStateStatus } from './triState';

const CEFR_ORDER: readonly CefrLevel[] = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2'];

function isAtLeast(level: CefrLevel, required: CefrLevel): boolean {
  return CEFR_ORDER.indexOf(level) >= CEFR_ORDER.indexOf(required);
}

/**
 * Sufficient German, § 10 Abs. 1 Satz 1 Nr. 6 StAG: B1 (§ 10 Abs. 4 Satz 1 StAG) or a German
 * school-leaving certificate; under 16 an age-appropriate development (§ 10 Abs. 4 Satz 2 StAG);
 * guest and contract workers and their spouses: everyday oral German (§ 10 Abs. 4 Satz 3 StAG,
 * verify); waived for illness, disability or age (§ 10 Abs. 6 StAG). A certificate below the
 * level is not_met; none yet is unknown.
 */
export function evaluateGermanLanguage(facts: NaturalisationFacts, age: number, asOf: LocalDate, config: EligibilityConfig): Criterion {
  const language = facts.language;
  const c = config.language;
  const details = { certifiedLevel: language.certifiedLevel ?? null, requiredLevel: c.requiredLevel, age };
  if (language.waiver !== undefined) {
    return makeCriterion(
      'german_language',
      'met',
      c.waiverBasis,
      language.waiver === 'age' ? 'Absehen wegen Alters.' : 'Absehen wegen Krankheit oder Behinderung.',
      language.waiver === 'age' ? 'Waived on grounds of age.' : 'Waived on grounds of illness or disability.',
      { ...details, waiver: language.waiver },
    );
  }
  if (language.germanSchoolCertificate === true || (language.certifiedLevel !== undefined && isAtLeast(language.certifiedLevel, c.requiredLevel))) {
    return makeCriterion(
      'german_language',
      'met',
      c.basis,
      language.germanSchoolCertificate === true ? 'Deutscher Schulabschluss.' : `Deutschkenntnisse ${language.certifiedLevel} nachgewiesen.`,
      language.germanSchoolCertificate === true ? 'German school-leaving certificate.' : `German at ${language.certifiedLevel} proven.`,
      details,
    );
  }
  if (age < config.under16.ageBelow) {
    const status = determineTriStateStatus(language.ageAppropriate ?? 'unknown');
    return makeCriterion(
      'german_language',
      status,
      c.under16Basis,
      status === 'met' ? 'Altersgemäße Sprachentwicklung.' : status === 'not_met' ? 'Keine altersgemäße Sprachentwicklung.' : 'Altersgemäße Sprachentwicklung nicht festgestellt.',
      status === 'met' ? 'Age-appropriate language development.' : status === 'not_met' ? 'No age-appropriate language development.' : 'Age-appropriate language development not established.',
      details,
    );
  }
  if (isGuestWorkerPrivileged(facts, asOf)) {
    const status = determineTriStateStatus(language.everydayOralGerman ?? 'unknown');
    if (status !== 'not_met' || language.certifiedLevel === undefined) {
      return makeCriterion(
        'german_language',
        status,
        c.guestWorkerBasis,
        status === 'met'
          ? 'Gastarbeiter/Vertragsarbeitnehmer oder Ehegatte: mündliche Verständigung im Alltag genügt und ist gegeben.'
          : status === 'not_met'
            ? 'Gastarbeiter/Vertragsarbeitnehmer oder Ehegatte: mündliche Verständigung im Alltag ist nicht gegeben.'
            : 'Gastarbeiter/Vertragsarbeitnehmer oder Ehegatte: mündliche Verständigung im Alltag genügt, ist aber nicht festgestellt.',
        status === 'met'
          ? 'Guest/contract worker or spouse: everyday oral German suffices and is given.'
          : status === 'not_met'
            ? 'Guest/contract worker or spouse: everyday oral German is not given.'
            : 'Guest/contract worker or spouse: everyday oral German suffices but is not established.',
        { ...details, guestWorkerPrivilege: true },
      );
    }
  }
  if (language.certifiedLevel !== undefined) {
    return makeCriterion(
      'german_language',
      'not_met',
      c.basis,
      `Nachgewiesen ist ${language.certifiedLevel}; erforderlich ist ${c.requiredLevel}.`,
      `${language.certifiedLevel} is proven; ${c.requiredLevel} is required.`,
      details,
    );
  }
  return makeCriterion(
    'german_language',
    'unknown',
    c.basis,
    `Nachweis der Deutschkenntnisse (${c.requiredLevel}) liegt noch nicht vor.`,
    `Proof of German (${c.requiredLevel}) has not been supplied yet.`,
    details,
  );
}
