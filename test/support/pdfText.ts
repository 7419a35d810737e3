import { inflateSync } from 'node:zlib';

/**
 * The text of a PDF written by pdfkit with an embedded font: its streams inflated, the font's
 * ToUnicode map (bfrange arrays) read, and the glyph codes of every text operator (`Tj`, `TJ`)
 * mapped back to characters, one line per operator. Enough to check what a letter says; not a
 * general PDF reader (one embedded font, no layout).
 */
export function extractPdfText(pdf: Buffer): string {
  const binary = pdf.toString('latin1');
  const streams: string[] = [];
  const pattern = /(?<!end)stream\r?\n/g;
  for (let match = pattern.exec(binary); match; match = pattern.exec(binary)) {
    const start = match.index + match[0].length;
    const end = binary.indexOf('endstream', start);
    if (end < 0) break;
    const raw = Buffer.from(binary.slice(start, end), 'latin1');
    try {
      streams.push(inflateSync(raw).toString('latin1'));
    } catch {
      streams.push(raw.toString('latin1'));
    }
    pattern.lastIndex = end;
  }
  const glyphs = new Map<number, string>();
  for (const cmap of streams.filter((s) => s.includes('beginbfrange'))) {
    for (const range of cmap.matchAll(/<([0-9a-fA-F]+)> <([0-9a-fA-F]+)> \[([^\]]*)\]/g)) {
      const first = parseInt(range[1], 16);
      [...range[3].matchAll(/<([0-9a-fA-F ]+)>/g)].forEach((entry, offset) => {
        const units = entry[1].split(' ').map((hex) => parseInt(hex, 16));
        glyphs.set(first + offset, String.fromCharCode(...units));
      });
    }
  }
  const lines: string[] = [];
  for (const content of streams.filter((s) => !s.includes('beginbfrange'))) {
    // pdfkit writes one text operator per line: `[<0012…> 40 <…>] TJ`.
    for (const operator of content.split('\n').filter((l) => /^\[?<[0-9a-fA-F]/.test(l) && / T[jJ]$/.test(l))) {
      let line = '';
      for (const hex of operator.matchAll(/<([0-9a-fA-F]*)>/g)) {
        for (let i = 0; i + 4 <= hex[1].length; i += 4) line += glyphs.get(parseInt(hex[1].slice(i, i + 4), 16)) ?? '\uFFFD';
      }
      lines.push(line);
    }
  }
  return lines.join('\n');
}
