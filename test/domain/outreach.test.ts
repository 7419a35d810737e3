import path from 'node:path';
import { loadOutreachTemplates } from '../../activities/outreach/templates';
import { isContactAllowed } from '../../domain/outreach/contactBasis';
import { determineOutreachDate, isEligibilityMessageDue, listOutreachRequirements, type OutreachPeriod } from '../../domain/outreach/eligibilityDate';
import { renderOutreachLetter, requiredTemplateLanguages, selectLetterLanguages } from '../../domain/outreach/messageTemplates';
import { suppressSmallCells } from '../../domain/outreach/statisticsCells';
import { makeCriterion } from '../../domain/naturalisation/criterion';
import { createOptOutToken, verifyOptOutToken } from '../../security/optOutTokens';

const permit = (from: string, to: string | null = null): OutreachPeriod => ({ status: 'permit', from, to, permitBasis: '§ 25 Abs. 2 AufenthG', protectionGrantedLater: null });
const period = (status: OutreachPeriod['status'], from: string, to: string | null = null): OutreachPeriod => ({ status, from, to, permitBasis: null, protectionGrantedLater: null });

describe('determineOutreachDate — § 10 Abs. 1 Satz 1 StAG (five years since 27 June 2024)', () => {
  test.each<[string, OutreachPeriod[], string, string | null]>([
    // Met from the fifth anniversary of the first day (§ 187 Abs. 2 BGB, § 188 Abs. 2 BGB).
    ['a running permit: the anniversary ahead', [permit('2022-03-01')], '2026-11-26', '2027-03-01'],
    ['already met: the anniversary in the past', [permit('2020-01-15')], '2026-11-26', '2025-01-15'],
    ['leap day start: five years later on 1 March', [permit('2024-02-29')], '2026-11-26', '2029-03-01'],
    ['a Duldung now: not reachable under it', [period('duldung', '2021-01-01')], '2026-11-26', null],
    ['a Duldung interrupts: counting restarts after it', [period('duldung', '2019-01-01', '2022-12-31'), permit('2023-01-01')], '2026-11-26', '2028-01-01'],
    ['gestattung with later protection counts (§ 55 Abs. 3 AsylG)', [{ ...period('gestattung', '2021-06-01', '2022-05-31'), protectionGrantedLater: true }, permit('2022-06-01')], '2026-11-26', '2026-06-01'],
    ['no periods: no date', [], '2026-11-26', null],
    ['a period that starts after asOf is not yet read', [permit('2027-01-01')], '2026-11-26', null],
  ])('%s', (_name, periods, asOf, expected) => {
    expect(determineOutreachDate(periods, asOf)).toBe(expected);
  });

  test('a later start of the history moves the date by the same days', () => {
    expect(determineOutreachDate([permit('2022-03-01')], '2026-11-26')).toBe('2027-03-01');
    expect(determineOutreachDate([permit('2022-03-08')], '2026-11-26')).toBe('2027-03-08');
  });
});

describe('isEligibilityMessageDue', () => {
  test.each<[string | null, string, number, boolean]>([
    ['2026-11-26', '2026-11-26', 30, true],
    ['2026-11-27', '2026-11-26', 30, false],
    ['2026-10-27', '2026-11-26', 30, true],
    ['2026-10-26', '2026-11-26', 30, false],
    [null, '2026-11-26', 30, false],
  ])('date %s on %s (catch-up %i days): %s', (date, day, catchUp, due) => {
    expect(isEligibilityMessageDue(date, day, catchUp)).toBe(due);
  });
});

describe('listOutreachRequirements', () => {
  test('met stays met, not_met is needed, unknown and discretion are to check', () => {
    const criteria = [
      makeCriterion('residence_period', 'met', '§ 10 Abs. 1 Satz 1 StAG', 'x', 'x'),
      makeCriterion('german_language', 'unknown', '§ 10 Abs. 1 Satz 1 Nr. 6 StAG', 'x', 'x'),
      makeCriterion('civic_knowledge', 'not_met', '§ 10 Abs. 1 Satz 1 Nr. 7 StAG', 'x', 'x'),
      makeCriterion('livelihood', 'discretion', '§ 10 Abs. 1 Satz 1 Nr. 3 StAG', 'x', 'x'),
      makeCriterion('convictions', 'met', '§ 10 Abs. 1 Satz 1 Nr. 5 StAG', 'x', 'x'),
    ];
    expect(listOutreachRequirements({ criteria }).map((r) => [r.id, r.status])).toEqual([
      ['residence_period', 'met'],
      ['german_language', 'to_check'],
      ['civic_knowledge', 'needed'],
      ['livelihood', 'to_check'],
    ]);
  });
});

describe('templates and letters', () => {
  const templates = loadOutreachTemplates(path.resolve(__dirname, '..', '..', '..', 'templates', 'outreach'));

  test('every programme language has a template file with a version', () => {
    for (const language of requiredTemplateLanguages) expect(templates.get(language)?.version).toMatch(/^\d{4}-\d{2}-\d{2}\.\d+$/);
  });

  test.each<[string, string[]]>([
    ['de', ['de']],
    ['ar', ['de', 'ar']],
    ['fa', ['de', 'fa']],
    ['uk', ['de', 'uk']],
    ['vi', ['de', 'en']],
  ])('preferred %s: letter languages %j (German first)', (preferred, languages) => {
    expect(selectLetterLanguages(preferred, new Set(templates.keys()))).toEqual(languages);
  });

  test('an Arabic letter: German block first, Arabic right to left in the HTML, versions recorded', () => {
    const letter = renderOutreachLetter(templates, 'ar', {
      kind: 'eligibility',
      name: 'Amina Haddad',
      date: '2027-03-01',
      requirements: [
        { id: 'residence_period', status: 'met', basis: '' },
        { id: 'german_language', status: 'needed', basis: '' },
      ],
      applyUrl: 'https://apply.example',
      optOutUrl: 'https://x.example/opt-out?token=t',
    });
    expect(letter.text.startsWith('Guten Tag Amina Haddad,')).toBe(true);
    expect(letter.text.indexOf('01.03.2027')).toBeLessThan(letter.text.indexOf('اعتبارًا'));
    expect(letter.html).toContain('<div lang="ar" dir="rtl"');
    expect(letter.html).toContain('<div lang="de" dir="ltr"');
    expect(letter.subject).toBe(`${templates.get('de')!.eligibility.subject} / ${templates.get('ar')!.eligibility.subject}`);
    expect(letter.templateVersion).toBe(`de@${templates.get('de')!.version}+ar@${templates.get('ar')!.version}`);
    expect(letter.text).toContain('Deutschkenntnisse auf Niveau B1');
  });

  test('HTML escapes what a campaign title carries', () => {
    const letter = renderOutreachLetter(templates, 'de', { kind: 'campaign', name: 'A', title: { de: '<b>Fest</b>' }, details: { de: 'x' }, optOutUrl: 'u' });
    expect(letter.html).toContain('&lt;b&gt;Fest&lt;/b&gt;');
  });
});

describe('contact, opt-out tokens and small cells', () => {
  test('consent basis needs consent; an opt-out always wins', () => {
    const consent = { kind: 'consent', reference: 'Art. 6 Abs. 1 Satz 1 Buchst. a DSGVO' } as const;
    const legal = { kind: 'legal_basis', reference: '§ 1 Test NRW' } as const;
    expect(isContactAllowed(consent, { consented: false, optedOut: false })).toBe(false);
    expect(isContactAllowed(consent, { consented: true, optedOut: false })).toBe(true);
    expect(isContactAllowed(legal, { consented: false, optedOut: false })).toBe(true);
    expect(isContactAllowed(legal, { consented: true, optedOut: true })).toBe(false);
  });

  test('a token verifies with its secret only, and an altered one is refused', () => {
    const id = '7f1c2a54-1111-4222-8333-944455556666';
    const token = createOptOutToken(id, 's3cret');
    expect(verifyOptOutToken(token, 's3cret')).toBe(id);
    expect(verifyOptOutToken(token, 'other')).toBeNull();
    expect(verifyOptOutToken(token.replace(id, '7f1c2a54-1111-4222-8333-944455556667'), 's3cret')).toBeNull();
    expect(verifyOptOutToken('garbage', 's3cret')).toBeNull();
  });

  test('counts below 5 are suppressed, and so is every rate built on them', () => {
    expect(
      suppressSmallCells(
        [
          { month: '2026-11', kind: 'campaign', contacted: 100, applied: 12 },
          { month: '2026-11', kind: 'eligibility', contacted: 4, applied: 1 },
          { month: '2026-12', kind: 'campaign', contacted: 40, applied: 3 },
          { month: '2027-01', kind: 'campaign', contacted: 9, applied: 6 },
        ],
        5,
      ),
    ).toEqual([
      { month: '2026-11', kind: 'campaign', contacted: 100, applied: 12, conversion: 0.12 },
      { month: '2026-11', kind: 'eligibility', contacted: null, applied: null, conversion: null },
      { month: '2026-12', kind: 'campaign', contacted: 40, applied: null, conversion: null },
      // 9 - 6 = 3 did not apply: showing 6 would reveal that small cell.
      { month: '2027-01', kind: 'campaign', contacted: 9, applied: null, conversion: null },
    ]);
  });
});
