import { addDays, compareLocalDates, LocalDate } from '../calendar/localDate';
import { computePeriodEnd } from '../calendar/periods';
import {
  AbsenceContext,
  countResidence,
  projectResidenceMetOn,
  RequiredResidence,
  ResidenceClassifier,
  ResidenceCount,
  SegmentClassification,
} from '../residenceHistory/counting';
import { findResidencePeriodOn } from '../residenceHistory/periods';
import { determineFiktionKind, isPermitBasisUnder } from '../residenceHistory/permitPurposes';
import { ResidenceHistory, ResidencePeriodFact } from '../residenceHistory/statuses';

/**
 * Preceding residence ("Voraufenthalt") for the residence titles of well-integrated people:
 * - § 25a Abs. 1 Satz 1 Nr. 1 AufenthG and § 25b Abs. 1 Satz 2 Nr. 1 AufenthG: residence
 *   "ununterbrochen geduldet, gestattet oder mit einer Aufenthaltserlaubnis" — every permit,
 *   a Duldung, a Gestattung and a § 81 AufenthG fiction count; a stay without status interrupts,
 *   and so does a stay abroad (or an unrecorded gap) beyond a short interruption;
 * - § 25a Abs. 1 Satz 1 AufenthG and § 60d Abs. 1 Nr. 2 AufenthG: "seit mindestens zwölf Monaten
 *   im Besitz einer Duldung" — only a Duldung (and the § 81 Abs. 3 Satz 2 AufenthG fiction, which
 *   is one) counts, anything else interrupts;
 * - § 60b Abs. 5 Satz 1 AufenthG: periods of a Duldung for persons with unclarified identity are
 *   not counted as preceding periods — except for holders of a § 104c AufenthG permit
 *   (§ 104c Abs. 3 AufenthG).
 */

// Legal choices made as configuration (`precedingResidenceConfig`):
// - Short interruptions: the BMI application notes on § 25b AufenthG treat a one-off interruption
//   of up to three months as harmless; a longer one restarts the period. Applied here to every
//   gap between recorded periods (a stay abroad or a lapse between two Duldungen), at most
//   `maxCount` times per run; the tolerated days do not count. (verify for § 25a AufenthG)
// - § 60b AufenthG periods are neutral (neither counted nor interrupting). (verify)
// Implementation choices:
// - A gap is measured with § 187 Abs. 2 BGB and § 188 Abs. 2 BGB from its first day, as in the
//   naturalisation rules; an ongoing gap on `asOf` is judged by its length so far.
// - "If the current status continues": the projection uses the status on `asOf`; a recorded end
//   of that document is ignored (documents are renewed).

export interface PrecedingResidenceConfig {
  readonly shortInterruption: {
    readonly maxMonths: number;
    /** How many short interruptions one run tolerates. */
    readonly maxCount: number;
    readonly basis: string;
    readonly note: string;
  };
  readonly duldungLight: {
    readonly counts: boolean;
    readonly basis: string;
    readonly countsForOpportunityPermitHolders: boolean;
    readonly holderBasis: string;
    readonly note: string;
  };
}

export const precedingResidenceConfig: PrecedingResidenceConfig = Object.freeze({
  shortInterruption: Object.freeze({
    maxMonths: 3,
    maxCount: 1,
    basis: '§ 25b Abs. 1 Satz 2 Nr. 1 AufenthG',
    note:
      'BMI application notes on § 25b AufenthG: a one-off short interruption of up to three months is harmless; a ' +
      'longer one restarts the period. Applied to § 25a AufenthG alike. The tolerated days are not counted. (verify)',
  }),
  duldungLight: Object.freeze({
    counts: false,
    basis: '§ 60b Abs. 5 Satz 1 AufenthG',
    countsForOpportunityPermitHolders: true,
    holderBasis: '§ 104c Abs. 3 AufenthG',
    note:
      'Periods of a Duldung for persons with unclarified identity are not counted as preceding periods (neutral: they ' +
      'do not interrupt either). Holders of a § 104c AufenthG permit have them counted. (verify)',
  }),
});

/** True if the period is a § 104c AufenthG opportunity permit. */
export function isOpportunityPermit(entry: ResidencePeriodFact): boolean {
  return entry.status === 'permit' && isPermitBasisUnder(entry.permitBasis, '104c');
}

/** True if the period is a Duldung for persons with unclarified identity (§ 60b AufenthG). */
export function isDuldungLight(entry: ResidencePeriodFact): boolean {
  return entry.status === 'duldung' && isPermitBasisUnder(entry.permitBasis, '60b');
}

/**
 * The status held on `date`, with a § 81 Abs. 4 Satz 1 AufenthG continuation resolved to the
 * title it continues (the period ending the day before the fiction starts); null if none.
 */
export function findHeldStatusOn(history: ResidenceHistory, date: LocalDate): ResidencePeriodFact | null {
  const entry = findResidencePeriodOn(history, date);
  if (entry === null || entry.status !== 'fiktion' || determineFiktionKind(entry.permitBasis) !== 'continued') {
    return entry;
  }
  const previous = findResidencePeriodOn(history, addDays(entry.from, -1));
  return previous !== null && previous.status !== 'fiktion' ? previous : entry;
}

/** True if the person holds (or continues under § 81 Abs. 4 AufenthG) a § 104c AufenthG permit on `date`. */
export function holdsOpportunityPermitOn(history: ResidenceHistory, date: LocalDate): boolean {
  const held = findHeldStatusOn(history, date);
  return held !== null && isOpportunityPermit(held);
}

/** True if the person ever held a § 104c AufenthG permit up to `date`. */
function hasHeldOpportunityPermit(history: ResidenceHistory, date: LocalDate): boolean {
  return history.some((entry) => isOpportunityPermit(entry) && compareLocalDates(entry.from, date) <= 0);
}

const COUNTS = (basis: string, de: string, en: string): SegmentClassification => ({ effect: 'counts', uncertain: false, basis, reason: { de, en } });

/** Short interruptions tolerated so far in the current run (reset by every interruption). */
interface RunState {
  tolerated: number;
}

function interrupts(state: RunState, classification: SegmentClassification): SegmentClassification {
  state.tolerated = 0;
  return classification;
}

function classifyGap(absence: AbsenceContext, state: RunState, config: PrecedingResidenceConfig, basis: string): SegmentClassification {
  const { maxMonths, maxCount } = config.shortInterruption;
  const limit = computePeriodEnd({ start: absence.from, event: 'start_of_day', length: { months: maxMonths }, shiftToWorkingDay: false }).lastDay;
  if (compareLocalDates(absence.to, limit) <= 0 && state.tolerated < maxCount && absence.previous.effect !== 'interrupts') {
    state.tolerated += 1;
    return {
      effect: 'neutral',
      uncertain: false,
      basis: config.shortInterruption.basis,
      reason: {
        de: `Kurzfristige Unterbrechung bis zu ${maxMonths} Monaten ist unschädlich; die Tage zählen nicht.`,
        en: `A short interruption of up to ${maxMonths} months is harmless; its days do not count.`,
      },
    };
  }
  return interrupts(state, {
    effect: 'interrupts',
    uncertain: false,
    basis,
    reason: {
      de: 'Lücke im Aufenthalt (Ausland oder ohne erfassten Status): der Zeitraum beginnt danach neu.',
      en: 'A gap in the residence (abroad or without recorded status): the period starts again afterwards.',
    },
  });
}

function classifyDuldungLight(config: PrecedingResidenceConfig, holder: boolean): SegmentClassification {
  if (holder && config.duldungLight.countsForOpportunityPermitHolders) {
    return COUNTS(config.duldungLight.holderBasis, 'Duldung nach § 60b AufenthG zählt für Inhaber einer Aufenthaltserlaubnis nach § 104c AufenthG.', 'A § 60b AufenthG Duldung counts for holders of a § 104c AufenthG permit.');
  }
  return {
    effect: config.duldungLight.counts ? 'counts' : 'neutral',
    uncertain: false,
    basis: config.duldungLight.basis,
    reason: {
      de: 'Zeiten einer Duldung für Personen mit ungeklärter Identität werden nicht als Vorduldungszeiten angerechnet.',
      en: 'Periods of a Duldung for persons with unclarified identity are not counted as preceding periods.',
    },
  };
}

/** Classifier of § 25a Abs. 1 Satz 1 Nr. 1 AufenthG / § 25b Abs. 1 Satz 2 Nr. 1 AufenthG. */
function createPrecedingResidenceClassifier(config: PrecedingResidenceConfig, holder: boolean, basis: string): ResidenceClassifier {
  const state: RunState = { tolerated: 0 };
  return {
    classifyPeriod: (entry) => {
      if (isDuldungLight(entry)) {
        return classifyDuldungLight(config, holder);
      }
      if (entry.status === 'none') {
        return interrupts(state, {
          effect: 'interrupts',
          uncertain: false,
          basis,
          reason: { de: 'Aufenthalt ohne Status unterbricht den Voraufenthalt.', en: 'A stay without any status interrupts the preceding residence.' },
        });
      }
      return COUNTS(basis, 'Erlaubter, geduldeter oder gestatteter Aufenthalt.', 'Permitted, tolerated or Gestattung residence.');
    },
    classifyAbsence: (absence) => classifyGap(absence, state, config, basis),
  };
}

/** Classifier of "im Besitz einer Duldung" (§ 25a Abs. 1 Satz 1 AufenthG, § 60d Abs. 1 Nr. 2 AufenthG). */
function createDuldungClassifier(config: PrecedingResidenceConfig, basis: string): ResidenceClassifier {
  const state: RunState = { tolerated: 0 };
  return {
    classifyPeriod: (entry) => {
      if (isDuldungLight(entry)) {
        return classifyDuldungLight(config, false);
      }
      if (entry.status === 'duldung' || (entry.status === 'fiktion' && determineFiktionKind(entry.permitBasis) === 'tolerated')) {
        return COUNTS(basis, 'Im Besitz einer Duldung.', 'Holds a Duldung.');
      }
      return interrupts(state, {
        effect: 'interrupts',
        uncertain: false,
        basis,
        reason: { de: 'Kein Duldungsbesitz: die Duldungszeit beginnt danach neu.', en: 'No Duldung held: the Duldung period starts again afterwards.' },
      });
    },
    classifyAbsence: (absence) => classifyGap(absence, state, config, basis),
  };
}

/** Counted residence and the date `required` is (or, if the status continues, will be) reached. */
export interface PeriodProgress {
  readonly count: ResidenceCount;
  /** The date the requirement is or will be met; null if it cannot be reached under the current status. */
  readonly metOn: LocalDate | null;
}

function project(history: ResidenceHistory, asOf: LocalDate, required: RequiredResidence, classifier: () => ResidenceClassifier): PeriodProgress {
  const count = countResidence(history, asOf, classifier());
  const current = findResidencePeriodOn(history, asOf);
  const currentCounts = current !== null && classifier().classifyPeriod(current).effect === 'counts';
  return { count, metOn: projectResidenceMetOn(count, required, currentCounts) };
}

/**
 * Uninterrupted permitted, tolerated or Gestattung residence on `asOf` and the date `required`
 * is reached (§ 25a Abs. 1 Satz 1 Nr. 1 AufenthG, § 25b Abs. 1 Satz 2 Nr. 1 AufenthG).
 * @returns days counted before `asOf`, and the met date (BGB, § 187 Abs. 2 BGB, § 188 Abs. 2 BGB).
 */
export function determinePrecedingResidence(
  history: ResidenceHistory,
  asOf: LocalDate,
  required: RequiredResidence,
  basis: string,
  config: PrecedingResidenceConfig = precedingResidenceConfig,
): PeriodProgress {
  const holder = hasHeldOpportunityPermit(history, asOf);
  return project(history, asOf, required, () => createPrecedingResidenceClassifier(config, holder, basis));
}

/**
 * Uninterrupted possession of a Duldung on `asOf` and the date `required` is reached
 * (§ 25a Abs. 1 Satz 1 AufenthG: twelve months; § 60d Abs. 1 Nr. 2 AufenthG: twelve months).
 */
export function determineDuldungPeriod(
  history: ResidenceHistory,
  asOf: LocalDate,
  required: RequiredResidence,
  basis: string,
  config: PrecedingResidenceConfig = precedingResidenceConfig,
): PeriodProgress {
  return project(history, asOf, required, () => createDuldungClassifier(config, basis));
}
