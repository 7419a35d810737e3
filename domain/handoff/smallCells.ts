/**
 * The steering group's figures are anonymous (Art. 89 Abs. 1 DSGVO, Erwägungsgrund 26 DSGVO): a
 * cell that counts fewer than five persons could identify someone, so it is not shown. The
 * threshold of five is the common rule of official statistics (§ 16 BStatG practice); an
 * authority may set a higher one.
 */
export const minimumCellSize = 5;

export type Cell = { value: number; suppressed: false } | { value: null; suppressed: true };

/**
 * A count as the steering figures show it: suppressed when it counts 1 to `minimum - 1` persons.
 * Zero stays visible (it identifies no one).
 */
export function suppressSmallCell(persons: number, minimum = minimumCellSize): Cell {
  return persons > 0 && persons < minimum ? { value: null, suppressed: true } : { value: persons, suppressed: false };
}
