import path from 'node:path';
import { splitVisualRuns, toVisualText } from '../../activities/letters/bidiRuns';
import { layoutBidiLine, letterFont, renderLetterPdf } from '../../activities/letters/pdfLetter';
import { loadOutreachTemplates } from '../../activities/outreach/templates';
import { renderOutreachLetter } from '../../domain/outreach/messageTemplates';

// fontkit (pdfkit's layout engine) ships no types.
const fontkit = require('fontkit') as { openSync: (file: string) => unknown };
const font = fontkit.openSync(letterFont) as { layout: Parameters<typeof layoutBidiLine>[0] };

/** The visual order (left to right) in which the letter sets a line: the glyphs fontkit produced, as text. */
function setLine(line: string, base: 'ltr' | 'rtl'): string {
  return layoutBidiLine(font.layout.bind(font), line, undefined, base)
    .glyphs.map((g) => String.fromCodePoint(...(g as unknown as { codePoints: number[] }).codePoints))
    .join('');
}

/**
 * Right-to-left lines of the printed letter by the Unicode bidi algorithm (UAX #9, bidi-js).
 * Expected strings are the visual order, left to right; Arabic and Persian letters therefore
 * appear reversed. Worked out by the rules cited: European digits after an Arabic letter become
 * Arabic numbers (W2) and form their own left-to-right run; after a Latin letter they join its
 * run (W7); Persian digits (U+06F0…) are European numbers, so W2 applies to them too; neutrals
 * between runs of different direction take the paragraph's (N1, N2); brackets at a right-to-left
 * level are mirrored (L4); an isolate (U+2066 … U+2069) keeps a reference together.
 */
describe('bidi runs of a letter line (UAX #9)', () => {
  test.each<[string, string, 'ltr' | 'rtl', string]>([
    ['Arabic, date and an isolated § reference', 'من 01.03.2027 (\u2066§ 10 Abs. 1 StAG\u2069).', 'rtl', '.(§ 10 Abs. 1 StAG) 01.03.2027 نم'],
    ['Arabic, the same reference not isolated (W2 splits the number off)', 'من 01.03.2027 (§ 10 Abs. 1 StAG)', 'rtl', '(Abs. 1 StAG 10 §) 01.03.2027 نم'],
    ['Arabic line beginning with a Latin name', 'Amina Haddad المحترم', 'rtl', 'مرتحملا Amina Haddad'],
    ['Arabic with date, Latin place and a trailing number', 'بتاريخ 15.03.2027 في مبنى Rathaus Köln، الغرفة 2', 'rtl', '2 ةفرغلا ،Rathaus Köln ىنبم يف 15.03.2027 خيراتب'],
    ['Arabic with a URL', 'الرابط: https://x.example/o?token=a1', 'rtl', 'https://x.example/o?token=a1 :طبارلا'],
    ['Farsi with a file reference and a Persian-digit date', 'شماره پرونده ABH-2027/15 از ۱۴۰۵/۰۹/۰۵', 'rtl', '۱۴۰۵/۰۹/۰۵ زا ABH-2027/15 هدنورپ هرامش'],
    ['Farsi with B1, a German title and a bracketed number', 'سطح B1 و آزمون Leben in Deutschland (۳۳ سؤال)', 'rtl', '(لاؤس ۳۳) Leben in Deutschland نومزآ و B1 حطس'],
    ['German line with an Arabic place name', 'Termin: 20.01.2027, Ort: مسجد النور', 'ltr', 'Termin: 20.01.2027, Ort: رونلا دجسم'],
  ])('%s', (_name, line, base, visual) => {
    expect(toVisualText(splitVisualRuns(line, base))).toBe(visual);
    // fontkit shapes each run (joining the Arabic letters) and the glyphs come out in the same order.
    expect(setLine(line, base)).toBe(visual);
  });

  test('right-to-left runs are handed to the shaper in logical order with mirrored brackets; controls are dropped', () => {
    expect(splitVisualRuns('سطح B1 و آزمون Leben in Deutschland (۳۳ سؤال)', 'rtl')).toEqual([
      { text: ' سؤال(', direction: 'rtl' },
      { text: '۳۳', direction: 'ltr' },
      { text: ' )', direction: 'rtl' },
      { text: 'Leben in Deutschland', direction: 'ltr' },
      { text: ' و آزمون ', direction: 'rtl' },
      { text: 'B1', direction: 'ltr' },
      { text: 'سطح ', direction: 'rtl' },
    ]);
    expect(splitVisualRuns('(\u2066§ 1\u2069)', 'rtl').map((r) => r.text).join('')).not.toMatch(/[\u2066\u2069]/);
    expect(splitVisualRuns('', 'rtl')).toEqual([]);
  });

  test('Arabic and Persian letters of a run are shaped in their joining forms', () => {
    // ب at the start of بتاريخ takes its initial form: another glyph than the letter standing alone (the run is reversed: it is the last glyph).
    const shaped = layoutBidiLine(font.layout.bind(font), 'بتاريخ', undefined, 'rtl').glyphs as unknown as { id: number }[];
    const isolated = layoutBidiLine(font.layout.bind(font), 'ب', undefined, 'rtl').glyphs as unknown as { id: number }[];
    expect(shaped).toHaveLength(6);
    expect(shaped[shaped.length - 1]!.id).not.toBe(isolated[0]!.id);
  });

  test.each(['ar', 'fa'])('a letter in %s renders as a PDF', async (language) => {
    const templates = loadOutreachTemplates(path.resolve(__dirname, '..', '..', '..', 'templates', 'outreach'));
    const letter = renderOutreachLetter(templates, language, {
      kind: 'eligibility',
      name: 'Amina Haddad',
      date: '2027-03-01',
      requirements: [{ id: 'german_language', status: 'to_check', basis: '§ 10 Abs. 1 Satz 1 Nr. 6 StAG' }],
      applyUrl: 'https://x.example/apply',
      optOutUrl: 'https://x.example/o?token=a',
    });
    const pdf = await renderLetterPdf(letter, { name: 'Amina Haddad', lines: ['Domstraße 1', '50667 Köln'] });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });
});
