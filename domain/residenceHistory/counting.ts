import { addDays, compareLocalDates, daysBetween, LocalDate, parseLocalDate } from '../calendar/localDate';
import { computePeriodEnd, PeriodLength } from '../calendar/periods';
import { findResidencePeriodOn, minDate, sortResidenceHistory } from './periods';
import { ResidenceHistory, ResidencePeriodFact, ResidenceStatus } from './statuses';

/**
 * Counting residence: the machinery shared by every "since N years uninterrupted" rule —
 * § 10 Abs. 1 Satz 1 StAG (lawful habitual residence), § 25a Abs. 1 Satz 1 Nr. 1 AufenthG and
 * § 25b Abs. 1 Satz 2 Nr. 1 AufenthG (permitted, tolerated or Gestattung), § 60d Abs. 1 Nr. 2
 * AufenthG (Duldung). A rule supplies a classifier that says, for each recorded period and each
 * stay abroad between periods, whether its days COUNT, are NEUTRAL (neither count nor
 * interrupt) or INTERRUPT (the period starts again afterwards). This module then finds the
 * current run since the last interruption, the counted days, the completed years and the date on
 * which a required length is or will be reached. Periods are computed with § 187 Abs. 2 BGB and
 * § 188 Abs. 2 BGB, § 188 Abs. 3 BGB.
 */

// Implementation choices:
// - Days are counted strictly BEFORE `asOf`: on `asOf` the person "has" the residence of all
//   earlier days. N years are complete on the day after the last day of the period computed
//   with § 187 Abs. 2 BGB and § 188 Abs. 2 BGB from the first counted day: a period from
//   1 March 2021 completes five years at the end of 28 February 2026, so the requirement is met
//   from 1 March 2026; one from 29 February 2024 is met from 1 March 2029.
// - When days inside the run do not count (neutral), the required number of days is still the
//   BGB length of the period from the first counted day, and the met date moves back by the
//   uncounted days ("Zeiten werden addiert").
// - Days between two recorded periods, and after the last recorded end, are a stay ABROAD (or
//   unrecorded): the classifier decides what they do.
// - Periods starting after `asOf` are ignored: the rule knows only what had happened by then.

/** A reason in German and English. */
export interface SegmentReason {
  readonly de: string;
  readonly en: string;
}

/** Effect of a segment on the period. */
export type SegmentEffect = 'counts' | 'neutral' | 'interrupts';

/** What a classifier says about one recorded period or one stay abroad. */
export interface SegmentClassification {
  readonly effect: SegmentEffect;
  /** The effect depends on a fact not yet known. */
  readonly uncertain: boolean;
  readonly reason: SegmentReason;
  readonly basis: string;
}

/** A stretch of days before `asOf` with one effect. */
export interface ResidenceSegment extends SegmentClassification {
  readonly kind: 'period' | 'absence';
  readonly from: LocalDate;
  /** Last day (inclusive), at most the day before `asOf`. */
  readonly to: LocalDate;
  readonly days: number;
  /** Status of a `period` segment; absent for `absence`. */
  readonly status?: ResidenceStatus;
}

/** A stay abroad (days between recorded periods, or after the last recorded end). */
export interface AbsenceContext {
  readonly from: LocalDate;
  /** Last day of the absence before `asOf`. */
  readonly to: LocalDate;
  /** Still abroad on `asOf` (no later period recorded). */
  readonly ongoing: boolean;
  /** The segment before the absence. */
  readonly previous: ResidenceSegment;
  /** The recorded period after the absence, or null if ongoing. */
  readonly next: ResidencePeriodFact | null;
}

/** A rule's reading of periods and absences. */
export interface ResidenceClassifier {
  classifyPeriod(entry: ResidencePeriodFact): SegmentClassification;
  classifyAbsence(absence: AbsenceContext): SegmentClassification;
}

/** Segments from the first recorded day to the day before `asOf`, each classified. */
export function buildResidenceSegments(history: ResidenceHistory, asOf: LocalDate, classifier: ResidenceClassifier): ResidenceSegment[] {
  parseLocalDate(asOf);
  const lastCountedDay = addDays(asOf, -1);
  const entries = sortResidenceHistory(history).filter((entry) => compareLocalDates(entry.from, asOf) <= 0);
  const segments: ResidenceSegment[] = [];
  const pushAbsence = (from: LocalDate, to: LocalDate, ongoing: boolean, next: ResidencePeriodFact | null): void => {
    const previous = segments[segments.length - 1];
    const classification = classifier.classifyAbsence({ from, to, ongoing, previous, next });
    segments.push({ kind: 'absence', from, to, days: daysBetween(from, to) + 1, ...classification });
  };
  for (const [index, entry] of entries.entries()) {
    if (index > 0) {
      const previousEnd = entries[index - 1].to as LocalDate; // checked by sortResidenceHistory
      const gapFrom = addDays(previousEnd, 1);
      const gapTo = addDays(entry.from, -1);
      if (compareLocalDates(gapFrom, gapTo) <= 0 && segments.length > 0) {
        pushAbsence(gapFrom, gapTo, false, entry);
      }
    }
    const to = entry.to === undefined ? lastCountedDay : minDate(entry.to, lastCountedDay);
    if (compareLocalDates(entry.from, to) <= 0) {
      const classification = classifier.classifyPeriod(entry);
      segments.push({ kind: 'period', from: entry.from, to, days: daysBetween(entry.from, to) + 1, status: entry.status, ...classification });
    }
  }
  const last = entries[entries.length - 1];
  if (last !== undefined && last.to !== undefined && compareLocalDates(last.to, lastCountedDay) < 0 && segments.length > 0) {
    pushAbsence(addDays(last.to, 1), lastCountedDay, true, null);
  }
  return segments;
}

/** The counted residence on `asOf` under one classifier. */
export interface ResidenceCount {
  readonly asOf: LocalDate;
  /** All segments from the first recorded day to the day before `asOf`. */
  readonly segments: readonly ResidenceSegment[];
  /** The last interrupting segment, if any. */
  readonly lastInterruption: ResidenceSegment | null;
  /** First day after the last interruption (or first recorded day); null without history. */
  readonly runStartsOn: LocalDate | null;
  /** First counted day of the current run: the start of the BGB period. */
  readonly countingStartsOn: LocalDate | null;
  /** Counted days in the current run, before `asOf`. */
  readonly countedDays: number;
  /** Completed years (BGB from `countingStartsOn`, uncounted days added). */
  readonly countedYears: number;
  /** Days of the current run whose effect depends on unknown facts. */
  readonly uncertainDays: number;
  /** Status on `asOf`: a recorded status, `'abroad'` between/after periods, null before any period. */
  readonly statusOnAsOf: ResidenceStatus | 'abroad' | null;
}

/** The segments of the current run: after the last interruption. */
export function findCurrentRun(segments: readonly ResidenceSegment[]): readonly ResidenceSegment[] {
  let lastInterruptionIndex = -1;
  segments.forEach((segment, index) => {
    if (segment.effect === 'interrupts') {
      lastInterruptionIndex = index;
    }
  });
  return segments.slice(lastInterruptionIndex + 1);
}

/** Sum of the days of the segments that count. */
export function sumCountedDays(segments: readonly ResidenceSegment[]): number {
  return segments.reduce((sum, segment) => sum + (segment.effect === 'counts' ? segment.days : 0), 0);
}

/**
 * Counts the residence of `history` on `asOf` under `classifier`: the current run since the last
 * interruption, its counted days and completed years (§ 187 Abs. 2 BGB, § 188 Abs. 2 BGB).
 */
export function countResidence(history: ResidenceHistory, asOf: LocalDate, classifier: ResidenceClassifier): ResidenceCount {
  const segments = buildResidenceSegments(history, asOf, classifier);
  const run = findCurrentRun(segments);
  const lastInterruption = run.length === segments.length ? null : segments[segments.length - run.length - 1];
  const firstCounted = run.find((segment) => segment.effect === 'counts');
  const countingStartsOn = firstCounted === undefined ? null : firstCounted.from;
  const countedDays = sumCountedDays(run);
  const onAsOf = findResidencePeriodOn(history, asOf);
  const anyBefore = history.some((entry) => compareLocalDates(entry.from, asOf) <= 0);
  return {
    asOf,
    segments,
    lastInterruption,
    runStartsOn: run.length > 0 ? run[0].from : lastInterruption === null ? null : addDays(lastInterruption.to, 1),
    countingStartsOn,
    countedDays,
    countedYears: computeCompletedYears(countingStartsOn, countedDays),
    uncertainDays: run.reduce((sum, segment) => sum + (segment.uncertain ? segment.days : 0), 0),
    statusOnAsOf: onAsOf !== null ? onAsOf.status : anyBefore ? 'abroad' : null,
  };
}

/** A residence requirement: a number of years, or a `PeriodLength` (e.g. `{ months: 6 }`). */
export type RequiredResidence = number | PeriodLength;

function toPeriodLength(required: RequiredResidence): PeriodLength {
  if (typeof required === 'number') {
    if (!Number.isSafeInteger(required) || required < 0) {
      throw new RangeError(`Years must be a non-negative integer: ${required}`);
    }
    return { years: required };
  }
  return required;
}

function isZeroLength(length: PeriodLength): boolean {
  return (length.years ?? 0) + (length.months ?? 0) + (length.weeks ?? 0) + (length.days ?? 0) === 0;
}

/**
 * Number of days from `countingStartsOn` to the end of a period of `required` (years, or a
 * `PeriodLength`), § 187 Abs. 2 BGB, § 188 Abs. 2 BGB, § 188 Abs. 3 BGB.
 * @returns whole days; 0 for a zero requirement.
 */
export function computeRequiredDays(countingStartsOn: LocalDate, required: RequiredResidence): number {
  const length = toPeriodLength(required);
  if (isZeroLength(length)) {
    return 0;
  }
  const end = computePeriodEnd({ start: countingStartsOn, event: 'start_of_day', length, shiftToWorkingDay: false });
  return daysBetween(countingStartsOn, end.lastDay) + 1;
}

/** Completed years of a run of `countedDays` counted from `countingStartsOn` (§ 188 Abs. 2 BGB). */
export function computeCompletedYears(countingStartsOn: LocalDate | null, countedDays: number): number {
  if (countingStartsOn === null) {
    return 0;
  }
  let years = 0;
  while (computeRequiredDays(countingStartsOn, years + 1) <= countedDays) {
    years += 1;
  }
  return years;
}

/** True if the counted residence reaches `required` (§ 187 Abs. 2 BGB, § 188 Abs. 2 BGB). */
export function isResidencePeriodMet(result: ResidenceCount, required: RequiredResidence): boolean {
  if (isZeroLength(toPeriodLength(required))) {
    return true;
  }
  return result.countingStartsOn !== null && result.countedDays >= computeRequiredDays(result.countingStartsOn, required);
}

/**
 * First date (at most `asOf`) from which the current run has met `requiredYears` (years or a
 * `PeriodLength`), or null if it has not (yet).
 */
export function determineResidenceMetOn(result: ResidenceCount, requiredYears: RequiredResidence): LocalDate | null {
  if (!isResidencePeriodMet(result, requiredYears) || result.countingStartsOn === null) {
    return null;
  }
  const required = computeRequiredDays(result.countingStartsOn, requiredYears);
  if (required === 0) {
    return result.countingStartsOn;
  }
  let counted = 0;
  for (const segment of findCurrentRun(result.segments)) {
    if (segment.effect !== 'counts') {
      continue;
    }
    if (counted + segment.days >= required) {
      // The `required`-th counted day lies in this segment; the requirement is met the day after.
      return addDays(segment.from, required - counted);
    }
    counted += segment.days;
  }
  return null; // unreachable: isResidencePeriodMet checked the sum
}

/**
 * The date on which `requiredYears` are (or were) reached: the met date if already met on
 * `result.asOf`; otherwise, when the status on `asOf` counts (`currentCounts`) and is assumed
 * to continue unchanged, `asOf` plus the missing days; otherwise null (the period cannot be
 * reached under the current status).
 * @returns a `LocalDate`, later than `asOf` when not yet met; or null.
 */
export function projectResidenceMetOn(result: ResidenceCount, requiredYears: RequiredResidence, currentCounts: boolean): LocalDate | null {
  const metOn = determineResidenceMetOn(result, requiredYears);
  if (metOn !== null) {
    return metOn;
  }
  if (!currentCounts) {
    return null;
  }
  const countingStartsOn = result.countingStartsOn ?? result.asOf;
  const missing = computeRequiredDays(countingStartsOn, requiredYears) - result.countedDays;
  return addDays(result.asOf, missing);
}
