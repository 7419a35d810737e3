import bidiFactory from 'bidi-js';

/**
 * The Unicode Bidirectional Algorithm (UAX #9) for one line of a printed letter, through bidi-js
 * (a complete implementation that passes Unicode's conformance tests): the line's runs in visual
 * order, left to right, each with its direction. pdfkit has no bidi algorithm of its own and
 * fontkit only shapes and reverses a run it is told is right-to-left, so the letter lays out each
 * run separately in this order.
 */

// Implementation choices:
// - The paragraph's base direction is given (the template's `direction`), not guessed from the
//   first strong letter: an Arabic block whose line begins with a Latin name stays right-to-left.
// - Levels are resolved per line as pdfkit wraps it, not per paragraph; the difference only shows
//   in neutrals at a line's ends.
// - A right-to-left run is returned in logical order with its mirrored characters swapped (rule
//   L4); the shaper needs logical order to join the Arabic letters and reverses the run itself.
// - Bidi controls (LRM, RLM, ALM, embeddings, isolates) take part in the algorithm and are then
//   dropped (they have no glyph); ZWNJ and ZWJ stay, the Persian shaping needs them.

const bidi = bidiFactory();

export interface BidiRun {
  /** The run's characters in logical order (mirrored where right-to-left). */
  text: string;
  direction: 'ltr' | 'rtl';
}

const controls = /[\u200E\u200F\u061C\u202A-\u202E\u2066-\u2069]/g;

/** Whether a text contains right-to-left letters (Hebrew, Arabic, Syriac, Thaana, N'Ko and their presentation forms). */
export function hasRightToLeftText(text: string): boolean {
  return /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/u.test(text);
}

/**
 * The runs of `line` in visual order (left to right), each to be shaped in its direction.
 * @returns runs whose concatenation, each right-to-left run reversed, is the line as displayed
 */
export function splitVisualRuns(line: string, base: 'ltr' | 'rtl'): BidiRun[] {
  if (line.length === 0) return [];
  const embedding = bidi.getEmbeddingLevels(line, base);
  const mirrored = bidi.getMirroredCharactersMap(line, embedding.levels);
  const order = bidi.getReorderedIndices(line, embedding);
  const runs: BidiRun[] = [];
  let i = 0;
  while (i < order.length) {
    // A run: consecutive visual positions holding consecutive logical positions of one level,
    // ascending (left-to-right) or descending (right-to-left).
    const first = order[i]!;
    const odd = (embedding.levels[first]! & 1) === 1;
    const step = odd ? -1 : 1;
    let j = i + 1;
    while (j < order.length && order[j] === order[j - 1]! + step && (embedding.levels[order[j]!]! & 1) === (odd ? 1 : 0)) j++;
    const from = Math.min(first, order[j - 1]!);
    const to = Math.max(first, order[j - 1]!);
    let text = '';
    for (let k = from; k <= to; k++) text += mirrored.get(k) ?? line[k];
    text = text.replace(controls, '');
    if (text.length > 0) runs.push({ text, direction: odd ? 'rtl' : 'ltr' });
    i = j;
  }
  return runs;
}

/** The line as displayed, left to right (right-to-left runs reversed by code point): for tests and logs. */
export function toVisualText(runs: readonly BidiRun[]): string {
  return runs.map((r) => (r.direction === 'rtl' ? [...r.text].reverse().join('') : r.text)).join('');
}
