import type { DatedHistory } from './datedHistory';
import type { CefrLevel } from './facts';
import { type ResidenceCountingConfig, residenceCountingConfig } from './residencePeriod';

/**
 * The configuration of the § 10 StAG rule set: the rule-set version every stored evaluation
 * records, and the points of law encoded as configuration (each with its paragraph), so that an
 * authority can correct them without a code change. The criteria in `criteria/` read it.
 */

// Legal choices made as configuration (each explained where its criterion is implemented):
// - Multiple marriage and equality: § 11 Satz 1 Nr. 3 Buchst. a and b StAG since 27 June 2024
//   (criteria/multipleMarriage.ts, criteria/genderEquality.ts). (verify numbering)
// - Under 16: Nr. 1, Nr. 1a and Nr. 7 do not apply, § 10 Abs. 1 Satz 2 StAG (criteria/under16.ts).
// - Guest and contract workers and their spouses: § 10 Abs. 4 Satz 3 StAG
//   (criteria/guestWorkerPrivilege.ts). (verify)
// - Naturalisation test: 17 of 33 questions (criteria/civicKnowledge.ts).
// - Capacity to act from 16, § 37 Abs. 1 Satz 1 StAG (criteria/capacityToAct.ts). (verify)

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
