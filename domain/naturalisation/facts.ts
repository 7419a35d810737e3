import { LocalDate } from '../calendar/localDate';
import type { ResidenceHistory } from '../residenceHistory/statuses';

/**
 * The facts of a naturalisation case under § 10 StAG, as the naturalisation authority (EBH)
 * knows them at a given moment. Pure data, no behaviour.
 *
 * Convention for missing evidence: yes/no facts are `TriState` and say `'unknown'` explicitly;
 * an optional value (`?`) that is absent means "not known / not yet proven". No field defaults
 * to the applicant's advantage: rules report `unknown` instead.
 */

/** A yes/no fact that may not be established yet. */
export type TriState = 'yes' | 'no' | 'unknown';

// The residence history is shared by every process; re-exported here so that code importing it
// from the naturalisation facts keeps compiling.
export type { ResidenceHistory, ResidencePeriodFact, ResidenceStatus } from '../residenceHistory/statuses';

/** Capacity to act in the naturalisation procedure (§ 37 Abs. 1 Satz 1 StAG). */
export interface CapacityFacts {
  /** Legally incapable of acting (geschäftsunfähig, or an adult who would need a Betreuung with Einwilligungsvorbehalt). */
  readonly incapacitated: TriState;
  /** Represented by a legal representative (parents, guardian, Betreuer) in the procedure. */
  readonly legallyRepresented: TriState;
}

/** Entry as a recruited guest worker (FRG) or a contract worker (GDR). */
export interface GuestWorkerEntry {
  readonly kind: 'recruited_frg' | 'contract_gdr';
  readonly enteredOn: LocalDate;
}

/** Full-time employment of a person (§ 10 Abs. 1 Satz 1 Nr. 3 Buchst. b StAG). */
export interface EmploymentFacts {
  readonly employedFullTimeNow: TriState;
  /** Months of full-time employment within the last 24 months. Absent: not known. */
  readonly fullTimeMonthsInLast24?: number;
}

/** Livelihood (§ 10 Abs. 1 Satz 1 Nr. 3 StAG). */
export interface LivelihoodFacts {
  /** Receives (or would need) SGB II or SGB XII benefits for self or dependants. */
  readonly receivesBenefits: TriState;
  /** Is responsible ("hat zu vertreten") for needing the benefits. */
  readonly responsibleForBenefits: TriState;
  /** Entry as a guest worker or contract worker. Absent: not one (or not known). */
  readonly guestWorkerEntry?: GuestWorkerEntry;
  readonly employment: EmploymentFacts;
  /** Spouse or registered partner: their employment and whether they live together with a minor child. */
  readonly partner?: EmploymentFacts & { readonly livesInFamilyWithApplicantAndMinorChild: TriState };
}

/** Common European Framework of Reference levels. */
export type CefrLevel = 'A1' | 'A2' | 'B1' | 'B2' | 'C1' | 'C2';

/** Why the language or knowledge requirement cannot be met (§ 10 Abs. 6 StAG). */
export type IntegrationWaiver = 'illness_or_disability' | 'age';

/** German language (§ 10 Abs. 1 Satz 1 Nr. 6 StAG, § 10 Abs. 4 StAG). */
export interface LanguageFacts {
  /** Highest proven level. Absent: nothing proven yet. */
  readonly certifiedLevel?: CefrLevel;
  /** A German school-leaving certificate (proves B1). */
  readonly germanSchoolCertificate?: boolean;
  /** Under 16: age-appropriate language development (§ 10 Abs. 4 Satz 2 StAG). */
  readonly ageAppropriate?: TriState;
  /** Can communicate orally in everyday German without notable problems (guest-worker rule). */
  readonly everydayOralGerman?: TriState;
  /** Spouse/partner of a guest worker or contract worker: that person's entry. */
  readonly spouseGuestWorkerEntry?: GuestWorkerEntry;
  /** Waiver confirmed by the authority (§ 10 Abs. 6 StAG). */
  readonly waiver?: IntegrationWaiver;
}

/** Knowledge of the legal and social order (§ 10 Abs. 1 Satz 1 Nr. 7 StAG). */
export interface CivicKnowledgeFacts {
  /** Correct answers in the naturalisation test (of 33). Absent: not taken. */
  readonly testCorrectAnswers?: number;
  /** A German school-leaving certificate replaces the test. */
  readonly germanSchoolCertificate?: boolean;
  /** Waiver confirmed by the authority (§ 10 Abs. 6 StAG). */
  readonly waiver?: IntegrationWaiver;
}

/** Declarations of commitment (§ 10 Abs. 1 Satz 1 Nr. 1 StAG, § 10 Abs. 1 Satz 1 Nr. 1a StAG). */
export interface DeclarationFacts {
  /** Commitment to the free democratic basic order and loyalty declaration made (Nr. 1). */
  readonly basicOrderAndLoyalty: TriState;
  /** Commitment to Germany's historical responsibility, in particular the protection of Jewish life (Nr. 1a). */
  readonly historicalResponsibility: TriState;
}

/** Whether the judgment found an antisemitic, racist, xenophobic or otherwise inhuman motive (§ 12a Abs. 1 Satz 2 StAG). Absent: not known. */
interface MotiveFinding {
  readonly inhumanMotiveFound?: boolean;
}

/** Fine (Geldstrafe) in daily rates (Tagessätze). */
export interface FineSentence extends MotiveFinding {
  readonly kind: 'fine';
  readonly dailyRates: number;
}

/** Prison sentence (Freiheitsstrafe). */
export interface PrisonSentence extends MotiveFinding {
  readonly kind: 'prison';
  readonly months: number;
  /** Additional days beyond whole months (e.g. "2 Monate und 2 Wochen" → months 2, days 14). */
  readonly days?: number;
  /** Suspended on probation (zur Bewährung ausgesetzt). */
  readonly suspended: boolean;
  /** Remitted after the probation period (nach Ablauf der Bewährungszeit erlassen). */
  readonly remitted: boolean;
}

/** Educational measures or disciplinary measures under the JGG (Erziehungsmaßregeln, Zuchtmittel). */
export interface JuvenileMeasure extends MotiveFinding {
  readonly kind: 'juvenile_measure';
}

/** Youth penalty (Jugendstrafe, § 17 JGG). */
export interface JuvenilePenalty extends MotiveFinding {
  readonly kind: 'juvenile_penalty';
  readonly months: number;
}

/** Measure of correction and prevention (Maßregel der Besserung und Sicherung, § 61 StGB). */
export interface CorrectionalMeasure {
  readonly kind: 'correctional_measure';
  /** The number in § 61 StGB (5 = withdrawal of driving licence, 6 = occupational ban). */
  readonly stgbSection61Number: number;
}

export type Sentence = FineSentence | PrisonSentence | JuvenileMeasure | JuvenilePenalty | CorrectionalMeasure;

/** Criminal record (§ 10 Abs. 1 Satz 1 Nr. 5 StAG, § 12a StAG). */
export interface CriminalRecordFacts {
  /**
   * Sentences that may still be held against the person (not erased under the BZRG; foreign
   * ones only if § 12a Abs. 2 StAG allows). Several sentences merged into a lower aggregate
   * sentence (Gesamtstrafe) must be given as that one sentence. Absent: no register extract yet.
   */
  readonly sentences?: readonly Sentence[];
  /** A criminal investigation or proceedings are pending (§ 12a Abs. 3 Satz 1 StAG). */
  readonly pendingInvestigation: TriState;
  /** Imposition of a youth penalty has been deferred under § 27 JGG (§ 12a Abs. 3 Satz 2 StAG). */
  readonly juvenilePenaltyDeferred?: boolean;
}

/** Conduct under § 11 Satz 1 Nr. 3 StAG. */
export interface ConductFacts {
  /** Married to several spouses at the same time. */
  readonly multipleMarriage: TriState;
  /** Conduct showing disregard for the equality of women and men laid down in the Basic Law. */
  readonly disregardsGenderEquality: TriState;
}

/** Exclusion grounds of § 11 Satz 1 Nr. 1, Nr. 1a and Nr. 2 StAG. */
export interface ExclusionGroundFacts {
  /** Actual indications of pursuing or supporting anti-constitutional efforts (Nr. 1). */
  readonly extremistActivity: TriState;
  /** The applicant has credibly shown turning away from such efforts (Nr. 1, second half). */
  readonly credibleDistancing?: boolean;
  /** Actual indications that the declaration under Nr. 1 or Nr. 1a is untrue (Nr. 1a). */
  readonly declarationContentIncorrect: TriState;
  /** Particularly serious expulsion interest under § 54 Abs. 1 Nr. 2 or 4 AufenthG (Nr. 2). */
  readonly seriousExpulsionInterest: TriState;
}

/** Spouse or registered partner applying to be naturalised together with the applicant. */
export interface SpouseFacts {
  readonly relationship: 'spouse' | 'registered_partner';
  /** Date of the marriage or registration of the partnership. Absent: not known. */
  readonly marriedOn?: LocalDate;
  /** Living together in marital / partnership community. */
  readonly livingTogether: TriState;
  /** Applies jointly with (is to be naturalised together with) the applicant. */
  readonly appliesJointly: boolean;
  /** The spouse's own facts. */
  readonly facts: NaturalisationFacts;
}

/** Minor child applying to be naturalised together with the applicant. */
export interface ChildFacts {
  readonly appliesJointly: boolean;
  readonly facts: NaturalisationFacts;
}

/** Household for co-naturalisation (§ 10 Abs. 2 StAG). */
export interface HouseholdFacts {
  readonly spouse?: SpouseFacts;
  readonly minorChildren?: readonly ChildFacts[];
}

/** All facts of one person's naturalisation case (§ 10 StAG). */
export interface NaturalisationFacts {
  readonly dateOfBirth: LocalDate;
  /** Nationalities held (ISO 3166-1 alpha-2). Empty: stateless or not known (see `nationalityClarified`). */
  readonly nationalities: readonly string[];
  readonly identityClarified: TriState;
  readonly nationalityClarified: TriState;
  readonly capacity: CapacityFacts;
  readonly residenceHistory: ResidenceHistory;
  readonly livelihood: LivelihoodFacts;
  readonly language: LanguageFacts;
  readonly civicKnowledge: CivicKnowledgeFacts;
  readonly declarations: DeclarationFacts;
  readonly criminalRecord: CriminalRecordFacts;
  readonly conduct: ConductFacts;
  readonly exclusionGrounds: ExclusionGroundFacts;
  /** Day the application was received. Absent: not filed yet (pre-check). */
  readonly applicationFiledOn?: LocalDate;
  readonly household?: HouseholdFacts;
}
