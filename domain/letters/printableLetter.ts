/**
 * A letter as it is printed: its subject and its language blocks in order (German first), each
 * a list of paragraphs with its writing direction. Letters of every process reach the outbox as
 * one text whose language blocks are separated by a line of dashes (`---`, `----------`); the
 * print queue turns that text back into blocks.
 */
export interface PrintableLetter {
  subject: string;
  blocks: { direction: 'ltr' | 'rtl'; paragraphs: string[] }[];
}

/** A character of a right-to-left script (Hebrew, Arabic, Persian and their presentation forms). */
export const rtlCharacter = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/u;

/** A line of three or more dashes alone: the boundary between two language blocks. */
const blockSeparator = /\n[ \t]*-{3,}[ \t]*\n/;

/**
 * Splits an outbox letter's text into its language blocks and paragraphs (separated by an empty
 * line; lines inside a paragraph are kept). A block is right-to-left when it contains
 * right-to-left letters and fewer Latin ones.
 * @returns the blocks in the order of the text; empty blocks and paragraphs are dropped
 */
export function splitLetterText(subject: string, text: string): PrintableLetter {
  const blocks = text
    .replace(/\r\n/g, '\n')
    .split(blockSeparator)
    .map((block) => block.split(/\n[ \t]*\n/).map((p) => p.trim()).filter((p) => p.length > 0))
    .filter((paragraphs) => paragraphs.length > 0)
    .map((paragraphs) => ({ direction: determineDirection(paragraphs.join(' ')), paragraphs }));
  return { subject, blocks };
}

function determineDirection(text: string): 'ltr' | 'rtl' {
  const rtl = [...text].filter((c) => rtlCharacter.test(c)).length;
  const latin = (text.match(/\p{Script=Latin}/gu) ?? []).length;
  return rtl > latin ? 'rtl' : 'ltr';
}
