import { LocalDate } from '../../calendar/localDate';
import { Criterion, makeCriterion } from '../criterion';
import { ResidenceHistory } from '../facts';
import { computeRequiredDays, determineResidenceMetOn, isResidencePeriodMet, RequiredResidence } from '../../residenceHistory/counting';
import {
  computeResidencePeriod,
  determineEarliestResidenceDate,
  ResidenceCountingConfig,
  residenceCountingConfig,
} from '../residencePeriod';

// The counting of the period itself (which statuses count, interruptions, § 12b StAG) is
// `residencePeriod.ts`; this file turns its result into the criterion.

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
