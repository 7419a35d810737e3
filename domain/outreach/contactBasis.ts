/**
 * On what the authority may send information messages to a registered person. Either each
 * person's consent (Art. 6 Abs. 1 Satz 1 Buchst. a DSGVO), or a legal basis for information
 * letters that the authority names (Art. 6 Abs. 1 Satz 1 Buchst. e DSGVO with the state's
 * provision — which one applies is for the authority's data-protection officer (verify), so it is
 * configuration carrying its reference, never a default of the code).
 */
export type ContactBasis =
  | { readonly kind: 'consent'; readonly reference: 'Art. 6 Abs. 1 Satz 1 Buchst. a DSGVO' }
  | { readonly kind: 'legal_basis'; readonly reference: string };

export interface OutreachConfig {
  readonly contactBasis: ContactBasis;
  /** Dates older than this many days are not messaged by the daily run (a campaign reaches them). */
  readonly catchUpDays: number;
  /** Messages per second a campaign sends unless it names its own rate (the relay's limit). */
  readonly defaultRatePerSecond: number;
  /** The least count a statistics cell shows; smaller cells are suppressed. */
  readonly minimumCellSize: number;
}

export const defaultOutreachConfig: OutreachConfig = Object.freeze<OutreachConfig>({
  contactBasis: { kind: 'consent', reference: 'Art. 6 Abs. 1 Satz 1 Buchst. a DSGVO' },
  catchUpDays: 30,
  defaultRatePerSecond: 50,
  minimumCellSize: 5,
});

/**
 * Whether a person may be contacted: under a legal basis everyone not opted out; under consent
 * only those who consented. An opt-out always wins (Art. 21 Abs. 2 DSGVO by analogy: the person
 * said no).
 */
export function isContactAllowed(basis: ContactBasis, person: { consented: boolean; optedOut: boolean }): boolean {
  if (person.optedOut) return false;
  return basis.kind === 'legal_basis' || person.consented;
}
