import { startOfDayInBerlin } from '../calendar/berlinTime';
import { LocalDate, parseLocalDate } from '../calendar/localDate';
import { computePeriodEnd, firstDayAfter, PeriodLength, PeriodStart } from '../calendar/periods';

/**
 * Waiting period before an inaction lawsuit ("Untätigkeitsklage") on a naturalisation
 * application.
 *
 * § 75 Satz 2 VwGO: the action "kann nicht vor Ablauf von drei Monaten seit […] dem Antrag auf
 * Vornahme des Verwaltungsakts erhoben werden, außer wenn wegen besonderer Umstände des Falles
 * eine kürzere Frist geboten ist". The period is computed under § 57 Abs. 2 VwGO with
 * § 222 Abs. 1 ZPO, which refer to the BGB period rules: it starts with the receipt of the
 * application (an event, § 187 Abs. 1 BGB) and ends per § 188 Abs. 2 BGB and § 188 Abs. 3 BGB.
 */

// Legal choices made as configuration (see `inactionPeriodConfig`):
// - Whether § 193 BGB / § 222 Abs. 2 ZPO moves the end of this waiting period is not settled:
//   it is a "Sperrfrist" for the claimant, not a deadline for a declaration. The default is NOT
//   to shift. Reason: this period drives WARNINGS to the authority, and for a warning the safe
//   side is the EARLIER date — the authority must be warned before the earliest day a court
//   could treat the action as admissible. A caller who wants the later date sets
//   `shiftToWorkingDay: true`.
// - `filedOn` must be the day the application was RECEIVED by the authority (Eingang), not the
//   date written on it; the period runs "seit dem Antrag".
// - Not modelled (callers must handle them): a court may accept a shorter period in special
//   circumstances (§ 75 Satz 2 Halbsatz 2 VwGO); an action filed too early becomes admissible
//   once the period expires during the proceedings; a "zureichender Grund" for the delay leads
//   to a stay under § 75 Satz 3 VwGO rather than to dismissal.
// Implementation: pure; the lawsuit instant is 00:00 German legal time on the first day after
// the period (the period expires at 24:00 of its last day).

export interface InactionPeriodConfig {
  readonly length: PeriodLength;
  readonly startsWith: PeriodStart;
  readonly shiftToWorkingDay: boolean;
  /** The rule establishing the waiting period. */
  readonly basis: string;
  /** Provisions bridging from procedural law to the BGB period rules. */
  readonly calculationBasis: readonly string[];
  readonly note: string;
}

/**
 * Default configuration of the § 75 Satz 2 VwGO waiting period: three months from the
 * application, no § 193 BGB shift (earliest possible date, safe side for warnings).
 */
export const inactionPeriodConfig: InactionPeriodConfig = Object.freeze({
  length: Object.freeze({ months: 3 }),
  startsWith: 'event',
  shiftToWorkingDay: false,
  basis: '§ 75 Satz 2 VwGO',
  calculationBasis: Object.freeze(['§ 57 Abs. 2 VwGO', '§ 222 Abs. 1 ZPO']),
  note:
    'Three months from receipt of the application (§ 187 Abs. 1 BGB, § 188 Abs. 2 BGB, § 188 Abs. 3 BGB). ' +
    'Whether § 193 BGB / § 222 Abs. 2 ZPO moves the end of this waiting period is unsettled; the default ' +
    'does not shift, because warnings must precede the EARLIEST date a court could accept the action. ' +
    'Courts may accept a shorter period in special circumstances (§ 75 Satz 2 VwGO), which is not modelled.',
} as const);

export interface InactionDeadline {
  /** Receipt of the application (the event starting the period). */
  readonly filedOn: LocalDate;
  /** Last day of the three-month period (after a § 193 BGB shift, if configured). */
  readonly periodEndsOn: LocalDate;
  /** First day on which an inaction lawsuit is no longer premature. */
  readonly lawsuitPossibleFrom: LocalDate;
  /** 00:00 German legal time on `lawsuitPossibleFrom`, epoch milliseconds. */
  readonly lawsuitPossibleAt: number;
  /** Provisions applied, starting with `config.basis`. */
  readonly basis: readonly string[];
}

/**
 * Earliest date on which an inaction lawsuit on an application received on `filedOn` is
 * admissible. § 75 Satz 2 VwGO; § 57 Abs. 2 VwGO; § 222 Abs. 1 ZPO; § 187 Abs. 1 BGB;
 * § 188 Abs. 2 BGB; § 188 Abs. 3 BGB; § 193 BGB only if configured.
 */
export function determineInactionDeadline(
  filedOn: LocalDate,
  config: InactionPeriodConfig = inactionPeriodConfig,
): InactionDeadline {
  const start = parseLocalDate(filedOn);
  const period = computePeriodEnd({
    start,
    event: config.startsWith,
    length: config.length,
    shiftToWorkingDay: config.shiftToWorkingDay,
  });
  const lawsuitPossibleFrom = firstDayAfter(period.lastDay);
  return {
    filedOn: start,
    periodEndsOn: period.lastDay,
    lawsuitPossibleFrom,
    lawsuitPossibleAt: startOfDayInBerlin(lawsuitPossibleFrom),
    basis: [config.basis, ...config.calculationBasis, ...period.basis],
  };
}

/**
 * Instants (epoch ms, ascending) at which the authority is to be warned, each `leadTime`
 * milliseconds before `lawsuitPossibleAt`. § 75 Satz 2 VwGO.
 */
export function determineWarningInstants(
  deadline: Pick<InactionDeadline, 'lawsuitPossibleAt'>,
  leadTimes: readonly number[],
): number[] {
  // Nothing is dropped: instants already in the past and duplicates are returned as they are;
  // the caller (which knows "now") decides what to do with them.
  for (const leadTime of leadTimes) {
    if (!Number.isSafeInteger(leadTime) || leadTime < 0) {
      throw new RangeError(`Lead time must be a non-negative integer of milliseconds: ${leadTime}`);
    }
  }
  return leadTimes.map((leadTime) => deadline.lawsuitPossibleAt - leadTime).sort((a, b) => a - b);
}
