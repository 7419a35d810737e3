import { addDays, compareLocalDates, daysBetween, LocalDate, parseLocalDate } from '../calendar/localDate';
import { ResidenceHistory, ResidencePeriodFact } from './statuses';

/**
 * Arithmetic on dated periods (`from`–`to`, both inclusive, `to` absent = ongoing) as every
 * residence rule needs it: validating and sorting a residence history, finding the period on a
 * day, merging periods, the gaps between them, the days under a predicate and the uninterrupted
 * stretch that reaches a day. No legal judgement: the callers decide what a period counts for.
 */

// Implementation: dates are `LocalDate` strings; an ongoing period is clipped where a caller
// needs an end (usually the day before `asOf`: on `asOf` a person "has" all earlier days).

/** A period of days: `from` to `to` inclusive; `to` absent = ongoing. */
export interface DatedPeriod {
  readonly from: LocalDate;
  readonly to?: LocalDate;
}

/** A closed period of days, `from` to `to` inclusive. */
export interface ClosedPeriod {
  readonly from: LocalDate;
  readonly to: LocalDate;
}

/**
 * The history sorted by start, after checking every date and that periods neither end before
 * they start nor overlap. Throws `RangeError` otherwise.
 */
export function sortResidenceHistory(history: ResidenceHistory): ResidencePeriodFact[] {
  const sorted = [...history].sort((a, b) => compareLocalDates(a.from, b.from));
  for (const entry of sorted) {
    parseLocalDate(entry.from);
    if (entry.to !== undefined && compareLocalDates(parseLocalDate(entry.to), entry.from) < 0) {
      throw new RangeError(`Residence period ends before it starts: ${entry.from} – ${entry.to}`);
    }
  }
  for (let index = 1; index < sorted.length; index += 1) {
    const previous = sorted[index - 1];
    if (previous.to === undefined || compareLocalDates(previous.to, sorted[index].from) >= 0) {
      throw new RangeError(`Residence periods overlap: ${previous.from} and ${sorted[index].from}`);
    }
  }
  return sorted;
}

/** True if `date` lies within `period` (both ends inclusive; open end = ongoing). */
export function isDateInPeriod(period: DatedPeriod, date: LocalDate): boolean {
  return compareLocalDates(period.from, date) <= 0 && (period.to === undefined || compareLocalDates(date, period.to) <= 0);
}

/** The recorded period covering `date`, or null. */
export function findResidencePeriodOn(history: ResidenceHistory, date: LocalDate): ResidencePeriodFact | null {
  return sortResidenceHistory(history).find((entry) => isDateInPeriod(entry, date)) ?? null;
}

/** Number of days of a closed period (both ends inclusive). */
export function countPeriodDays(period: ClosedPeriod): number {
  return daysBetween(period.from, period.to) + 1;
}

/**
 * The part of `period` up to and including `lastDay`, or null if it starts later. An ongoing
 * period ends on `lastDay`.
 */
export function clipPeriod(period: DatedPeriod, lastDay: LocalDate): ClosedPeriod | null {
  if (compareLocalDates(period.from, lastDay) > 0) {
    return null;
  }
  const to = period.to === undefined || compareLocalDates(period.to, lastDay) > 0 ? lastDay : period.to;
  return { from: period.from, to };
}

/**
 * Periods merged where they overlap or touch (the next starts on the day after the previous
 * ends, or within `toleratedGapDays` days after it), sorted by start. Ongoing periods stay open.
 */
export function mergePeriods(periods: readonly DatedPeriod[], toleratedGapDays = 0): DatedPeriod[] {
  if (!Number.isSafeInteger(toleratedGapDays) || toleratedGapDays < 0) {
    throw new RangeError(`Tolerated gap must be a non-negative integer: ${toleratedGapDays}`);
  }
  const sorted = [...periods].sort((a, b) => compareLocalDates(a.from, b.from));
  const merged: { from: LocalDate; to?: LocalDate }[] = [];
  for (const period of sorted) {
    if (period.to !== undefined && compareLocalDates(period.to, period.from) < 0) {
      throw new RangeError(`Period ends before it starts: ${period.from} – ${period.to}`);
    }
    const last = merged[merged.length - 1];
    if (last !== undefined && (last.to === undefined || compareLocalDates(period.from, addDays(last.to, toleratedGapDays + 1)) <= 0)) {
      if (last.to !== undefined && (period.to === undefined || compareLocalDates(period.to, last.to) > 0)) {
        last.to = period.to;
      }
      continue;
    }
    merged.push(period.to === undefined ? { from: period.from } : { from: period.from, to: period.to });
  }
  return merged;
}

/** The gaps (days covered by no period) between the first start and `lastDay`, in order. */
export function findGaps(periods: readonly DatedPeriod[], lastDay: LocalDate): ClosedPeriod[] {
  const gaps: ClosedPeriod[] = [];
  const merged = mergePeriods(periods);
  for (let index = 1; index < merged.length; index += 1) {
    const previousEnd = merged[index - 1].to as LocalDate; // merged: only the last may be open
    const gapTo = minDate(addDays(merged[index].from, -1), lastDay);
    const gapFrom = addDays(previousEnd, 1);
    if (compareLocalDates(gapFrom, gapTo) <= 0) {
      gaps.push({ from: gapFrom, to: gapTo });
    }
  }
  const last = merged[merged.length - 1];
  if (last !== undefined && last.to !== undefined && compareLocalDates(last.to, lastDay) < 0) {
    gaps.push({ from: addDays(last.to, 1), to: lastDay });
  }
  return gaps;
}

/**
 * Days up to and including `lastDay` covered by periods that satisfy `predicate` (overlaps
 * counted once).
 * @returns whole days, 0 if none.
 */
export function countDaysWhere<T extends DatedPeriod>(periods: readonly T[], lastDay: LocalDate, predicate: (period: T) => boolean): number {
  const clipped = periods
    .filter(predicate)
    .map((period) => clipPeriod(period, lastDay))
    .filter((period): period is ClosedPeriod => period !== null);
  return mergePeriods(clipped).reduce((sum, period) => sum + countPeriodDays(period as ClosedPeriod), 0);
}

/**
 * The uninterrupted stretch of periods satisfying `predicate` that covers `day`, merging periods
 * that touch or are at most `toleratedGapDays` apart; null if `day` is not covered. The stretch
 * keeps an open end when its last period is ongoing.
 */
export function findStretchCovering<T extends DatedPeriod>(
  periods: readonly T[],
  day: LocalDate,
  predicate: (period: T) => boolean,
  toleratedGapDays = 0,
): DatedPeriod | null {
  const merged = mergePeriods(periods.filter(predicate), toleratedGapDays);
  return merged.find((stretch) => isDateInPeriod(stretch, day)) ?? null;
}

/** The earlier of two dates. */
export function minDate(a: LocalDate, b: LocalDate): LocalDate {
  return compareLocalDates(a, b) <= 0 ? a : b;
}

/** The later of two dates. */
export function maxDate(a: LocalDate, b: LocalDate): LocalDate {
  return compareLocalDates(a, b) >= 0 ? a : b;
}

/**
 * The history as it would be if the status on `date` continued unchanged: the period covering
 * `date` becomes ongoing and every later period is dropped. Without a period on `date` the
 * history is returned up to `date` (nothing continues). Used to project "if the current status
 * continues" dates; the recorded end of a document is ignored because it is expected to be renewed.
 */
export function assumeStatusContinues(history: ResidenceHistory, date: LocalDate): ResidenceHistory {
  const sorted = sortResidenceHistory(history).filter((entry) => compareLocalDates(entry.from, date) <= 0);
  return sorted.map((entry) => {
    if (!isDateInPeriod(entry, date) || entry.to === undefined) {
      return entry;
    }
    const { to: _ignored, ...ongoing } = entry;
    return ongoing;
  });
}
