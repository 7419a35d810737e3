import { compareLocalDates, LocalDate, parseLocalDate } from '../calendar/localDate';
import { determineFiktionKind } from '../residenceHistory/permitPurposes';
import { ageLimitConfig, AgeLimitConfig, determineLastDayToApply, evaluateApplicationBefore27, evaluateMinimumAge } from './ageLimit';
import { evaluateNoIndicationsAgainstBasicOrder } from './basicOrder';
import {
  determineEligibleFrom,
  determineOverallStatus,
  makeResidenceCriterion,
  ResidenceCriterion,
  ResidenceEvaluation,
} from './criterion';
import { ResidenceCheckFacts } from './facts';
import { evaluateIdentityClarified, evaluateOwnDeception, evaluatePassport } from './identityAndPassport';
import { evaluateYoungPersonLivelihood } from './livelihood';
import {
  determineDuldungPeriod,
  determinePrecedingResidence,
  findHeldStatusOn,
  holdsOpportunityPermitOn,
  precedingResidenceConfig,
  PrecedingResidenceConfig,
} from './precedingResidence';
import { determineResidenceRuleSetVersion } from './ruleSet';
import { evaluateSchooling, schoolingConfig, SchoolingConfig } from './schooling';

/**
 * Residence permit for well-integrated young people, § 25a Abs. 1 AufenthG (as in force since
 * 31 December 2022). For a person who holds a § 104c AufenthG permit or has held a Duldung for
 * at least twelve months (§ 25a Abs. 1 Satz 1 AufenthG), the permit "should" be granted if
 * - Nr. 1: three years of uninterrupted permitted, tolerated or Gestattung residence;
 * - Nr. 2: as a rule three years of successful schooling, or a recognised qualification;
 * - Nr. 3: the application is filed before the 27th year of life is completed;
 * - Nr. 4: a positive integration prognosis (the authority's assessment);
 * - Nr. 5: no concrete indications against the free democratic basic order;
 * - Satz 2: livelihood, unless in school, vocational training or study;
 * - Satz 3: refused if deportation is suspended because of own deception about identity;
 * - the general requirements: passport (§ 5 Abs. 1 Nr. 4 AufenthG, exceptions at discretion),
 *   identity (§ 5 Abs. 1 Nr. 1a AufenthG); a "Jugendlicher" is at least 14.
 * Statute text checked against the consolidated version (buzer.de, § 25a AufenthG): the time
 * criteria are Nr. 1 and Nr. 2, the age limit Nr. 3 — the issue text numbered them differently.
 */

// Implementation choices:
// - The twelve months of Duldung must be current: the status held on `asOf` must be a Duldung
//   (or a § 81 Abs. 3 Satz 2 AufenthG fiction); an ongoing § 104c AufenthG permit (also one
//   continued under § 81 Abs. 4 AufenthG) meets the alternative from its first day.
// - The integration prognosis without an assessment on record is `discretion`: it is the
//   authority's judgement, not a missing document.
// - `eligibleUntil` is the last day to apply; once an application was filed in time, the age
//   limit is kept and `eligibleUntil` is null.

export interface WellIntegratedYoungPeopleConfig {
  readonly ageLimit: AgeLimitConfig;
  readonly precedingResidence: PrecedingResidenceConfig;
  readonly schooling: SchoolingConfig;
  /** § 25a Abs. 1 Satz 1 Nr. 1 AufenthG. */
  readonly requiredResidenceYears: number;
  /** § 25a Abs. 1 Satz 1 AufenthG. */
  readonly requiredDuldungMonths: number;
}

export const wellIntegratedYoungPeopleConfig: WellIntegratedYoungPeopleConfig = Object.freeze({
  ageLimit: ageLimitConfig,
  precedingResidence: precedingResidenceConfig,
  schooling: schoolingConfig,
  requiredResidenceYears: 3,
  requiredDuldungMonths: 12,
});

/** § 25a Abs. 1 Satz 1 AufenthG: a § 104c AufenthG permit, or twelve months of Duldung held on `asOf`. */
export function evaluateTolerationForYoungPeople(
  facts: ResidenceCheckFacts,
  asOf: LocalDate,
  config: WellIntegratedYoungPeopleConfig = wellIntegratedYoungPeopleConfig,
): ResidenceCriterion {
  const basis = '§ 25a Abs. 1 Satz 1 AufenthG';
  const history = facts.residenceHistory;
  const held = findHeldStatusOn(history, asOf);
  if (held !== null && holdsOpportunityPermitOn(history, asOf)) {
    return makeResidenceCriterion('toleration_or_opportunity_permit', 'met', basis, {
      de: 'Inhaber einer Aufenthaltserlaubnis nach § 104c AufenthG.',
      en: 'Holds a § 104c AufenthG residence permit.',
    }, { becomesMetOn: held.from, details: { status: 'opportunity_permit' } });
  }
  const progress = determineDuldungPeriod(history, asOf, { months: config.requiredDuldungMonths }, basis, config.precedingResidence);
  const holdsDuldung = held !== null && (held.status === 'duldung' || (held.status === 'fiktion' && determineFiktionKind(held.permitBasis) === 'tolerated'));
  const details = { statusOnAsOf: progress.count.statusOnAsOf, duldungSince: progress.count.countingStartsOn, countedDays: progress.count.countedDays };
  if (holdsDuldung && progress.metOn !== null && compareLocalDates(progress.metOn, asOf) <= 0) {
    return makeResidenceCriterion('toleration_or_opportunity_permit', 'met', basis, {
      de: `Seit mindestens ${config.requiredDuldungMonths} Monaten im Besitz einer Duldung.`,
      en: `Has held a Duldung for at least ${config.requiredDuldungMonths} months.`,
    }, { becomesMetOn: progress.metOn, details });
  }
  return makeResidenceCriterion('toleration_or_opportunity_permit', 'not_met', basis, holdsDuldung
    ? { de: `Duldung noch keine ${config.requiredDuldungMonths} Monate (erfüllt ab ${progress.metOn}).`, en: `Duldung held for less than ${config.requiredDuldungMonths} months (met from ${progress.metOn}).` }
    : { de: 'Weder geduldet noch Inhaber einer Aufenthaltserlaubnis nach § 104c AufenthG.', en: 'Neither tolerated nor holding a § 104c AufenthG permit.' },
  { becomesMetOn: holdsDuldung ? progress.metOn : null, details });
}

/** § 25a Abs. 1 Satz 1 Nr. 1 AufenthG: three years of uninterrupted permitted, tolerated or Gestattung residence. */
export function evaluateYoungPersonPrecedingResidence(
  facts: ResidenceCheckFacts,
  asOf: LocalDate,
  config: WellIntegratedYoungPeopleConfig = wellIntegratedYoungPeopleConfig,
): ResidenceCriterion {
  const basis = '§ 25a Abs. 1 Satz 1 Nr. 1 AufenthG';
  const years = config.requiredResidenceYears;
  const { count, metOn } = determinePrecedingResidence(facts.residenceHistory, asOf, years, basis, config.precedingResidence);
  const details = { requiredYears: years, countingStartsOn: count.countingStartsOn, countedDays: count.countedDays, countedYears: count.countedYears };
  if (metOn !== null && compareLocalDates(metOn, asOf) <= 0) {
    return makeResidenceCriterion('preceding_residence', 'met', basis, {
      de: `Seit ${years} Jahren ununterbrochen erlaubt, geduldet oder gestattet im Bundesgebiet.`,
      en: `${years} years of uninterrupted permitted, tolerated or Gestattung residence.`,
    }, { becomesMetOn: metOn, details });
  }
  return makeResidenceCriterion('preceding_residence', 'not_met', basis, metOn === null
    ? { de: `Keine ${years} Jahre ununterbrochener Voraufenthalt, und der derzeitige Status führt nicht dahin.`, en: `No ${years} years of uninterrupted residence, and the current status does not lead there.` }
    : { de: `Noch keine ${years} Jahre ununterbrochener Voraufenthalt (erfüllt ab ${metOn}).`, en: `Not yet ${years} years of uninterrupted residence (met from ${metOn}).` },
  { becomesMetOn: metOn, details });
}

/** § 25a Abs. 1 Satz 1 Nr. 4 AufenthG: the authority's integration prognosis. */
function evaluateIntegrationPrognosis(facts: ResidenceCheckFacts): ResidenceCriterion {
  const basis = '§ 25a Abs. 1 Satz 1 Nr. 4 AufenthG';
  const details = { sentencesOnRecord: facts.sentences?.length ?? null };
  if (facts.integrationPrognosis === 'yes') {
    return makeResidenceCriterion('integration_prognosis', 'met', basis, { de: 'Positive Integrationsprognose festgestellt.', en: 'Positive integration prognosis established.' }, { details });
  }
  if (facts.integrationPrognosis === 'no') {
    return makeResidenceCriterion('integration_prognosis', 'not_met', basis, { de: 'Keine positive Integrationsprognose.', en: 'No positive integration prognosis.' }, { details });
  }
  return makeResidenceCriterion('integration_prognosis', 'discretion', basis, {
    de: 'Integrationsprognose (Ausbildung, Lebensverhältnisse, Straftaten) ist von der Behörde zu beurteilen.',
    en: 'The integration prognosis (education, living conditions, offences) is for the authority to assess.',
  }, { details });
}

/**
 * Evaluates § 25a Abs. 1 AufenthG on `asOf` (the decision day; with `applicationFiledOn` absent,
 * a what-if "applied on `asOf`").
 * @returns every criterion, `overall`, `eligibleFrom` (all time criteria met, if the current
 *   status continues) and `eligibleUntil` (the last day to apply: the day before the 27th birthday).
 */
export function evaluateWellIntegratedYoungPeople(
  facts: ResidenceCheckFacts,
  asOf: LocalDate,
  config: WellIntegratedYoungPeopleConfig = wellIntegratedYoungPeopleConfig,
): ResidenceEvaluation {
  parseLocalDate(asOf);
  const ruleSetVersion = determineResidenceRuleSetVersion(asOf);
  const criteria: ResidenceCriterion[] = [
    evaluateTolerationForYoungPeople(facts, asOf, config),
    evaluateYoungPersonPrecedingResidence(facts, asOf, config),
    evaluateSchooling(facts.education, asOf, facts.integrationWaiver, config.schooling),
    evaluateMinimumAge(facts.dateOfBirth, asOf, config.ageLimit),
    evaluateApplicationBefore27(facts.dateOfBirth, asOf, facts.applicationFiledOn, config.ageLimit),
    evaluateIntegrationPrognosis(facts),
    evaluateNoIndicationsAgainstBasicOrder(facts.indicationsAgainstDemocraticOrder),
    evaluateYoungPersonLivelihood(facts.livelihood),
    evaluatePassport(facts.passportHeld),
    evaluateIdentityClarified(facts.identityClarified),
    evaluateOwnDeception(facts.ownDeceptionAboutIdentity),
  ];
  const lastDayToApply = determineLastDayToApply(facts.dateOfBirth, config.ageLimit);
  const filedInTime = facts.applicationFiledOn !== undefined && compareLocalDates(facts.applicationFiledOn, lastDayToApply) <= 0;
  const eligibleUntil = filedInTime ? null : lastDayToApply;
  return {
    ruleSetVersion,
    rule: '§ 25a AufenthG',
    asOf,
    criteria,
    overall: determineOverallStatus(criteria),
    eligibleFrom: determineEligibleFrom(criteria, eligibleUntil),
    eligibleUntil,
  };
}
