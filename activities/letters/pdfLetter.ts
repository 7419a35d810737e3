import fs from 'node:fs';
import PDFDocument from 'pdfkit';
import type { PrintableLetter } from '../../domain/letters/printableLetter';
import { hasRightToLeftText, splitVisualRuns } from './bidiRuns';

/** DejaVu Sans (Debian `fonts-dejavu-core`): Latin, Cyrillic, Arabic and Persian glyphs in one font. */
export const letterFont = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';

interface Glyph {
  advanceWidth: number;
}
interface Position {
  xAdvance: number;
}
interface GlyphRun {
  glyphs: Glyph[];
  positions: Position[];
  readonly advanceWidth: number;
}
type FontkitLayout = (text: string, features?: string[], script?: string, language?: string, direction?: string) => GlyphRun;

/** The OpenType feature tag a paragraph passes to mark its base direction (harmless to fonts without it). */
export const baseDirectionFeature = { ltr: 'ltra', rtl: 'rtla' } as const;

/**
 * Lays out one line by the Unicode bidi algorithm (`splitVisualRuns`): each run shaped by fontkit
 * in its own direction (fontkit joins the Arabic letters of a right-to-left run and reverses it),
 * the runs' glyphs put side by side in visual order. @returns what fontkit's `layout` returns, as pdfkit reads it
 */
export function layoutBidiLine(layout: FontkitLayout, text: string, features: string[] | undefined, base: 'ltr' | 'rtl'): GlyphRun {
  const glyphs: Glyph[] = [];
  const positions: Position[] = [];
  for (const run of splitVisualRuns(text, base)) {
    const shaped = layout(run.text, features, undefined, undefined, run.direction);
    glyphs.push(...shaped.glyphs);
    positions.push(...shaped.positions);
  }
  return {
    glyphs,
    positions,
    // pdfkit scales the positions in place after layout, then reads the width: computed on demand, as fontkit's GlyphRun does.
    get advanceWidth() {
      return positions.reduce((width, p) => width + p.xAdvance, 0);
    },
  };
}

/**
 * Makes the document's current font lay out by the bidi algorithm every line that is marked with
 * a base direction (`features`) and is right-to-left or contains right-to-left letters.
 */
function useBidiLayout(doc: PDFKit.PDFDocument): void {
  // pdfkit keeps the fontkit font of an embedded font in `_font.font` (not public API).
  const font = (doc as unknown as { _font: { font: { layout: FontkitLayout } } })._font.font;
  const layout = font.layout.bind(font);
  font.layout = (text, features, ...rest) => {
    const base = features?.includes(baseDirectionFeature.rtl) ? 'rtl' : 'ltr';
    return base === 'rtl' || hasRightToLeftText(text) ? layoutBidiLine(layout, text, features, base) : layout(text, features, ...rest);
  };
}

/**
 * The printable letter (A4) for a person without e-mail — of any process: outreach renders its
 * blocks itself, the print queue splits an outbox letter's text (`splitLetterText`). The postal
 * address window, the subject, then each language block, German first, each on its own page. Right-to-left blocks are set right-aligned. Every paragraph passes
 * its base direction as a feature tag, so pdfkit hands each wrapped line to fontkit whole, and the
 * line is laid out by the Unicode bidi algorithm (`layoutBidiLine`): numbers, dates, references
 * and URLs inside Arabic or Persian text stand where UAX #9 puts them, as in the HTML e-mail.
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
  useBidiLayout(doc);
  doc.text([address.name, ...address.lines].join('\n'), 70, 130, { width: 240, features: [baseDirectionFeature.ltr] });
  doc.moveDown(4);
  doc.text(letter.subject, { align: letter.blocks[0]?.direction === 'rtl' ? 'right' : 'left', features: [letter.blocks[0]?.direction === 'rtl' ? baseDirectionFeature.rtl : baseDirectionFeature.ltr] });
  doc.moveDown(1.5);
  for (const [index, block] of letter.blocks.entries()) {
    if (index > 0) doc.addPage();
    const rtl = block.direction === 'rtl';
    for (const paragraph of block.paragraphs) {
      doc.text(paragraph, { align: rtl ? 'right' : 'left', features: [rtl ? baseDirectionFeature.rtl : baseDirectionFeature.ltr] });
      doc.moveDown(0.8);
    }
  }
  doc.end();
  return done;
}
