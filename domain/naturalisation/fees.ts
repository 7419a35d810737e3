import type { NaturalisationDecision } from './stages';

/**
 * Fees of a naturalisation (§ 38 Abs. 2 StAG). Amounts as in domain.md, marked (verify): they are
 * configuration, dated, so an authority can correct them without a code change.
 */
export interface FeeSchedule {
  validFrom: string;
  /** § 38 Abs. 2 StAG: per person naturalised. */
  perAdultEuro: number;
  /** § 38 Abs. 2 StAG: a minor child naturalised with a parent (reduced fee). */
  perMinorWithParentEuro: number;
  /** § 38 Abs. 2 StAG: on refusal or withdrawal after processing started, a fee within this range. */
  refusalOrWithdrawalEuro: { min: number; max: number };
  basis: string;
}

export const feeSchedules: FeeSchedule[] = [
  {
    validFrom: '2012-01-01',
    perAdultEuro: 255,
    perMinorWithParentEuro: 51,
    refusalOrWithdrawalEuro: { min: 25, max: 255 },
    basis: '§ 38 Abs. 2 StAG (verify the amounts)',
  },
];

export function findFeeSchedule(on: string, schedules: FeeSchedule[] = feeSchedules): FeeSchedule {
  const applicable = schedules.filter((s) => s.validFrom <= on).sort((a, b) => (a.validFrom < b.validFrom ? 1 : -1))[0];
  if (!applicable) throw new RangeError(`no fee schedule in force on ${on}`);
  return applicable;
}

export interface FeeAssessment {
  euro: number;
  basis: string;
  explanation: { de: string; en: string };
}

/**
 * The fee of a decided application. § 38 Abs. 2 StAG
 * @returns whole euros; for refusal or withdrawal the amount the clerk set, checked against the range
 */
export function determineFee(input: {
  outcome: NaturalisationDecision;
  decidedOn: string;
  minorChildrenNaturalisedWithApplicant?: number;
  /** For refusal or withdrawal: the amount within the range that the clerk set (discretion). */
  refusalFeeEuro?: number;
}): FeeAssessment {
  const schedule = findFeeSchedule(input.decidedOn);
  if (input.outcome === 'approved') {
    const children = input.minorChildrenNaturalisedWithApplicant ?? 0;
    const euro = schedule.perAdultEuro + children * schedule.perMinorWithParentEuro;
    return {
      euro,
      basis: schedule.basis,
      explanation: {
        de: `${schedule.perAdultEuro} € für die antragstellende Person${children ? ` und ${children} × ${schedule.perMinorWithParentEuro} € für miteingebürgerte minderjährige Kinder` : ''}`,
        en: `€${schedule.perAdultEuro} for the applicant${children ? ` and ${children} × €${schedule.perMinorWithParentEuro} for minor children naturalised with them` : ''}`,
      },
    };
  }
  const { min, max } = schedule.refusalOrWithdrawalEuro;
  const euro = input.refusalFeeEuro ?? max;
  if (euro < min || euro > max) throw new RangeError(`the fee on ${input.outcome} must lie between ${min} and ${max} euros`);
  return {
    euro,
    basis: schedule.basis,
    explanation: {
      de: `Gebühr bei ${input.outcome === 'refused' ? 'Ablehnung' : 'Rücknahme'} nach Beginn der Bearbeitung (${min}–${max} €)`,
      en: `fee on ${input.outcome === 'refused' ? 'refusal' : 'withdrawal'} after processing began (€${min}–${max})`,
    },
  };
}
