import { LocalDate, parseLocalDate } from '../calendar/localDate';
import { computeAgeOn } from '../calendar/periods';
import { evaluateConvictions } from './convictions';
import { Criterion, CriterionStatus, makeCriterion } from './criterion';
import { DatedHistory, findDatedEntry } from './datedHistory';
import { CefrLevel, NaturalisationFacts, TriState } from './facts';
import { evaluateLivelihood, isPrivilegedGuestWorkerEntry, livelihoodRulesHistory } from './livelihood';
import { computeRequiredDays, determineResidenceMetOn, isResidencePeriodMet, RequiredResidence } from '../residenceHistory/counting';
import { ResidenceHistory } from '../residenceHistory/statuses';
import {
  computeResidencePeriod,
  determineEarliestResidenceDate,
  determineRequiredResidenceYears,
  ResidenceCountingConfig,
  residenceCountingConfig,
} from './residencePeriod';
import { evaluateResidenceTitle } from './residenceTitle';

/**
 * Naturalisation by entitlement, § 10 StAG as in force since 30 October 2025 (the law at the
 * time of the decision applies, also to applications filed earlier). Evaluates every criterion
 * and combines them:
 * - identity and nationality clarified, capacity to act (§ 37 Abs. 1 Satz 1 StAG) or legal
 *   representation, five years of lawful habitual residence (§ 10 Abs. 1 Satz 1 StAG);
 * - Nr. 1 declaration, Nr. 1a declaration, Nr. 2 residence title, Nr. 3 livelihood,
 *   Nr. 5 convictions (§ 12a StAG), Nr. 6 German B1 (§ 10 Abs. 4 StAG, § 10 Abs. 6 StAG),
 *   Nr. 7 knowledge of the legal and social order (§ 10 Abs. 5 StAG);
 * - exclusion grounds of § 11 Satz 1 StAG, including multiple marriage and disregard of the
 *   equality of women and men (§ 11 Satz 1 Nr. 3 StAG).
 * Nr. 4 (giving up the previous nationality) was repealed with effect from 27 June 2024.
 */

// Legal choices made as configuration (see `eligibilityConfig`):
// - Multiple marriage and equality: since 27 June 2024 we place them in § 11 Satz 1 Nr. 3
//   Buchst. a and b StAG (exclusion grounds). Before, the multiple marriage was part of
//   § 10 Abs. 1 Satz 1 Nr. 7 StAG a.F. ("Einordnung in die deutschen Lebensverhältnisse").
//   The citation is configuration. (verify numbering)
// - Under 16 at the time of naturalisation: Nr. 1, Nr. 1a and Nr. 7 do not apply
//   (§ 10 Abs. 1 Satz 2 StAG; whether Nr. 1a is included: verify); German is met with
//   age-appropriate development (§ 10 Abs. 4 Satz 2 StAG).
// - Guest workers and contract workers (entry by the § 10 Abs. 1 Satz 1 Nr. 3 Buchst. a StAG
//   dates) and their spouses: everyday oral German suffices and no test is needed. Cited as
//   § 10 Abs. 4 Satz 3 StAG. (verify)
// - Naturalisation test: 17 of 33 questions (EinbTestV); a German school-leaving certificate
//   replaces it (administrative practice, verify).
// - Capacity to act from 16 (§ 37 Abs. 1 Satz 1 StAG; domain.md: "§ 37 with § 34", verify the
//   cross-reference).
// Implementation choices:
// - `overall`: any `not_met` → `not_eligible`; else any `unknown` → `incomplete`; else any
//   `discretion` → `discretion`; else `eligible`.
// - `earliestEligibleOn`: `asOf` when eligible; the residence date when the residence period is
//   the ONLY criterion not met and all others are met; otherwise null. Ages are taken on `asOf`;
//   a future date does not re-check criteria that depend on age (e.g. turning 16).
// - A proof not yet supplied (no language certificate, no test) is `unknown`, a failed one
//   `not_met`.

/** Version string every stored evaluation records. */
export const NATURALISATION_RULE_SET_VERSION = 'stag-10@2025-10-30';

/** Dated history of rule sets; before 30 October 2025 this rule set does not know the law. */
export const naturalisationRuleSetHistory: DatedHistory<{ readonly version: string }> = Object.freeze([
  { validFrom: '2025-10-30', basis: '§ 10 StAG', value: { version: NATURALISATION_RULE_SET_VERSION } },
]);

export interface EligibilityConfig {
  readonly capacity: { readonly minimumAge: number; readonly basis: string; readonly note: string };
  readonly under16: {
    readonly ageBelow: number;
    readonly exempt: readonly ('declaration_basic_order' | 'historical_responsibility' | 'civic_knowledge')[];
    readonly basis: string;
    readonly note: string;
  };
  readonly language: {
    readonly requiredLevel: CefrLevel;
    readonly basis: string;
    readonly under16Basis: string;
    readonly guestWorkerBasis: string;
    readonly waiverBasis: string;
    readonly note: string;
  };
  readonly civicKnowledge: {
    readonly questions: number;
    readonly passMark: number;
    readonly basis: string;
    readonly note: string;
  };
  readonly marriageAndEquality: {
    readonly multipleMarriageBasis: string;
    readonly equalityBasis: string;
    readonly note: string;
  };
  readonly residence: ResidenceCountingConfig;
}

/** Default configuration; entries marked (verify) need confirmation against the official text. */
export const eligibilityConfig: EligibilityConfig = Object.freeze({
  capacity: Object.freeze({
    minimumAge: 16,
    basis: '§ 37 Abs. 1 Satz 1 StAG',
    note: 'Capable of acting from 16 unless legally incapable; younger applicants need a legal representative. domain.md cites § 37 with § 34 StAG. (verify)',
  }),
  under16: Object.freeze({
    ageBelow: 16,
    exempt: Object.freeze(['declaration_basic_order', 'historical_responsibility', 'civic_knowledge'] as const),
    basis: '§ 10 Abs. 1 Satz 2 StAG',
    note: 'Nr. 1 and Nr. 7 do not apply to children under 16; Nr. 1a is assumed to be included since 27 June 2024. (verify)',
  }),
  language: Object.freeze({
    requiredLevel: 'B1',
    basis: '§ 10 Abs. 4 Satz 1 StAG',
    under16Basis: '§ 10 Abs. 4 Satz 2 StAG',
    guestWorkerBasis: '§ 10 Abs. 4 Satz 3 StAG',
    waiverBasis: '§ 10 Abs. 6 StAG',
    note: 'B1 (CEFR); under 16 age-appropriate; guest/contract workers and their spouses: everyday oral German (citation verify); waivers for illness, disability, age.',
  }),
  civicKnowledge: Object.freeze({
    questions: 33,
    passMark: 17,
    basis: '§ 10 Abs. 5 StAG',
    note: 'Naturalisation test (EinbTestV): 33 questions, passed with 17 correct. A German school-leaving certificate replaces it (practice, verify).',
  }),
  marriageAndEquality: Object.freeze({
    multipleMarriageBasis: '§ 11 Satz 1 Nr. 3 Buchst. a StAG',
    equalityBasis: '§ 11 Satz 1 Nr. 3 Buchst. b StAG',
    note: 'Since 27 June 2024 exclusion grounds in § 11 Satz 1 Nr. 3 StAG; before, part of § 10 Abs. 1 Satz 1 Nr. 7 StAG a.F. (verify numbering)',
  }),
  residence: residenceCountingConfig,
});

export type EligibilityOverall = 'eligible' | 'not_eligible' | 'incomplete' | 'discretion';

export interface EligibilityResult {
  readonly ruleSetVersion: string;
  readonly asOf: LocalDate;
  readonly criteria: readonly Criterion[];
  readonly overall: EligibilityOverall;
  /** `asOf` if eligible; the residence date if only the residence period is missing; else null. */
  readonly earliestEligibleOn: LocalDate | null;
  readonly requiredResidenceYears: number;
  /** First date on which the residence period is (or, if the status continues, will be) met; null if unreachable. */
  readonly residencePeriodMetOn: LocalDate | null;
}

const CEFR_ORDER: readonly CefrLevel[] = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2'];

function isAtLeast(level: CefrLevel, required: CefrLevel): boolean {
  return CEFR_ORDER.indexOf(level) >= CEFR_ORDER.indexOf(required);
}

function statusOf(value: TriState): CriterionStatus {
  return value === 'yes' ? 'met' : value === 'no' ? 'not_met' : 'unknown';
}

/** Combines criteria: any not_met → not_eligible; any unknown → incomplete; any discretion → discretion. */
export function determineOverall(criteria: readonly Criterion[]): EligibilityOverall {
  if (criteria.some((criterion) => criterion.status === 'not_met')) {
    return 'not_eligible';
  }
  if (criteria.some((criterion) => criterion.status === 'unknown')) {
    return 'incomplete';
  }
  return criteria.some((criterion) => criterion.status === 'discretion') ? 'discretion' : 'eligible';
}

function evaluateIdentity(facts: NaturalisationFacts): Criterion {
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

function evaluateCapacity(facts: NaturalisationFacts, age: number, config: EligibilityConfig): Criterion {
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

function notApplicableUnder16(id: 'declaration_basic_order' | 'historical_responsibility' | 'civic_knowledge', age: number, config: EligibilityConfig): Criterion | null {
  if (age >= config.under16.ageBelow || !config.under16.exempt.includes(id)) {
    return null;
  }
  return makeCriterion(
    id,
    'met',
    config.under16.basis,
    `Nicht anzuwenden: unter ${config.under16.ageBelow} Jahren zum Zeitpunkt der Einbürgerung.`,
    `Not applicable: under ${config.under16.ageBelow} at the time of naturalisation.`,
    { notApplicable: true, age },
  );
}

function evaluateDeclaration(
  id: 'declaration_basic_order' | 'historical_responsibility',
  value: TriState,
  age: number,
  config: EligibilityConfig,
): Criterion {
  const exempt = notApplicableUnder16(id, age, config);
  if (exempt !== null) {
    return exempt;
  }
  const basis = id === 'declaration_basic_order' ? '§ 10 Abs. 1 Satz 1 Nr. 1 StAG' : '§ 10 Abs. 1 Satz 1 Nr. 1a StAG';
  const what =
    id === 'declaration_basic_order'
      ? { de: 'Bekenntnis zur freiheitlichen demokratischen Grundordnung und Loyalitätserklärung', en: 'Commitment to the free democratic basic order and loyalty declaration' }
      : {
          de: 'Bekenntnis zur historischen Verantwortung Deutschlands, insbesondere zum Schutz jüdischen Lebens',
          en: "Commitment to Germany's historical responsibility, in particular the protection of Jewish life",
        };
  const status = statusOf(value);
  const suffix = {
    met: { de: 'abgegeben.', en: 'made.' },
    not_met: { de: 'nicht abgegeben.', en: 'not made.' },
    unknown: { de: 'noch nicht erfasst.', en: 'not recorded yet.' },
    discretion: { de: '', en: '' },
  }[status];
  return makeCriterion(id, status, basis, `${what.de} ${suffix.de}`, `${what.en} ${suffix.en}`);
}

function isGuestWorkerPrivileged(facts: NaturalisationFacts, asOf: LocalDate): boolean {
  const rules = findDatedEntry(livelihoodRulesHistory, asOf).value;
  return isPrivilegedGuestWorkerEntry(facts.livelihood.guestWorkerEntry, rules) || isPrivilegedGuestWorkerEntry(facts.language.spouseGuestWorkerEntry, rules);
}

function evaluateLanguage(facts: NaturalisationFacts, age: number, asOf: LocalDate, config: EligibilityConfig): Criterion {
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
    const status = statusOf(language.ageAppropriate ?? 'unknown');
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
    const status = statusOf(language.everydayOralGerman ?? 'unknown');
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

function evaluateCivicKnowledge(facts: NaturalisationFacts, age: number, asOf: LocalDate, config: EligibilityConfig): Criterion {
  const exempt = notApplicableUnder16('civic_knowledge', age, config);
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

function evaluateConduct(facts: NaturalisationFacts, config: EligibilityConfig): Criterion[] {
  const c = config.marriageAndEquality;
  const marriage = statusOf(facts.conduct.multipleMarriage === 'yes' ? 'no' : facts.conduct.multipleMarriage === 'no' ? 'yes' : 'unknown');
  const equality = statusOf(facts.conduct.disregardsGenderEquality === 'yes' ? 'no' : facts.conduct.disregardsGenderEquality === 'no' ? 'yes' : 'unknown');
  const text = {
    met: ['Nicht gleichzeitig mit mehreren Ehegatten verheiratet.', 'Not married to several spouses at the same time.'],
    not_met: ['Gleichzeitig mit mehreren Ehegatten verheiratet.', 'Married to several spouses at the same time.'],
    unknown: ['Familienstand (Mehrehe) nicht geklärt.', 'Marital status (multiple marriage) not established.'],
  } as const;
  const equalityText = {
    met: ['Kein Verhalten, das die Gleichberechtigung von Mann und Frau missachtet.', 'No conduct disregarding the equality of women and men.'],
    not_met: ['Verhalten missachtet die Gleichberechtigung von Mann und Frau.', 'Conduct disregards the equality of women and men.'],
    unknown: ['Nicht geklärt, ob Verhalten die Gleichberechtigung missachtet.', 'Not established whether conduct disregards equality.'],
  } as const;
  const pick = (status: CriterionStatus, table: typeof text | typeof equalityText): readonly [string, string] =>
    status === 'met' ? table.met : status === 'not_met' ? table.not_met : table.unknown;
  const [marriageDe, marriageEn] = pick(marriage, text);
  const [equalityDe, equalityEn] = pick(equality, equalityText);
  return [
    makeCriterion('no_multiple_marriage', marriage, c.multipleMarriageBasis, marriageDe, marriageEn),
    makeCriterion('gender_equality', equality, c.equalityBasis, equalityDe, equalityEn),
  ];
}

function evaluateExclusionGrounds(facts: NaturalisationFacts): Criterion {
  const grounds = facts.exclusionGrounds;
  const extremism: TriState = grounds.extremistActivity === 'yes' && grounds.credibleDistancing === true ? 'no' : grounds.extremistActivity;
  const checks: { value: TriState; basis: string; de: string; en: string }[] = [
    {
      value: extremism,
      basis: '§ 11 Satz 1 Nr. 1 StAG',
      de: 'Tatsächliche Anhaltspunkte für verfassungsfeindliche Bestrebungen.',
      en: 'Actual indications of anti-constitutional efforts.',
    },
    {
      value: grounds.declarationContentIncorrect,
      basis: '§ 11 Satz 1 Nr. 1a StAG',
      de: 'Tatsächliche Anhaltspunkte, dass das Bekenntnis inhaltlich unrichtig ist.',
      en: 'Actual indications that the declaration of commitment is untrue.',
    },
    {
      value: grounds.seriousExpulsionInterest,
      basis: '§ 11 Satz 1 Nr. 2 StAG',
      de: 'Besonders schwerwiegendes Ausweisungsinteresse nach § 54 Abs. 1 Nr. 2 oder 4 AufenthG.',
      en: 'Particularly serious expulsion interest under § 54 Abs. 1 Nr. 2 or 4 AufenthG.',
    },
  ];
  const details = { extremistActivity: grounds.extremistActivity, credibleDistancing: grounds.credibleDistancing ?? null, declarationContentIncorrect: grounds.declarationContentIncorrect, seriousExpulsionInterest: grounds.seriousExpulsionInterest };
  const found = checks.find((check) => check.value === 'yes');
  if (found !== undefined) {
    return makeCriterion('exclusion_grounds', 'not_met', found.basis, found.de, found.en, details);
  }
  if (checks.some((check) => check.value === 'unknown')) {
    return makeCriterion('exclusion_grounds', 'unknown', '§ 11 Satz 1 StAG', 'Ausschlussgründe noch nicht abschließend geprüft.', 'Exclusion grounds not yet fully checked.', details);
  }
  const distanced = grounds.extremistActivity === 'yes';
  return makeCriterion(
    'exclusion_grounds',
    'met',
    distanced ? '§ 11 Satz 1 Nr. 1 StAG' : '§ 11 Satz 1 StAG',
    distanced ? 'Abwendung von früheren Bestrebungen glaubhaft gemacht; keine weiteren Ausschlussgründe.' : 'Keine Ausschlussgründe.',
    distanced ? 'Turning away from earlier efforts credibly shown; no other exclusion grounds.' : 'No exclusion grounds.',
    details,
  );
}

function describeRequirement(required: RequiredResidence): { de: string; en: string } {
  const length = typeof required === 'number' ? { years: required } : required;
  const parts: { de: string; en: string }[] = [];
  const add = (value: number | undefined, de: [string, string], en: [string, string]): void => {
    if (value !== undefined && value > 0) {
      parts.push({ de: `${value} ${value === 1 ? de[0] : de[1]}`, en: `${value} ${value === 1 ? en[0] : en[1]}` });
    }
  };
  add(length.years, ['Jahr', 'Jahre'], ['year', 'years']);
  add(length.months, ['Monat', 'Monate'], ['month', 'months']);
  add(length.weeks, ['Woche', 'Wochen'], ['week', 'weeks']);
  add(length.days, ['Tag', 'Tage'], ['day', 'days']);
  return parts.length === 0
    ? { de: '0 Jahre', en: '0 years' }
    : { de: parts.map((part) => part.de).join(' und '), en: parts.map((part) => part.en).join(' and ') };
}

/** Replaces unknown Gestattung outcomes by "protection granted" (the favourable reading). */
function assumeProtectionGranted(history: ResidenceHistory): ResidenceHistory {
  return history.map((entry) => (entry.status === 'gestattung' && entry.protectionGrantedLater === undefined ? { ...entry, protectionGrantedLater: true } : entry));
}

export interface ResidencePeriodEvaluation {
  readonly criterion: Criterion;
  /** First date the period is (or, if the status continues, will be) met; null if unreachable. */
  readonly metOn: LocalDate | null;
}

/**
 * Residence period criterion: `requiredYears` of lawful habitual residence on `asOf`
 * (§ 10 Abs. 1 Satz 1 StAG with § 12b StAG). `unknown` if only unknown Gestattung outcomes stand
 * between the person and the requirement; `discretion` if an earlier residence creditable under
 * § 12b Abs. 2 StAG would close the gap.
 */
export function evaluateResidencePeriodCriterion(
  history: ResidenceHistory,
  requiredYears: RequiredResidence,
  asOf: LocalDate,
  config: ResidenceCountingConfig = residenceCountingConfig,
  basis = '§ 10 Abs. 1 Satz 1 StAG',
): ResidencePeriodEvaluation {
  const result = computeResidencePeriod(history, asOf, config);
  const metOn = determineEarliestResidenceDate(history, requiredYears, asOf, config);
  const required = describeRequirement(requiredYears);
  const details = {
    required: requiredYears,
    countedDays: result.countedDays,
    countedYears: result.countedYears,
    countingStartsOn: result.countingStartsOn,
    statusOnAsOf: result.statusOnAsOf,
    lastInterruption: result.lastInterruption === null ? null : { from: result.lastInterruption.from, to: result.lastInterruption.to, basis: result.lastInterruption.basis, reason: result.lastInterruption.reason },
    metOn,
    segments: result.segments.map((segment) => ({ from: segment.from, to: segment.to, kind: segment.kind, status: segment.status ?? null, effect: segment.effect, basis: segment.basis })),
  };
  if (isResidencePeriodMet(result, requiredYears)) {
    const since = determineResidenceMetOn(result, requiredYears);
    return {
      metOn,
      criterion: makeCriterion(
        'residence_period',
        'met',
        basis,
        `${result.countedDays} Tage (${result.countedYears} volle Jahre) rechtmäßiger gewöhnlicher Aufenthalt angerechnet (erforderlich ${required.de}; erfüllt seit ${since}).`,
        `${result.countedDays} days (${result.countedYears} full years) of lawful habitual residence counted (${required.en} required; met since ${since}).`,
        details,
      ),
    };
  }
  if (result.uncertainDays > 0 && isResidencePeriodMet(computeResidencePeriod(assumeProtectionGranted(history), asOf, config), requiredYears)) {
    return {
      metOn,
      criterion: makeCriterion(
        'residence_period',
        'unknown',
        '§ 55 Abs. 3 AsylG',
        'Die Frist ist nur erfüllt, wenn die Gestattungszeiten angerechnet werden; ob später Schutz gewährt wurde, ist nicht erfasst.',
        'The period is met only if the Gestattung periods count; whether protection was later granted is not recorded.',
        { ...details, uncertainDays: result.uncertainDays },
      ),
    };
  }
  const credit = result.earlierResidenceCredit;
  if (credit !== null && result.countedDays + credit.days >= computeRequiredDays(result.countingStartsOn ?? asOf, requiredYears)) {
    return {
      metOn,
      criterion: makeCriterion(
        'residence_period',
        'discretion',
        credit.basis,
        `Frist nach längerem Auslandsaufenthalt unterbrochen; frühere Aufenthaltszeiten (${credit.days} Tage) können im Ermessen angerechnet werden.`,
        `Period interrupted by a longer stay abroad; earlier residence (${credit.days} days) may be credited at discretion.`,
        { ...details, creditableDays: credit.days },
      ),
    };
  }
  return {
    metOn,
    criterion: makeCriterion(
      'residence_period',
      'not_met',
      basis,
      metOn === null
        ? `Erst ${result.countedDays} Tage angerechnet (erforderlich ${required.de}); mit dem derzeitigen Status nicht erreichbar.`
        : `Erst ${result.countedDays} Tage angerechnet (erforderlich ${required.de}); erfüllt ab ${metOn}, wenn der Status fortbesteht.`,
      metOn === null
        ? `Only ${result.countedDays} days counted (${required.en} required); not reachable under the current status.`
        : `Only ${result.countedDays} days counted (${required.en} required); met from ${metOn} if the status continues.`,
      details,
    ),
  };
}

/**
 * All criteria of § 10 Abs. 1 StAG and § 11 StAG EXCEPT the residence period, on `asOf`
 * (shared with co-naturalisation, § 10 Abs. 2 StAG, which replaces the period).
 */
export function evaluateCommonCriteria(facts: NaturalisationFacts, asOf: LocalDate, config: EligibilityConfig = eligibilityConfig): Criterion[] {
  const age = computeAgeOn(facts.dateOfBirth, asOf);
  return [
    evaluateIdentity(facts),
    evaluateCapacity(facts, age, config),
    evaluateDeclaration('declaration_basic_order', facts.declarations.basicOrderAndLoyalty, age, config),
    evaluateDeclaration('historical_responsibility', facts.declarations.historicalResponsibility, age, config),
    evaluateResidenceTitle(facts.residenceHistory, asOf),
    evaluateLivelihood(facts.livelihood, facts.applicationFiledOn, asOf),
    evaluateConvictions(facts.criminalRecord, asOf),
    evaluateLanguage(facts, age, asOf, config),
    evaluateCivicKnowledge(facts, age, asOf, config),
    ...evaluateConduct(facts, config),
    evaluateExclusionGrounds(facts),
  ];
}

/**
 * The date from which a person is eligible: `asOf` if eligible; the residence date if the
 * period (the criteria in `waitingIds`) is the only criterion not met and all others are met; else null.
 */
export function determineEarliestEligibleOn(
  criteria: readonly Criterion[],
  overall: EligibilityOverall,
  asOf: LocalDate,
  residenceMetOn: LocalDate | null,
  waitingIds: readonly Criterion['id'][] = ['residence_period'],
): LocalDate | null {
  if (overall === 'eligible') {
    return asOf;
  }
  const others = criteria.filter((criterion) => !waitingIds.includes(criterion.id));
  const waiting = criteria.filter((criterion) => waitingIds.includes(criterion.id));
  if (others.every((criterion) => criterion.status === 'met') && waiting.some((criterion) => criterion.status === 'not_met')) {
    return residenceMetOn;
  }
  return null;
}

/**
 * Naturalisation by entitlement on `asOf` under § 10 StAG as in force since 30 October 2025.
 * Throws `RangeError` for `asOf` before 30 October 2025 (this rule set does not know the older
 * law) or before the date of birth.
 * @returns every criterion with its status, reason and basis, the overall outcome, and the
 *   earliest eligible date (see `determineEarliestEligibleOn`).
 */
export function evaluateNaturalisationEligibility(
  facts: NaturalisationFacts,
  asOf: LocalDate,
  config: EligibilityConfig = eligibilityConfig,
): EligibilityResult {
  parseLocalDate(asOf);
  const ruleSet = findDatedEntry(naturalisationRuleSetHistory, asOf).value;
  const requiredResidenceYears = determineRequiredResidenceYears(asOf);
  const residence = evaluateResidencePeriodCriterion(facts.residenceHistory, requiredResidenceYears, asOf, config.residence);
  const [identity, capacity, ...rest] = evaluateCommonCriteria(facts, asOf, config);
  const criteria = [identity, capacity, residence.criterion, ...rest];
  const overall = determineOverall(criteria);
  return {
    ruleSetVersion: ruleSet.version,
    asOf,
    criteria,
    overall,
    earliestEligibleOn: determineEarliestEligibleOn(criteria, overall, asOf, residence.metOn),
    requiredResidenceYears,
    residencePeriodMetOn: residence.metOn,
  };
}
