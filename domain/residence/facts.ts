import { LocalDate } from '../calendar/localDate';
import type { CefrLevel, IntegrationWaiver, Sentence, TriState } from '../naturalisation/facts';
import type { ResidenceHistory } from '../residenceHistory/statuses';

/**
 * The facts of a residence-law check by the foreign-resident authority (ABH): § 25a AufenthG,
 * § 25b AufenthG, the § 104c AufenthG transition, § 60c AufenthG and § 60d AufenthG. Pure
 * data, no behaviour. The same shape serves the person's stored facts and an explicit "what if".
 *
 * Convention for missing evidence (as in the naturalisation facts): yes/no facts are `TriState`
 * and say `'unknown'` explicitly; an optional value that is absent means "not known / not yet
 * proven". No field defaults to the person's advantage: `unknown` is never read in their favour.
 */

export type { CefrLevel, IntegrationWaiver, Sentence, TriState } from '../naturalisation/facts';

/**
 * Schooling, training, study and qualifications acquired in Germany.
 * - `school`: attendance of a general or vocational school (§ 25a Abs. 1 Satz 1 Nr. 2 AufenthG);
 * - `vocational_training`: vocational training (with `qualified` for § 60c AufenthG);
 * - `study`: study at a university;
 * - `school_qualification`, `vocational_qualification`: a recognised qualification, acquired on `from`.
 */
export interface EducationRecord {
  readonly kind: 'school' | 'vocational_training' | 'study' | 'school_qualification' | 'vocational_qualification';
  /** First day (attendance) or the day the qualification was acquired. */
  readonly from: LocalDate;
  /** Last day of attendance (inclusive). Absent: ongoing (or, for a qualification, not relevant). */
  readonly to?: LocalDate;
  /** Attendance successful (regular, promoted) or qualification passed and recognised. */
  readonly successful: TriState;
  /**
   * For `vocational_training`: a qualified training in a state-recognised or comparably regulated
   * occupation with at least two years of training (§ 60c Abs. 1 Satz 1 Nr. 1 AufenthG). Absent: not known.
   */
  readonly qualified?: TriState;
}

/** Employment (§ 60d Abs. 1 Nr. 3 AufenthG). */
export interface EmploymentRecord {
  readonly from: LocalDate;
  /** Last day (inclusive). Absent: ongoing. */
  readonly to?: LocalDate;
  /** Regular working hours per week. */
  readonly hoursPerWeek: number;
  /** Employment subject to social security contributions (sozialversicherungspflichtig). */
  readonly subjectToSocialSecurity: TriState;
}

/**
 * Ground on which a temporary receipt of benefits is "as a rule harmless" (§ 25b Abs. 1 Satz 3
 * AufenthG): Nr. 1 students and trainees, Nr. 2 families with minor children temporarily
 * needing supplementary benefits, Nr. 3 single parents for whom work is not reasonable,
 * Nr. 4 carers of close relatives.
 */
export type TemporaryBenefitGround = 'student_or_trainee' | 'family_with_minor_children' | 'single_parent' | 'carer';

/** Livelihood (§ 5 Abs. 1 Nr. 1 AufenthG, § 25a Abs. 1 Satz 2 AufenthG, § 25b Abs. 1 Satz 2 Nr. 3 AufenthG). */
export interface LivelihoodSituation {
  /** Share (0 to 1) of the livelihood covered by income from work. Absent: not known. */
  readonly shareFromWork?: number;
  /** Receives public benefits (SGB II, SGB XII, AsylbLG) for the livelihood; Wohngeld is disregarded. */
  readonly receivesBenefits: TriState;
  /** In school, vocational training or study. */
  readonly inEducation: TriState;
  /** Expected to secure the livelihood, given schooling, training, income and family (§ 25b Abs. 1 Satz 2 Nr. 3 AufenthG). */
  readonly securedExpected: TriState;
  /** A ground of § 25b Abs. 1 Satz 3 AufenthG, when benefits are received. Absent: none. */
  readonly temporaryBenefitGround?: TemporaryBenefitGround;
  /** Single parent (§ 60d Abs. 1 Nr. 3 AufenthG in its older form). */
  readonly singleParent: TriState;
}

/** The highest proven German level and the date of the certificate. */
export interface LanguageCertificate {
  readonly level: CefrLevel;
  readonly on: LocalDate;
}

/** Basic knowledge of the legal and social order (§ 25b Abs. 1 Satz 2 Nr. 2 AufenthG). */
export interface CivicKnowledgeFacts {
  /** Orientation course of the integration course completed. */
  readonly orientationCourseCompleted: TriState;
  /** "Leben in Deutschland" test or naturalisation test passed. */
  readonly testPassed: TriState;
}

/** A minor child of the person. */
export interface MinorChildFacts {
  readonly dateOfBirth: LocalDate;
  /** Lives with the person in a common household (häusliche Gemeinschaft). */
  readonly livesInHousehold: TriState;
  /** Actually attends school (relevant while of school age). */
  readonly attendsSchool: TriState;
}

/** All facts of one person's residence-law check. */
export interface ResidenceCheckFacts {
  readonly dateOfBirth: LocalDate;
  /** Day of (last) entry into Germany. Absent: not known (the first recorded period then bounds it). */
  readonly enteredOn?: LocalDate;
  /** Residence history; for a `duldung`, its ground in `permitBasis` (e.g. `'§ 60b AufenthG'`). */
  readonly residenceHistory: ResidenceHistory;
  readonly education: readonly EducationRecord[];
  readonly employment: readonly EmploymentRecord[];
  readonly livelihood: LivelihoodSituation;
  /** Highest proven German level. Absent: nothing proven yet. */
  readonly language?: LanguageCertificate;
  readonly civicKnowledge: CivicKnowledgeFacts;
  /** Commitment to the free democratic basic order declared (§ 25b Abs. 1 Satz 2 Nr. 2 AufenthG). */
  readonly declaredCommitmentToBasicOrder: TriState;
  /** Concrete indications that the person does not support the free democratic basic order. */
  readonly indicationsAgainstDemocraticOrder: TriState;
  /** Holds a valid passport or passport substitute (§ 5 Abs. 1 Nr. 4 AufenthG, § 3 AufenthG). */
  readonly passportHeld: TriState;
  /** Identity and nationality clarified (§ 5 Abs. 1 Nr. 1a AufenthG). */
  readonly identityClarified: TriState;
  /** Deportation is suspended because of the person's OWN false statements or deception about identity or nationality. */
  readonly ownDeceptionAboutIdentity: TriState;
  /** Prevents or delays the end of the stay by not meeting reasonable requirements to cooperate (§ 25b Abs. 2 Nr. 1 AufenthG). */
  readonly nonCooperation: TriState;
  /** Serious expulsion interest as referred to in § 25b Abs. 2 Nr. 2 AufenthG (assessed by the authority). */
  readonly seriousExpulsionInterest: TriState;
  /** Convictions that may still be held against the person. Absent: no register extract yet. */
  readonly sentences?: readonly Sentence[];
  /** The authority's integration prognosis (§ 25a Abs. 1 Satz 1 Nr. 4 AufenthG). Absent: not assessed yet. */
  readonly integrationPrognosis?: TriState;
  /** Waiver confirmed by the authority: illness or disability, or age (§ 25b Abs. 3 AufenthG, § 25a Abs. 1 Satz 1 Nr. 2 Satz 2 AufenthG). */
  readonly integrationWaiver?: IntegrationWaiver;
  readonly minorChildren: readonly MinorChildFacts[];
  /** Day the application (for § 25a, § 25b or the follow-on title) was filed. Absent: not filed (what-if: filed on `asOf`). */
  readonly applicationFiledOn?: LocalDate;
}
