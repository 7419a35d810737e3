import { compareLocalDates, LocalDate, parseLocalDate } from '../calendar/localDate';
import { determinePrecedingResidence, findHeldStatusOn, isOpportunityPermit, precedingResidenceConfig, PrecedingResidenceConfig } from './precedingResidence';
import { determineBirthday } from './ageLimit';
import { evaluateBasicOrderAndKnowledge, evaluateExpulsionInterest, expulsionInterestConfig, ExpulsionInterestConfig } from './basicOrder';
import {
  determineEligibleFrom,
  determineOverallStatus,
  makeResidenceCriterion,
  ResidenceCriterion,
  ResidenceEvaluation,
} from './criterion';
import { MinorChildFacts, ResidenceCheckFacts } from './facts';
import { evaluateOralGermanA2 } from './germanLanguage';
import { evaluateIdentityClarified, evaluateObstruction, evaluatePassport } from './identityAndPassport';
import { evaluatePredominantLivelihood, livelihoodConfig, LivelihoodConfig } from './livelihood';
import { determineResidenceRuleSetVersion } from './ruleSet';
import { evaluateChildrenSchoolAttendance, schoolingConfig, SchoolingConfig } from './schooling';

/**
 * Residence permit for sustained integration, § 25b AufenthG. For a tolerated person or the
 * holder of a § 104c AufenthG permit (§ 25b Abs. 1 Satz 1 AufenthG), sustained integration
 * "as a rule" requires (§ 25b Abs. 1 Satz 2 AufenthG):
 * - Nr. 1: six years of uninterrupted tolerated, Gestattung or permitted residence — four years
 *   when living in a household with a minor unmarried child;
 * - Nr. 2: commitment to the free democratic basic order and basic knowledge of the legal and
 *   social order;
 * - Nr. 3: livelihood predominantly from work, or expected (temporary benefits as a rule harmless
 *   in the cases of § 25b Abs. 1 Satz 3 AufenthG);
 * - Nr. 4: oral German at level A2;
 * - Nr. 5: actual school attendance of the children of school age.
 * § 25b Abs. 3 AufenthG waives Nr. 3 and Nr. 4 for illness, disability or age. § 25b Abs. 2
 * AufenthG refuses the permit on deception or non-cooperation (Nr. 1) and on a serious expulsion
 * interest (Nr. 2). The passport requirement (§ 5 Abs. 1 Nr. 4 AufenthG) and identity
 * (§ 5 Abs. 1 Nr. 1a AufenthG) apply.
 * The NRW decree of 26 March 2019 lets authorities shorten the period by up to two years for
 * extra integration achievements: a person who meets the shortened period but not the full one
 * gets `discretion` (configuration `shorteningDecree`).
 */

// Legal choices made as configuration:
// - `shorteningDecree`: reference, maximum shortening, on/off. Applied to the six-year track only
//   (the four-year family track is itself the statute's shortening). (verify)
// Implementation choices:
// - The four-year track needs a minor child living in the household ON the day in question: its
//   window runs from the later of (four years reached, the child's birth) to the day before the
//   child's 18th birthday (§ 187 Abs. 2 Satz 2 BGB). "Unmarried" is not a separate fact: minors'
//   marriages are void or voidable in Germany; a child recorded as living in the household counts.
//   A child whose household membership is `unknown` makes the criterion `unknown` where it
//   would decide it.
// - `becomesMetOn`: when met on `asOf`, the earliest start of a track that holds on `asOf`;
//   otherwise the earliest future start; null if none.

export interface ShorteningDecreeConfig {
  readonly reference: string;
  readonly maxShorteningYears: number;
  readonly enabled: boolean;
  readonly note: string;
}

export const nrwShorteningDecree: ShorteningDecreeConfig = Object.freeze({
  reference: 'Erlass des MKFFI NRW vom 26. März 2019 zu § 25b AufenthG',
  maxShorteningYears: 2,
  enabled: true,
  note: 'Shortening of the preceding residence by up to two years for extra integration achievements; a discretion of the authority. Applied to the six-year track. (verify)',
});

export interface SustainedIntegrationConfig {
  readonly standardYears: number;
  readonly withMinorChildYears: number;
  readonly precedingResidence: PrecedingResidenceConfig;
  readonly shorteningDecree: ShorteningDecreeConfig;
  readonly livelihood: LivelihoodConfig;
  readonly schooling: SchoolingConfig;
  readonly expulsionInterest: ExpulsionInterestConfig;
}

export const sustainedIntegrationConfig: SustainedIntegrationConfig = Object.freeze({
  standardYears: 6,
  withMinorChildYears: 4,
  precedingResidence: precedingResidenceConfig,
  shorteningDecree: nrwShorteningDecree,
  livelihood: livelihoodConfig,
  schooling: schoolingConfig,
  expulsionInterest: expulsionInterestConfig,
});

const RESIDENCE_BASIS = '§ 25b Abs. 1 Satz 2 Nr. 1 AufenthG';

/** § 25b Abs. 1 Satz 1 AufenthG: tolerated, or holding a § 104c AufenthG permit, on `asOf`. */
export function evaluateToleratedOrOpportunityHolder(facts: ResidenceCheckFacts, asOf: LocalDate): ResidenceCriterion {
  const basis = '§ 25b Abs. 1 Satz 1 AufenthG';
  const held = findHeldStatusOn(facts.residenceHistory, asOf);
  if (held !== null && (held.status === 'duldung' || isOpportunityPermit(held))) {
    return makeResidenceCriterion('toleration_or_opportunity_permit', 'met', basis, held.status === 'duldung'
      ? { de: 'Geduldet.', en: 'Tolerated (Duldung).' }
      : { de: 'Inhaber einer Aufenthaltserlaubnis nach § 104c AufenthG.', en: 'Holds a § 104c AufenthG permit.' }, { details: { status: held.status } });
  }
  return makeResidenceCriterion('toleration_or_opportunity_permit', 'not_met', basis, {
    de: 'Weder geduldet noch Inhaber einer Aufenthaltserlaubnis nach § 104c AufenthG.',
    en: 'Neither tolerated nor holding a § 104c AufenthG permit.',
  }, { details: { status: held?.status ?? null } });
}

interface Track {
  readonly from: LocalDate;
  /** First day on which the track no longer holds; null: open. */
  readonly until: LocalDate | null;
  readonly years: number;
  readonly uncertain: boolean;
}

function buildTracks(met6: LocalDate | null, met4: LocalDate | null, children: readonly MinorChildFacts[], config: SustainedIntegrationConfig): Track[] {
  const tracks: Track[] = met6 === null ? [] : [{ from: met6, until: null, years: config.standardYears, uncertain: false }];
  if (met4 === null) {
    return tracks;
  }
  for (const child of children) {
    if (child.livesInHousehold === 'no') {
      continue;
    }
    const from = compareLocalDates(met4, child.dateOfBirth) >= 0 ? met4 : child.dateOfBirth;
    const until = determineBirthday(child.dateOfBirth, 18);
    if (compareLocalDates(from, until) < 0) {
      tracks.push({ from, until, years: config.withMinorChildYears, uncertain: child.livesInHousehold === 'unknown' });
    }
  }
  return tracks;
}

function holdsOn(track: Track, date: LocalDate): boolean {
  return compareLocalDates(track.from, date) <= 0 && (track.until === null || compareLocalDates(date, track.until) < 0);
}

function earliest(tracks: readonly Track[]): Track | null {
  return tracks.reduce<Track | null>((best, track) => (best === null || compareLocalDates(track.from, best.from) < 0 ? track : best), null);
}

/** § 25b Abs. 1 Satz 2 Nr. 1 AufenthG: six years, or four with a minor child in the household; the NRW shortening as discretion. */
export function evaluateSustainedPrecedingResidence(
  facts: ResidenceCheckFacts,
  asOf: LocalDate,
  config: SustainedIntegrationConfig = sustainedIntegrationConfig,
): ResidenceCriterion {
  const history = facts.residenceHistory;
  const full = determinePrecedingResidence(history, asOf, config.standardYears, RESIDENCE_BASIS, config.precedingResidence);
  const family = determinePrecedingResidence(history, asOf, config.withMinorChildYears, RESIDENCE_BASIS, config.precedingResidence);
  const tracks = buildTracks(full.metOn, family.metOn, facts.minorChildren, config);
  const certainNow = tracks.filter((track) => !track.uncertain && holdsOn(track, asOf));
  const details = {
    countingStartsOn: full.count.countingStartsOn,
    countedDays: full.count.countedDays,
    countedYears: full.count.countedYears,
    standardMetOn: full.metOn,
    withMinorChildMetOn: family.metOn,
  };
  const now = earliest(certainNow);
  if (now !== null) {
    return makeResidenceCriterion('preceding_residence', 'met', RESIDENCE_BASIS, {
      de: `Seit ${now.years} Jahren ununterbrochen geduldet, gestattet oder erlaubt${now.years === config.withMinorChildYears ? ' (mit minderjährigem Kind in häuslicher Gemeinschaft)' : ''}.`,
      en: `${now.years} years of uninterrupted tolerated, Gestattung or permitted residence${now.years === config.withMinorChildYears ? ' (living with a minor child)' : ''}.`,
    }, { becomesMetOn: now.from, details: { ...details, requiredYears: now.years } });
  }
  const future = earliest(tracks.filter((track) => !track.uncertain && compareLocalDates(track.from, asOf) > 0));
  const becomesMetOn = future?.from ?? null;
  if (tracks.some((track) => track.uncertain && holdsOn(track, asOf))) {
    return makeResidenceCriterion('preceding_residence', 'unknown', RESIDENCE_BASIS, {
      de: 'Vier Jahre erreicht; ob ein minderjähriges Kind in häuslicher Gemeinschaft lebt, ist nicht festgestellt.',
      en: 'Four years reached; whether a minor child lives in the household is not established.',
    }, { becomesMetOn, details });
  }
  const decree = config.shorteningDecree;
  if (decree.enabled && decree.maxShorteningYears > 0) {
    const shortenedYears = config.standardYears - decree.maxShorteningYears;
    const shortened = determinePrecedingResidence(history, asOf, shortenedYears, RESIDENCE_BASIS, config.precedingResidence);
    if (shortened.metOn !== null && compareLocalDates(shortened.metOn, asOf) <= 0) {
      return makeResidenceCriterion('preceding_residence', 'discretion', RESIDENCE_BASIS, {
        de: `${shortenedYears} von ${config.standardYears} Jahren: Verkürzung um bis zu ${decree.maxShorteningYears} Jahre bei besonderen Integrationsleistungen nach Ermessen (${decree.reference}).`,
        en: `${shortenedYears} of ${config.standardYears} years: shortening by up to ${decree.maxShorteningYears} years for extra integration achievements at discretion (${decree.reference}).`,
      }, { becomesMetOn, details: { ...details, shortenedYears, shortenedMetOn: shortened.metOn, decree: decree.reference, note: decree.note } });
    }
  }
  return makeResidenceCriterion('preceding_residence', 'not_met', RESIDENCE_BASIS, becomesMetOn === null
    ? { de: 'Voraufenthalt nicht erreicht, und der derzeitige Status führt nicht dahin.', en: 'Preceding residence not reached, and the current status does not lead there.' }
    : { de: `Voraufenthalt noch nicht erreicht (erfüllt ab ${becomesMetOn}).`, en: `Preceding residence not yet reached (met from ${becomesMetOn}).` },
  { becomesMetOn, details });
}

/**
 * Evaluates § 25b AufenthG on `asOf`.
 * @returns every criterion, `overall`, `eligibleFrom` (the preceding residence met, if the
 *   current status continues) and `eligibleUntil` (null: § 25b AufenthG has no age limit).
 */
export function evaluateSustainedIntegration(
  facts: ResidenceCheckFacts,
  asOf: LocalDate,
  config: SustainedIntegrationConfig = sustainedIntegrationConfig,
): ResidenceEvaluation {
  parseLocalDate(asOf);
  const ruleSetVersion = determineResidenceRuleSetVersion(asOf);
  const waived = facts.integrationWaiver !== undefined;
  const criteria: ResidenceCriterion[] = [
    evaluateToleratedOrOpportunityHolder(facts, asOf),
    evaluateSustainedPrecedingResidence(facts, asOf, config),
    evaluateBasicOrderAndKnowledge(facts.declaredCommitmentToBasicOrder, facts.indicationsAgainstDemocraticOrder, facts.civicKnowledge),
    evaluatePredominantLivelihood(facts.livelihood, waived, config.livelihood),
    evaluateOralGermanA2(facts.language, asOf, '§ 25b Abs. 1 Satz 2 Nr. 4 AufenthG', { waiver: facts.integrationWaiver, basis: '§ 25b Abs. 3 AufenthG' }),
    evaluateChildrenSchoolAttendance(facts.minorChildren, asOf, '§ 25b Abs. 1 Satz 2 Nr. 5 AufenthG', config.schooling),
    evaluatePassport(facts.passportHeld),
    evaluateIdentityClarified(facts.identityClarified),
    evaluateObstruction(facts.ownDeceptionAboutIdentity, facts.nonCooperation),
    evaluateExpulsionInterest(facts.seriousExpulsionInterest, config.expulsionInterest),
  ];
  return {
    ruleSetVersion,
    rule: '§ 25b AufenthG',
    asOf,
    criteria,
    overall: determineOverallStatus(criteria),
    eligibleFrom: determineEligibleFrom(criteria, null),
    eligibleUntil: null,
  };
}
