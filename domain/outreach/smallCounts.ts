/**
 * Statistical disclosure control of a cohort preview: a coordinator sees how large a cohort is,
 * never who is in it. Counts below the minimum cell size (`OutreachConfig.minimumCellSize`, 5)
 * are not shown (Art. 5 Abs. 1 lit. c DSGVO; the rule of small cells as in the outreach figures,
 * domain/outreach/statisticsCells.ts): a cohort narrowed to one birth date and nationality would
 * otherwise say that one person is in it, which language they speak and whether they have e-mail.
 *
 * Implementation: a cohort of fewer than the minimum (zero included) shows only "fewer than k".
 * In a larger one the e-mail figure is shown only where both the persons with and those without
 * e-mail are at least k (else it, or the difference to the total, would describe a small group —
 * "all six have e-mail" describes each of them), and the sample only with it, since its
 * `hasEmail` per row would show the same figure.
 */
export interface CohortPreview<Sample> {
  total: number | null;
  withEmail: number | null;
  /** The minimum cell size when the cohort is smaller (its size not shown), else null. */
  fewerThan: number | null;
  sample: Sample[];
}

/** The preview a coordinator may see of a cohort of `total` persons, `withEmail` of them with e-mail. */
export function determineCohortPreview<Sample>(size: { total: number; withEmail: number }, sample: Sample[], minimumCellSize: number): CohortPreview<Sample> {
  if (size.total < minimumCellSize) return { total: null, withEmail: null, fewerThan: minimumCellSize, sample: [] };
  if (size.withEmail < minimumCellSize || size.total - size.withEmail < minimumCellSize) return { total: size.total, withEmail: null, fewerThan: null, sample: [] };
  return { total: size.total, withEmail: size.withEmail, fewerThan: null, sample };
}
