/** One cell of the outreach figures: a month and message kind, with counts. */
export interface OutreachCell {
  month: string;
  kind: string;
  contacted: number;
  applied: number;
}

export interface PublishedCell {
  month: string;
  kind: string;
  /** Null where the count is below the minimum cell size (suppressed). */
  contacted: number | null;
  applied: number | null;
  /** applied / contacted, rounded to 3 places; null where either count is suppressed. */
  conversion: number | null;
}

/**
 * Anonymised figures for the steering group: every count below `minimumCellSize` is suppressed
 * (statistical confidentiality, § 16 Abs. 1 BStatG by analogy), and a rate is only shown where
 * both of its counts are shown — so no suppressed count can be worked back from a rate.
 * A difference attack across cells (contacted minus applied) is prevented by suppressing
 * `applied` also where `contacted - applied` is below the minimum.
 */
export function suppressSmallCells(cells: readonly OutreachCell[], minimumCellSize: number): PublishedCell[] {
  return cells.map((cell) => {
    const contacted = cell.contacted >= minimumCellSize ? cell.contacted : null;
    const notApplied = cell.contacted - cell.applied;
    const applied = contacted !== null && cell.applied >= minimumCellSize && notApplied >= minimumCellSize ? cell.applied : null;
    return {
      month: cell.month,
      kind: cell.kind,
      contacted,
      applied,
      conversion: contacted !== null && applied !== null ? Math.round((applied / contacted) * 1000) / 1000 : null,
    };
  });
}
