import { splitLetterText } from '../../domain/letters/printableLetter';

describe('splitLetterText: an outbox letter back into its language blocks', () => {
  test.each<[string, string, { direction: 'ltr' | 'rtl'; paragraphs: string[] }[]]>([
    [
      'residence separator (---); a document list of "- " lines stays one paragraph',
      'Guten Tag,\n\nBitte bringen Sie mit:\n- Reisepass\n- Passfoto\n\n---\n\nDear Sir or Madam,\n',
      [
        { direction: 'ltr', paragraphs: ['Guten Tag,', 'Bitte bringen Sie mit:\n- Reisepass\n- Passfoto'] },
        { direction: 'ltr', paragraphs: ['Dear Sir or Madam,'] },
      ],
    ],
    [
      'outreach separator (----------) with an Arabic block (a date inside stays)',
      'Sehr geehrte Frau Haddad,\r\n\r\nText\n\n----------\n\nالسيدة حداد المحترمة\n\nمن 01.03.2027',
      [
        { direction: 'ltr', paragraphs: ['Sehr geehrte Frau Haddad,', 'Text'] },
        { direction: 'rtl', paragraphs: ['السيدة حداد المحترمة', 'من 01.03.2027'] },
      ],
    ],
    ['German only', 'Guten Tag,\n\nText\n', [{ direction: 'ltr', paragraphs: ['Guten Tag,', 'Text'] }]],
  ])('%s', (_name, text, blocks) => {
    expect(splitLetterText('Betreff', text)).toEqual({ subject: 'Betreff', blocks });
  });
});
