import { letterFont, prepareRtlLine, renderLetterPdf } from '../../activities/letters/pdfLetter';
import { loadOutreachTemplates } from '../../activities/outreach/templates';
import { renderOutreachLetter } from '../../domain/outreach/messageTemplates';
import path from 'node:path';

/** The visual order (left to right) fontkit gives a prepared right-to-left line, as text. */
function visual(line: string): string {
  // fontkit (pdfkit's layout engine) ships no types.
  const fontkit = require('fontkit') as { openSync: (file: string) => unknown };
  const font = fontkit.openSync(letterFont) as { layout: (...args: unknown[]) => { glyphs: { codePoints: number[] }[] } };
  return font
    .layout(prepareRtlLine(line), undefined, 'arab', undefined, 'rtl')
    .glyphs.map((g) => String.fromCodePoint(...g.codePoints))
    .join('');
}

describe('right-to-left lines of the printed letter', () => {
  test.each<[string, string]>([
    ['من 01.03.2027', 'من 7202.30.10'],
    ['(§ 10 Abs. 1 StAG)', ')GAtS 1 .sbA 01 §('],
    ['لا https://x.example/a?b=c', 'لا c=b?a/elpmaxe.x//:sptth'],
  ])('prepareRtlLine(%j) = %j', (line, prepared) => {
    expect(prepareRtlLine(line)).toBe(prepared);
  });

  test('after fontkit: Latin and digit runs read left to right, the Arabic word stands rightmost, brackets face the right way', () => {
    // Visual order left to right; Arabic letters are listed in reversed (visual) order.
    expect(visual('من 01.03.2027 (§ 10 Abs. 1 StAG)')).toBe('(§ 10 Abs. 1 StAG) 01.03.2027 نم');
    expect(visual('Amina Haddad المحترم')).toBe('مرتحملا Amina Haddad');
  });

  test('an Arabic letter renders as a PDF', async () => {
    const templates = loadOutreachTemplates(path.resolve(__dirname, '..', '..', '..', 'templates', 'outreach'));
    const letter = renderOutreachLetter(templates, 'ar', { kind: 'campaign', name: 'Amina Haddad', title: { de: 'Infoabend', ar: 'أمسية' }, details: { de: 'Text' }, eventOn: '2027-01-20', place: 'Köln', optOutUrl: 'https://x.example/o?token=a' });
    const pdf = await renderLetterPdf(letter, { name: 'Amina Haddad', lines: ['Domstraße 1', '50667 Köln'] });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });
});
