import { addDays, compareLocalDates, daysBetween, LocalDate, parseLocalDate } from '../calendar/localDate';
import { computePeriodEnd, PeriodLength } from '../calendar/periods';
import { LocalizedText } from './criterion';
import { DatedHistory, findDatedEntry } from './datedHistory';
import { ResidenceHistory, ResidencePeriodFact, ResidenceStatus } from './facts';
import { parsePermitBasis } from './permitBasis';

/**
 * Lawful habitual residence in Germany ("seit fünf Jahren rechtmäßig seinen gewöhnlichen
 * Aufenthalt im Inland"), § 10 Abs. 1 Satz 1 StAG, with the interruption rules of § 12b StAG.
 *
 * What counts:
 * - a residence permit, a permanent right of residence, EU/EEA/Swiss free movement, a Blue Card;
 * - a period under § 81 Abs. 3 Satz 1 AufenthG or § 81 Abs. 4 AufenthG (Fiktionsbescheinigung);
 * - a Gestattung only if protection was later granted (§ 55 Abs. 3 AsylG);
 * - a stay abroad of up to six months (§ 12b Abs. 1 Satz 1 StAG) following a counted period.
 * What does not count:
 * - a Duldung, or a § 81 Abs. 3 Satz 2 AufenthG fiction (which is a Duldung), and a stay without
 *   any status: these are not lawful and INTERRUPT the period — it starts again afterwards;
 * - a stay abroad of more than six months INTERRUPTS, unless the person re-entered within the
 *   period set by the foreign-resident authority (§ 12b Abs. 1 Satz 2 StAG) or within three
 *   months after military service (§ 12b Abs. 1 Satz 3 StAG);
 * - a Gestattung without later protection: lawful (§ 55 Abs. 1 AsylG), so it does not interrupt,
 *   but it is not counted;
 * - a lapse of lawfulness caused only by a late application (§ 12b Abs. 3 StAG) does not
 *   interrupt; whether its days count is configuration.
 * After an interruption by a long stay abroad, up to five years of the earlier residence MAY be
 * credited (§ 12b Abs. 2 StAG, discretion); this is reported, never counted.
 */

// Implementation choices (see `residenceCountingConfig` for the legal ones):
// - Days are counted strictly BEFORE `asOf`: on `asOf` the person "has" the residence of all
//   earlier days. Five years are complete on the day after the last day of the period computed
//   with § 187 Abs. 2 BGB and § 188 Abs. 2 BGB from the first counted day: a permit from
//   1 March 2021 completes five years at the end of 28 February 2026, so the requirement is met
//   from 1 March 2026; one from 29 February 2024 is met from 1 March 2029.
// - When days inside the run do not count (a neutral Gestattung, a permitted long absence), the
//   required number of days is still the BGB length of the period from the first counted day,
//   and the met date moves back by the uncounted days ("Zeiten werden addiert").
// - Days between two recorded periods are a stay ABROAD. A stay in Germany without status must
//   be recorded as `status: 'none'`. A stay abroad counts only if the period before it counted:
//   there is no lawful status to continue otherwise.
// - "Up to six months" is measured with § 187 Abs. 2 BGB and § 188 Abs. 2 BGB from the first
//   day abroad (the day after the last recorded day).
// - An ongoing stay abroad on `asOf` that already exceeds six months interrupts; the possibility
//   that the authority set a longer re-entry period is then not known and not assumed.
// - Periods starting after `asOf` are ignored: the rule knows only what had happened by then.

/** Required years of residence and the shortened tracks in force on a date. */
export interface ResidenceRequirement {
  /** Standard requirement, § 10 Abs. 1 Satz 1 StAG. */
  readonly standardYears: number;
  /** Shortened tracks in force (informational; not evaluated by this rule set). */
  readonly shortenedTracks: readonly { readonly years: number; readonly basis: string; readonly condition: string }[];
}

/**
 * Dated history of the required residence. § 85 Abs. 1 AuslG (2000–2004) and § 10 Abs. 1 Satz 1
 * StAG: 8 years until 26 June 2024; 5 years from 27 June 2024 (Gesetz zur Modernisierung des
 * Staatsangehörigkeitsrechts). The 3-year track for special integration achievements
 * (§ 10 Abs. 3 StAG a.F.) existed from 27 June 2024 and was deleted with effect from
 * 30 October 2025.
 */
export const requiredResidenceHistory: DatedHistory<ResidenceRequirement> = Object.freeze([
  {
    validFrom: '2000-01-01',
    basis: '§ 85 Abs. 1 Satz 1 AuslG',
    value: { standardYears: 8, shortenedTracks: [] },
  },
  {
    validFrom: '2005-01-01',
    basis: '§ 10 Abs. 1 Satz 1 StAG',
    value: {
      standardYears: 8,
      shortenedTracks: [{ years: 7, basis: '§ 10 Abs. 3 Satz 1 StAG', condition: 'integration course completed' }],
    },
  },
  {
    validFrom: '2007-08-28',
    basis: '§ 10 Abs. 1 Satz 1 StAG',
    value: {
      standardYears: 8,
      shortenedTracks: [
        { years: 7, basis: '§ 10 Abs. 3 Satz 1 StAG', condition: 'integration course completed' },
        { years: 6, basis: '§ 10 Abs. 3 Satz 2 StAG', condition: 'special integration achievements' },
      ],
    },
  },
  {
    validFrom: '2024-06-27',
    basis: '§ 10 Abs. 1 Satz 1 StAG',
    value: {
      standardYears: 5,
      shortenedTracks: [{ years: 3, basis: '§ 10 Abs. 3 StAG', condition: 'special integration achievements' }],
    },
  },
  {
    validFrom: '2025-10-30',
    basis: '§ 10 Abs. 1 Satz 1 StAG',
    value: { standardYears: 5, shortenedTracks: [] },
  },
]);

/**
 * Required years of lawful habitual residence on `asOf` (§ 10 Abs. 1 Satz 1 StAG).
 * Throws `RangeError` before 1 January 2000.
 */
export function determineRequiredResidenceYears(asOf: LocalDate): number {
  return findDatedEntry(requiredResidenceHistory, asOf).value.standardYears;
}

/** Legal choices of the counting, each with its basis. */
export interface ResidenceCountingConfig {
  readonly shortAbsence: {
    /** Longest stay abroad that does not interrupt. */
    readonly maxMonths: number;
    /** Whether such a stay counts towards the period (when the period before it counted). */
    readonly counts: boolean;
    readonly basis: string;
    readonly note: string;
  };
  readonly permittedLongAbsence: { readonly counts: boolean; readonly basis: string; readonly note: string };
  readonly lateApplication: { readonly counts: boolean; readonly basis: string; readonly note: string };
  readonly duldung: { readonly interrupts: boolean; readonly basis: string; readonly note: string };
  readonly earlierResidenceCredit: { readonly maxYears: number; readonly basis: string; readonly note: string };
}

/** Default counting configuration; points marked (verify) need confirmation by the authority. */
export const residenceCountingConfig: ResidenceCountingConfig = Object.freeze({
  shortAbsence: Object.freeze({
    maxMonths: 6,
    counts: true,
    basis: '§ 12b Abs. 1 Satz 1 StAG',
    note:
      'Stays abroad of up to six months do not interrupt the habitual residence; since the residence continues ' +
      '(and a permit lapses only after six months abroad, § 51 Abs. 1 Nr. 7 AufenthG), the days are counted. (verify)',
  }),
  permittedLongAbsence: Object.freeze({
    counts: false,
    basis: '§ 12b Abs. 1 Satz 2 StAG',
    note:
      'A longer stay abroad with re-entry within the period set by the foreign-resident authority (or within three ' +
      'months after military service, § 12b Abs. 1 Satz 3 StAG) does not interrupt; its days are not counted. (verify)',
  }),
  lateApplication: Object.freeze({
    counts: false,
    basis: '§ 12b Abs. 3 StAG',
    note:
      'A lapse of lawfulness caused only by a late application for the first permit or its renewal is disregarded: ' +
      'it does not interrupt. Whether the lapse itself counts is not settled; default: not counted. (verify)',
  }),
  duldung: Object.freeze({
    interrupts: true,
    basis: '§ 10 Abs. 1 Satz 1 StAG',
    note:
      'A Duldung is not lawful residence (§ 60a Abs. 3 AufenthG: the obligation to leave continues), and § 12b Abs. 3 ' +
      'StAG excuses only late applications; the five years must run "seit", i.e. uninterrupted, so a Duldung restarts the period.',
  }),
  earlierResidenceCredit: Object.freeze({
    maxYears: 5,
    basis: '§ 12b Abs. 2 StAG',
    note:
      'After a stay abroad of more than six months for a reason not temporary by nature, earlier residence of up to five ' +
      'years MAY be credited (discretion). Reported only; never counted automatically.',
  }),
});

/** Effect of a segment on the period. */
export type SegmentEffect = 'counts' | 'neutral' | 'interrupts';

/** A stretch of days before `asOf` with one effect. */
export interface ResidenceSegment {
  readonly kind: 'period' | 'absence';
  readonly from: LocalDate;
  /** Last day (inclusive), at most the day before `asOf`. */
  readonly to: LocalDate;
  readonly days: number;
  /** Status of a `period` segment; absent for `absence`. */
  readonly status?: ResidenceStatus;
  readonly effect: SegmentEffect;
  /** The effect depends on a fact not yet known (a Gestattung whose outcome is not recorded). */
  readonly uncertain: boolean;
  readonly reason: LocalizedText;
  readonly basis: string;
}

export interface ResidencePeriodResult {
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
  /** Completed years (§ 188 Abs. 2 BGB from `countingStartsOn`, uncounted days added). */
  readonly countedYears: number;
  /** Days of the current run whose effect depends on unknown facts. */
  readonly uncertainDays: number;
  /** § 12b Abs. 2 StAG: earlier counted days that MAY be credited (capped), or null. */
  readonly earlierResidenceCredit: { readonly days: number; readonly basis: string } | null;
  /** Status on `asOf`: a recorded status, `'abroad'` between/after periods, null before any period. */
  readonly statusOnAsOf: ResidenceStatus | 'abroad' | null;
}

function assertHistory(history: ResidenceHistory): ResidencePeriodFact[] {
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

/** The recorded period covering `date`, or null. */
export function findResidencePeriodOn(history: ResidenceHistory, date: LocalDate): ResidencePeriodFact | null {
  for (const entry of assertHistory(history)) {
    if (compareLocalDates(entry.from, date) <= 0 && (entry.to === undefined || compareLocalDates(date, entry.to) <= 0)) {
      return entry;
    }
  }
  return null;
}

interface Classification {
  readonly effect: SegmentEffect;
  readonly uncertain: boolean;
  readonly reason: LocalizedText;
  readonly basis: string;
}

/** Effect of a recorded period on the residence period (context-free). */
export function classifyResidencePeriod(
  entry: ResidencePeriodFact,
  config: ResidenceCountingConfig = residenceCountingConfig,
): Classification {
  const duldungEffect: SegmentEffect = config.duldung.interrupts ? 'interrupts' : 'neutral';
  switch (entry.status) {
    case 'permit':
    case 'settlement_permit':
    case 'eu_free_movement':
    case 'blue_card':
      return {
        effect: 'counts',
        uncertain: false,
        basis: '§ 10 Abs. 1 Satz 1 StAG',
        reason: { de: 'Rechtmäßiger gewöhnlicher Aufenthalt.', en: 'Lawful habitual residence.' },
      };
    case 'fiktion': {
      const basis = parsePermitBasis(entry.permitBasis);
      if (basis !== null && basis.section === '81' && basis.subsection === 3 && basis.sentence === 2) {
        return {
          effect: duldungEffect,
          uncertain: false,
          basis: '§ 81 Abs. 3 Satz 2 AufenthG',
          reason: {
            de: 'Verspäteter Antrag: die Abschiebung gilt nur als ausgesetzt (wie eine Duldung); kein rechtmäßiger Aufenthalt.',
            en: 'Late application: deportation is only deemed suspended (like a Duldung); not lawful residence.',
          },
        };
      }
      const cited =
        basis !== null && basis.section === '81' && basis.subsection === 4
          ? '§ 81 Abs. 4 AufenthG'
          : basis !== null && basis.section === '81' && basis.subsection === 3
            ? '§ 81 Abs. 3 Satz 1 AufenthG'
            : '§ 81 Abs. 3 Satz 1 AufenthG, § 81 Abs. 4 AufenthG';
      return {
        effect: 'counts',
        uncertain: false,
        basis: cited,
        reason: {
          de: 'Fiktionszeit (Aufenthalt gilt als erlaubt bzw. Titel gilt fort) wird angerechnet.',
          en: 'Fiktion period (stay deemed permitted or title continued) counts.',
        },
      };
    }
    case 'gestattung':
      if (entry.protectionGrantedLater === true) {
        return {
          effect: 'counts',
          uncertain: false,
          basis: '§ 55 Abs. 3 AsylG',
          reason: {
            de: 'Gestattung wird angerechnet, weil später Schutz gewährt wurde.',
            en: 'Gestattung counts because protection was later granted.',
          },
        };
      }
      return {
        effect: 'neutral',
        uncertain: entry.protectionGrantedLater === undefined,
        basis: '§ 55 Abs. 3 AsylG',
        reason:
          entry.protectionGrantedLater === undefined
            ? {
                de: 'Gestattung: angerechnet nur, wenn später Schutz gewährt wurde – dazu liegt keine Angabe vor.',
                en: 'Gestattung: counts only if protection was later granted — not recorded.',
              }
            : {
                de: 'Gestattung ohne spätere Schutzgewährung wird nicht angerechnet (unterbricht aber nicht).',
                en: 'Gestattung without later protection does not count (but does not interrupt).',
              },
      };
    case 'duldung':
      return {
        effect: duldungEffect,
        uncertain: false,
        basis: config.duldung.basis,
        reason: {
          de: 'Duldung ist kein rechtmäßiger Aufenthalt und wird nicht angerechnet; sie unterbricht die Frist.',
          en: 'A Duldung is not lawful residence and does not count; it interrupts the period.',
        },
      };
    case 'none':
      if (entry.lateApplication === true) {
        return {
          effect: config.lateApplication.counts ? 'counts' : 'neutral',
          uncertain: false,
          basis: config.lateApplication.basis,
          reason: {
            de: 'Unterbrechung der Rechtmäßigkeit nur wegen verspäteten Antrags bleibt außer Betracht.',
            en: 'A lapse of lawfulness caused only by a late application is disregarded.',
          },
        };
      }
      return {
        effect: 'interrupts',
        uncertain: false,
        basis: '§ 10 Abs. 1 Satz 1 StAG',
        reason: {
          de: 'Aufenthalt ohne Aufenthaltsrecht unterbricht die Frist.',
          en: 'A stay without any right of residence interrupts the period.',
        },
      };
    default: {
      const unknownStatus: never = entry.status;
      throw new RangeError(`Unknown residence status: ${String(unknownStatus)}`);
    }
  }
}

function classifyAbsence(
  from: LocalDate,
  lastDay: LocalDate,
  ongoing: boolean,
  previous: ResidenceSegment,
  next: ResidencePeriodFact | null,
  config: ResidenceCountingConfig,
): Classification {
  const shortLimit = computePeriodEnd({
    start: from,
    event: 'start_of_day',
    length: { months: config.shortAbsence.maxMonths },
    shiftToWorkingDay: false,
  }).lastDay;
  if (compareLocalDates(lastDay, shortLimit) <= 0) {
    const counts = config.shortAbsence.counts && previous.effect === 'counts';
    return {
      effect: counts ? 'counts' : 'neutral',
      uncertain: previous.uncertain,
      basis: config.shortAbsence.basis,
      reason: counts
        ? {
            de: `Auslandsaufenthalt bis zu ${config.shortAbsence.maxMonths} Monaten unterbricht nicht und wird angerechnet.`,
            en: `A stay abroad of up to ${config.shortAbsence.maxMonths} months does not interrupt and counts.`,
          }
        : {
            de: `Auslandsaufenthalt bis zu ${config.shortAbsence.maxMonths} Monaten unterbricht nicht; angerechnet wird er nicht.`,
            en: `A stay abroad of up to ${config.shortAbsence.maxMonths} months does not interrupt; it does not count.`,
          },
    };
  }
  if (!ongoing && next !== null && next.reenteredWithinPermittedPeriod === true) {
    const counts = config.permittedLongAbsence.counts && previous.effect === 'counts';
    return {
      effect: counts ? 'counts' : 'neutral',
      uncertain: previous.uncertain,
      basis: config.permittedLongAbsence.basis,
      reason: {
        de: 'Längerer Auslandsaufenthalt mit Wiedereinreise innerhalb der von der Ausländerbehörde bestimmten Frist unterbricht nicht.',
        en: 'A longer stay abroad with re-entry within the period set by the foreign-resident authority does not interrupt.',
      },
    };
  }
  return {
    effect: 'interrupts',
    uncertain: false,
    basis: config.shortAbsence.basis,
    reason: {
      de: `Auslandsaufenthalt von mehr als ${config.shortAbsence.maxMonths} Monaten unterbricht den gewöhnlichen Aufenthalt.`,
      en: `A stay abroad of more than ${config.shortAbsence.maxMonths} months interrupts the habitual residence.`,
    },
  };
}

function minDate(a: LocalDate, b: LocalDate): LocalDate {
  return compareLocalDates(a, b) <= 0 ? a : b;
}

/** Segments from the first recorded day to the day before `asOf`. */
function buildSegments(history: ResidenceHistory, asOf: LocalDate, config: ResidenceCountingConfig): ResidenceSegment[] {
  const lastCountedDay = addDays(asOf, -1);
  const entries = assertHistory(history).filter((entry) => compareLocalDates(entry.from, asOf) <= 0);
  const segments: ResidenceSegment[] = [];
  const pushAbsence = (from: LocalDate, to: LocalDate, ongoing: boolean, next: ResidencePeriodFact | null): void => {
    const previous = segments[segments.length - 1];
    const classification = classifyAbsence(from, to, ongoing, previous, next, config);
    segments.push({ kind: 'absence', from, to, days: daysBetween(from, to) + 1, ...classification });
  };
  for (const [index, entry] of entries.entries()) {
    if (index > 0) {
      const previousEnd = entries[index - 1].to as LocalDate; // checked by assertHistory
      const gapFrom = addDays(previousEnd, 1);
      const gapTo = addDays(entry.from, -1);
      if (compareLocalDates(gapFrom, gapTo) <= 0) {
        pushAbsence(gapFrom, gapTo, false, entry);
      }
    }
    const to = entry.to === undefined ? lastCountedDay : minDate(entry.to, lastCountedDay);
    if (compareLocalDates(entry.from, to) <= 0) {
      const classification = classifyResidencePeriod(entry, config);
      segments.push({ kind: 'period', from: entry.from, to, days: daysBetween(entry.from, to) + 1, status: entry.status, ...classification });
    }
  }
  const last = entries[entries.length - 1];
  if (last !== undefined && last.to !== undefined && compareLocalDates(last.to, lastCountedDay) < 0 && segments.length > 0) {
    pushAbsence(addDays(last.to, 1), lastCountedDay, true, null);
  }
  return segments;
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

function computeCompletedYears(countingStartsOn: LocalDate | null, countedDays: number): number {
  if (countingStartsOn === null) {
    return 0;
  }
  let years = 0;
  while (computeRequiredDays(countingStartsOn, years + 1) <= countedDays) {
    years += 1;
  }
  return years;
}

function sumCounted(segments: readonly ResidenceSegment[]): number {
  return segments.reduce((sum, segment) => sum + (segment.effect === 'counts' ? segment.days : 0), 0);
}

/**
 * Lawful habitual residence counted on `asOf`, § 10 Abs. 1 Satz 1 StAG with § 12b StAG,
 * § 55 Abs. 3 AsylG, § 81 Abs. 3 AufenthG and § 81 Abs. 4 AufenthG.
 * @returns counted days before `asOf` since the last interruption, completed years (BGB), and
 *   every segment with the reason it counts, is neutral or interrupts.
 */
export function computeResidencePeriod(
  history: ResidenceHistory,
  asOf: LocalDate,
  config: ResidenceCountingConfig = residenceCountingConfig,
): ResidencePeriodResult {
  parseLocalDate(asOf);
  const segments = buildSegments(history, asOf, config);
  let lastInterruptionIndex = -1;
  segments.forEach((segment, index) => {
    if (segment.effect === 'interrupts') {
      lastInterruptionIndex = index;
    }
  });
  const run = segments.slice(lastInterruptionIndex + 1);
  const lastInterruption = lastInterruptionIndex >= 0 ? segments[lastInterruptionIndex] : null;
  const firstCounted = run.find((segment) => segment.effect === 'counts');
  const countingStartsOn = firstCounted === undefined ? null : firstCounted.from;
  const countedDays = sumCounted(run);

  let earlierResidenceCredit: ResidencePeriodResult['earlierResidenceCredit'] = null;
  if (lastInterruption !== null && lastInterruption.kind === 'absence') {
    let previousInterruptionIndex = -1;
    segments.slice(0, lastInterruptionIndex).forEach((segment, index) => {
      if (segment.effect === 'interrupts') {
        previousInterruptionIndex = index;
      }
    });
    const earlierRun = segments.slice(previousInterruptionIndex + 1, lastInterruptionIndex);
    const earlierStart = earlierRun.find((segment) => segment.effect === 'counts');
    if (earlierStart !== undefined) {
      const cap = computeRequiredDays(earlierStart.from, config.earlierResidenceCredit.maxYears);
      earlierResidenceCredit = { days: Math.min(sumCounted(earlierRun), cap), basis: config.earlierResidenceCredit.basis };
    }
  }

  const onAsOf = findResidencePeriodOn(history, asOf);
  const anyBefore = assertHistory(history).some((entry) => compareLocalDates(entry.from, asOf) <= 0);

  return {
    asOf,
    segments,
    lastInterruption,
    runStartsOn: run.length > 0 ? run[0].from : lastInterruption === null ? null : addDays(lastInterruption.to, 1),
    countingStartsOn,
    countedDays,
    countedYears: computeCompletedYears(countingStartsOn, countedDays),
    uncertainDays: run.reduce((sum, segment) => sum + (segment.uncertain ? segment.days : 0), 0),
    earlierResidenceCredit,
    statusOnAsOf: onAsOf !== null ? onAsOf.status : anyBefore ? 'abroad' : null,
  };
}

/** True if the counted residence reaches `required` (§ 10 Abs. 1 Satz 1 StAG). */
export function isResidencePeriodMet(result: ResidencePeriodResult, required: RequiredResidence): boolean {
  if (isZeroLength(toPeriodLength(required))) {
    return true;
  }
  return result.countingStartsOn !== null && result.countedDays >= computeRequiredDays(result.countingStartsOn, required);
}

/**
 * First date (at most `asOf`) from which the current run has met `requiredYears` (years or a
 * `PeriodLength`), or null if it has not (yet). § 10 Abs. 1 Satz 1 StAG.
 */
export function determineResidenceMetOn(result: ResidencePeriodResult, requiredYears: RequiredResidence): LocalDate | null {
  if (!isResidencePeriodMet(result, requiredYears) || result.countingStartsOn === null) {
    return null;
  }
  const required = computeRequiredDays(result.countingStartsOn, requiredYears);
  if (required === 0) {
    return result.countingStartsOn;
  }
  const run = result.lastInterruption === null ? result.segments : result.segments.slice(result.segments.indexOf(result.lastInterruption) + 1);
  let counted = 0;
  for (const segment of run) {
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
 * The first date on which `requiredYears` (years, or a `PeriodLength`) of lawful habitual residence are met
 * (§ 10 Abs. 1 Satz 1 StAG): in the past or on `asOf` if already met, otherwise assuming the
 * status on `asOf` continues unchanged (its recorded end is ignored: permits are expected to be
 * renewed). Null if the status on `asOf` does not count (Duldung, Gestattung without protection,
 * no status, abroad), because the period cannot be reached under it.
 * @returns a `LocalDate`, later than `asOf` when not yet met; or null.
 */
export function determineEarliestResidenceDate(
  history: ResidenceHistory,
  requiredYears: RequiredResidence,
  asOf: LocalDate,
  config: ResidenceCountingConfig = residenceCountingConfig,
): LocalDate | null {
  const result = computeResidencePeriod(history, asOf, config);
  const metOn = determineResidenceMetOn(result, requiredYears);
  if (metOn !== null) {
    return metOn;
  }
  const current = findResidencePeriodOn(history, asOf);
  if (current === null || classifyResidencePeriod(current, config).effect !== 'counts') {
    return null;
  }
  const countingStartsOn = result.countingStartsOn ?? asOf;
  const missing = computeRequiredDays(countingStartsOn, requiredYears) - result.countedDays;
  return addDays(asOf, missing);
}
