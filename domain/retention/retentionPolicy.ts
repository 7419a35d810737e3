/**
 * How long closed cases keep their personal data. Storage limitation: personal data is kept no
 * longer than the purpose needs — Art. 5 Abs. 1 Buchst. e DSGVO; erasure once no longer needed —
 * Art. 17 Abs. 1 Buchst. a DSGVO. The periods themselves come from each authority's records
 * schedule, so they are configuration that an admin sets per authority and case type
 * (PUT /api/v1/admin/retention/:caseType); these defaults apply until one does.
 */

// Implementation choices:
// - A case counts as closed from the instant its process says (a naturalisation case: the
//   handover of the certificate, else the decision); open cases are never touched.
// - 'anonymise' keeps what the steering group's figures need (authority, month of filing, stage,
//   outcome) and removes everything that identifies the person (names, date of birth, e-mail,
//   letters, the decision's free-text reason). 'delete' removes the case entirely. The audit
//   trail keeps its entries: they hold case ids and staff ids, no data of the resident.
// - The default period for naturalisation files is a placeholder (verify): an approved
//   naturalisation is evidence of German nationality, which authorities usually keep far longer
//   than refused or withdrawn applications; set it from the records schedule.

export const retentionActions = ['anonymise', 'delete'] as const;
export type RetentionAction = (typeof retentionActions)[number];

export interface RetentionPolicy {
  /** Days after the case closed before the action is taken. */
  retainDays: number;
  action: RetentionAction;
  basis: string;
  note: string;
}

/** The default of naturalisation files until an authority sets its own (each process names its default in its module). */
export const naturalisationRetentionPolicy: RetentionPolicy = {
  retainDays: 10 * 365,
  action: 'anonymise',
  basis: 'Art. 5 Abs. 1 Buchst. e DSGVO',
  note: 'Default (verify): anonymise ten years after the case closed; set the period from the records schedule.',
};

/**
 * Whether a case closed on `decidedAt` is due for its retention action at `asOf` (both epoch
 * milliseconds): from the start of the day after `retainDays` full days.
 * Art. 5 Abs. 1 Buchst. e DSGVO
 */
export function isRetentionDue(decidedAt: number, retainDays: number, asOf: number): boolean {
  return asOf >= decidedAt + retainDays * 86_400_000;
}

/**
 * The next instant at `hour`:00 UTC strictly after `now` (epoch milliseconds): when the daily
 * retention sweep runs. A fixed UTC hour keeps the computation free of time zones.
 */
export function determineNextSweepAt(now: number, hour = 1): number {
  const day = 86_400_000;
  const candidate = Math.floor(now / day) * day + hour * 3_600_000;
  return candidate > now ? candidate : candidate + day;
}
