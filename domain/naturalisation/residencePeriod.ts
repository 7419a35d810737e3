import { compareLocalDates, LocalDate } from '../calendar/localDate';
import { computePeriodEnd } from '../calendar/periods';
import {
  computeRequiredDays,
  countResidence,
  findCurrentRun,
  projectResidenceMetOn,
  RequiredResidence,
  ResidenceClassifier,
  ResidenceCount,
  ResidenceSegment,
  SegmentClassification,
  SegmentEffect,
  sumCountedDays,
} from '../residenceHistory/counting';
import { findResidencePeriodOn } from '../residenceHistory/periods';
import { parsePermitBasis } from '../residenceHistory/permitPurposes';
import { ResidenceHistory, ResidencePeriodFact } from '../residenceHistory/statuses';
import { DatedHistory, findDatedEntry } from './datedHistory';

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

// Implementation choices (see `residenceCountingConfig` for the legal ones; the day counting and
// the BGB periods are the shared machinery of `../residenceHistory/counting.ts`):
// - A stay abroad counts only if the period before it counted: there is no lawful status to
//   continue otherwise.
// - "Up to six months" is measured with § 187 Abs. 2 BGB and § 188 Abs. 2 BGB from the first
//   day abroad (the day after the last recorded day).
// - An ongoing stay abroad on `asOf` that already exceeds six months interrupts; the possibility
//   that the authority set a longer re-entry period is then not known and not assumed.

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

/** The residence period for naturalisation: the counted run plus the § 12b Abs. 2 StAG credit. */
export interface ResidencePeriodResult extends ResidenceCount {
  /** § 12b Abs. 2 StAG: earlier counted days that MAY be credited (capped), or null. */
  readonly earlierResidenceCredit: { readonly days: number; readonly basis: string } | null;
}

/** Effect of a recorded period on the residence period (context-free). */
export function classifyResidencePeriod(
  entry: ResidencePeriodFact,
  config: ResidenceCountingConfig = residenceCountingConfig,
): SegmentClassification {
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
): SegmentClassification {
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

function createNaturalisationClassifier(config: ResidenceCountingConfig): ResidenceClassifier {
  return {
    classifyPeriod: (entry) => classifyResidencePeriod(entry, config),
    classifyAbsence: (absence) => classifyAbsence(absence.from, absence.to, absence.ongoing, absence.previous, absence.next, config),
  };
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
  const count = countResidence(history, asOf, createNaturalisationClassifier(config));
  const { segments, lastInterruption } = count;

  let earlierResidenceCredit: ResidencePeriodResult['earlierResidenceCredit'] = null;
  if (lastInterruption !== null && lastInterruption.kind === 'absence') {
    const earlierRun = findCurrentRun(segments.slice(0, segments.indexOf(lastInterruption)));
    const earlierStart = earlierRun.find((segment) => segment.effect === 'counts');
    if (earlierStart !== undefined) {
      const cap = computeRequiredDays(earlierStart.from, config.earlierResidenceCredit.maxYears);
      earlierResidenceCredit = { days: Math.min(sumCountedDays(earlierRun), cap), basis: config.earlierResidenceCredit.basis };
    }
  }
  return { ...count, earlierResidenceCredit };
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
  const current = findResidencePeriodOn(history, asOf);
  const currentCounts = current !== null && classifyResidencePeriod(current, config).effect === 'counts';
  return projectResidenceMetOn(result, requiredYears, currentCounts);
}
