import { compareLocalDates, LocalDate, parseLocalDate } from '../calendar/localDate';

/**
 * Values that change on a date ("dated histories"): thresholds, required periods, lists of
 * excluded permit purposes. Each entry applies from `validFrom` (inclusive) until the next
 * entry's `validFrom`. The law at the time of the decision applies, so callers look the value up
 * on the decision date (`asOf`).
 */

// Implementation: a date before the first entry is an ERROR (RangeError), never silently the
// oldest value — the rule set does not know the law of that time. Entries must be strictly
// ascending by `validFrom`; this is checked on every lookup (histories are short).

export interface Dated<T> {
  /** First day (inclusive) on which `value` applies. */
  readonly validFrom: LocalDate;
  readonly value: T;
  /** Provision establishing the value, e.g. `'§ 10 Abs. 1 Satz 1 StAG'`. */
  readonly basis?: string;
}

export type DatedHistory<T> = readonly Dated<T>[];

/** The entry of `history` in force on `on`; throws `RangeError` before the first entry. */
export function findDatedEntry<T>(history: DatedHistory<T>, on: LocalDate): Dated<T> {
  parseLocalDate(on);
  if (history.length === 0) {
    throw new RangeError('Dated history is empty');
  }
  for (let index = 1; index < history.length; index += 1) {
    if (compareLocalDates(history[index - 1].validFrom, history[index].validFrom) >= 0) {
      throw new RangeError(`Dated history is not strictly ascending at ${history[index].validFrom}`);
    }
  }
  if (compareLocalDates(on, history[0].validFrom) < 0) {
    throw new RangeError(`No value in force on ${on}: the history starts on ${history[0].validFrom}`);
  }
  let found = history[0];
  for (const entry of history) {
    if (compareLocalDates(entry.validFrom, on) <= 0) {
      found = entry;
    }
  }
  return found;
}

/** The value of `history` in force on `on`; throws `RangeError` before the first entry. */
export function findDatedValue<T>(history: DatedHistory<T>, on: LocalDate): T {
  return findDatedEntry(history, on).value;
}
