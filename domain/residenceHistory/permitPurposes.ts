/**
 * Reading the legal basis (purpose) of a residence permit, Duldung or Fiktion as recorded in a
 * person's history, e.g. `'§ 16b AufenthG'`, `'§ 25 Abs. 2 AufenthG'`, `'§ 81 Abs. 3 Satz 2 AufenthG'`.
 * Shared by every process: whether a permit's purpose is excluded under § 10 Abs. 1 Satz 1 Nr. 2
 * StAG, whether a permit is the § 104c AufenthG opportunity permit, which Duldung ground
 * (§ 60b AufenthG, § 60d AufenthG) applies, and which kind of § 81 AufenthG fiction applies.
 */

// Implementation: lenient about spacing and `Abs.`/`Absatz`, and ignores anything between the
// paragraph and the statute that is not `Abs.` or `Satz` (e.g. `Alt. 1`, `Nr. 2`). Anything that
// does not start with `§ <number>` and end with a known statute is NOT guessed: it returns null,
// and rules then report `unknown`.

export interface PermitBasis {
  /** Section with its letter, lower case, e.g. `'16b'`, `'25'`, `'104c'`. */
  readonly section: string;
  /** Subsection (Absatz) number, e.g. 4 for `Abs. 4a`. */
  readonly subsection?: number;
  /** Letter of the subsection, e.g. `'a'` for `Abs. 4a`. */
  readonly subsectionLetter?: string;
  /** Sentence (Satz) number. */
  readonly sentence?: number;
  /** Statute abbreviation as written, e.g. `'AufenthG'`. */
  readonly statute: string;
}

const BASIS_PATTERN = /^\s*§\s*(\d+)\s*([a-z]?)(?![a-z])(.*?)(AufenthG|AsylG|StAG|FreizügG\/EU)\s*$/i;
const SUBSECTION_PATTERN = /Abs(?:atz|\.)?\s*(\d+)([a-z])?(?![a-z])/i;
const SENTENCE_PATTERN = /(?:^|\s)Satz\s*(\d+)/i; // not the "satz" inside "Absatz"

/** Parses a permit basis; null if it is not in a recognisable `§ … <statute>` form. */
export function parsePermitBasis(text: string | undefined): PermitBasis | null {
  if (typeof text !== 'string') {
    return null;
  }
  const match = BASIS_PATTERN.exec(text);
  if (match === null) {
    return null;
  }
  const statutes: Readonly<Record<string, string>> = {
    aufenthg: 'AufenthG',
    asylg: 'AsylG',
    stag: 'StAG',
    'freizügg/eu': 'FreizügG/EU',
  };
  const middle = match[3];
  const subsection = SUBSECTION_PATTERN.exec(middle);
  const sentence = SENTENCE_PATTERN.exec(middle);
  return {
    section: `${Number(match[1])}${match[2].toLowerCase()}`,
    ...(subsection === null ? {} : { subsection: Number(subsection[1]) }),
    ...(subsection === null || subsection[2] === undefined ? {} : { subsectionLetter: subsection[2].toLowerCase() }),
    ...(sentence === null ? {} : { sentence: Number(sentence[1]) }),
    statute: statutes[match[4].toLowerCase()] ?? match[4],
  };
}

/** Formats a parsed basis in the house format, e.g. `'§ 25 Abs. 4a Satz 1 AufenthG'`. */
export function formatPermitBasis(basis: PermitBasis): string {
  const subsection = basis.subsection === undefined ? '' : ` Abs. ${basis.subsection}${basis.subsectionLetter ?? ''}`;
  const sentence = basis.sentence === undefined ? '' : ` Satz ${basis.sentence}`;
  return `§ ${basis.section}${subsection}${sentence} ${basis.statute}`;
}

/**
 * True if `text` is a basis under `section` of the AufenthG (and, when given, `subsection`),
 * e.g. `isPermitBasisUnder('§ 104c Abs. 1 AufenthG', '104c')`. Unreadable text → false.
 */
export function isPermitBasisUnder(text: string | undefined, section: string, subsection?: number): boolean {
  const basis = parsePermitBasis(text);
  return (
    basis !== null &&
    basis.statute === 'AufenthG' &&
    basis.section === section.toLowerCase() &&
    (subsection === undefined || basis.subsection === subsection)
  );
}

/**
 * Kind of a § 81 AufenthG fiction:
 * - `permitted`: § 81 Abs. 3 Satz 1 AufenthG, the stay is deemed permitted;
 * - `tolerated`: § 81 Abs. 3 Satz 2 AufenthG, deportation deemed suspended (late application);
 * - `continued`: § 81 Abs. 4 Satz 1 AufenthG, the previous title continues;
 * - `unknown`: not recorded or unreadable (rules report `unknown` or take the less favourable reading).
 */
export type FiktionKind = 'permitted' | 'tolerated' | 'continued' | 'unknown';

/** The kind of § 81 AufenthG fiction recorded in `permitBasis` (§ 81 Abs. 3 AufenthG, § 81 Abs. 4 AufenthG). */
export function determineFiktionKind(permitBasis: string | undefined): FiktionKind {
  const basis = parsePermitBasis(permitBasis);
  if (basis === null || basis.statute !== 'AufenthG' || basis.section !== '81') {
    return 'unknown';
  }
  if (basis.subsection === 4) {
    return 'continued';
  }
  if (basis.subsection === 3) {
    return basis.sentence === 2 ? 'tolerated' : basis.sentence === 1 ? 'permitted' : 'unknown';
  }
  return 'unknown';
}
