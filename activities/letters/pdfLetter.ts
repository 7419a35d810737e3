import fs from 'node:fs';
import PDFDocument from 'pdfkit';
import { rtlCharacter, type PrintableLetter } from '../../domain/letters/printableLetter';

/** DejaVu Sans (Debian `fonts-dejavu-core`): Latin, Cyrillic, Arabic and Persian glyphs in one font. */
export const letterFont = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';

/** Latin letters, digits and what joins them inside one left-to-right run (dates, § references, URLs). */
const ltrRun = /[\p{Script=Latin}\p{Nd}§][\p{Script=Latin}\p{Nd}§.,:/?=&%_+@'’ -]*[\p{Script=Latin}\p{Nd}]|[\p{Script=Latin}\p{Nd}]/gu;
const rtlChar = rtlCharacter;

/**
 * A right-to-left line prepared for a layout that reverses the whole line: each left-to-right
 * run is reversed in advance, so that after the reversal it reads left to right again and the
 * runs stand in right-to-left order, and brackets in right-to-left text are mirrored (the
 * one-level case of the Unicode bidi algorithm).
 */
export function prepareRtlLine(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(ltrRun)) {
    out += mirrorBrackets(text.slice(last, match.index)) + [...match[0]].reverse().join('');
    last = match.index + match[0].length;
  }
  return out + mirrorBrackets(text.slice(last));
}

const mirrored: Record<string, string> = { '(': ')', ')': '(', '[': ']', ']': '[', '{': '}', '}': '{', '<': '>', '>': '<', '«': '»', '»': '«' };

/** Brackets in right-to-left text show mirrored (Unicode Bidi_Mirrored); fontkit does not mirror them. */
function mirrorBrackets(text: string): string {
  return text.replace(/[()[\]{}<>«»]/g, (c) => mirrored[c]!);
}

type FontkitLayout = (text: string, features?: unknown, script?: string, language?: string, direction?: string) => unknown;

/** Makes the document's current font lay out lines with right-to-left script as such. */
function forceRtlLayout(doc: PDFKit.PDFDocument): void {
  // pdfkit keeps the fontkit font of an embedded font in `_font.font` (not public API).
  const font = (doc as unknown as { _font: { font: { layout: FontkitLayout } } })._font.font;
  const layout = font.layout.bind(font);
  font.layout = (text, features) => (rtlChar.test(text) ? layout(prepareRtlLine(text), features, 'arab', undefined, 'rtl') : layout(text, features));
}

/**
 * The printable letter (A4) for a person without e-mail — of any process: outreach renders its
 * blocks itself, the print queue splits an outbox letter's text (`splitLetterText`). The postal
 * address window, the subject, then each language block, German first, each on its own page. Right-to-left blocks are set right-aligned, each line laid out
 * whole (pdfkit passes a line with `features` to fontkit in one run) with the Arabic script and
 * right-to-left direction forced, and Latin/digit runs pre-reversed (`prepareRtlLine`), so that
 * fontkit's shaping and reversal give the right visual order. This is a simplified bidi (one
 * level), not the full Unicode algorithm; see README "Outreach".
 * @returns the PDF as a Buffer
 */
export async function renderLetterPdf(letter: PrintableLetter, address: { name: string; lines: string[] }): Promise<Buffer> {
  if (!fs.existsSync(letterFont)) throw new Error(`the letter font is missing: ${letterFont} (apt-get install fonts-dejavu-core)`);
  const doc = new PDFDocument({ size: 'A4', margins: { top: 60, bottom: 60, left: 70, right: 60 }, info: { Title: letter.subject } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.registerFont('body', letterFont);
  doc.font('body').fontSize(10);
  forceRtlLayout(doc);
  doc.text([address.name, ...address.lines].join('\n'), 70, 130, { width: 240 });
  doc.moveDown(4);
  doc.text(letter.subject, { align: letter.blocks[0]?.direction === 'rtl' ? 'right' : 'left' });
  doc.moveDown(1.5);
  for (const [index, block] of letter.blocks.entries()) {
    if (index > 0) doc.addPage();
    const rtl = block.direction === 'rtl';
    for (const paragraph of block.paragraphs) {
      doc.text(paragraph, { align: rtl ? 'right' : 'left', ...(rtl ? { features: ['rtla'] } : {}) });
      doc.moveDown(0.8);
    }
  }
  doc.end();
  return done;
}
