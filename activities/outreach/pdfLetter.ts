import fs from 'node:fs';
import PDFDocument from 'pdfkit';
import type { RenderedOutreachLetter } from '../../domain/outreach/messageTemplates';

/** DejaVu Sans (Debian `fonts-dejavu-core`): Latin, Cyrillic, Arabic and Persian glyphs in one font. */
export const letterFont = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';

/**
 * The printable letter (A4) for a person without e-mail: the postal address window, then each
 * language block, German first. Right-to-left blocks are set right-aligned; pdfkit shapes Arabic
 * letters through fontkit's Arabic shaper and orders the glyphs of an all-Arabic run right to
 * left, but implements no Unicode bidi algorithm: numbers and Latin words inside an Arabic line
 * (the date, "§ 10 Abs. 1 StAG", a URL) can appear in the wrong place. The HTML e-mail (`dir="rtl"`)
 * is the correct rendering; see README "Outreach".
 * @returns the PDF as a Buffer
 */
export async function renderLetterPdf(letter: RenderedOutreachLetter, address: { name: string; lines: string[] }): Promise<Buffer> {
  if (!fs.existsSync(letterFont)) throw new Error(`the letter font is missing: ${letterFont} (apt-get install fonts-dejavu-core)`);
  const doc = new PDFDocument({ size: 'A4', margins: { top: 60, bottom: 60, left: 70, right: 60 }, info: { Title: letter.subject } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.registerFont('body', letterFont);
  doc.font('body').fontSize(10);
  doc.text([address.name, ...address.lines].join('\n'), 70, 130, { width: 240 });
  doc.moveDown(4);
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
