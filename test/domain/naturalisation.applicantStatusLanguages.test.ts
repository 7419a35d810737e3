import { applicantLanguageDirection, applicantLanguages, applicantStatusTexts, describeStatusForApplicant, formatApplicantDate } from '../../domain/naturalisation/applicantStatus';
import { applicantTranslations } from '../../domain/naturalisation/applicantTranslations';
import { naturalisationStages } from '../../domain/naturalisation/stages';
import { findTranslationRecordProblems } from '../../domain/outreach/messageTemplates';

/** The applicant's status in all seven languages of the status page (the outreach languages machine-translated). */
describe('the applicant status in every language', () => {
  const situations = naturalisationStages.flatMap((stage) =>
    [false, true].flatMap((suspended) =>
      [{ waitingFor: 'applicant' as const, deadlines: { documentsDueOn: '2026-12-23' } }, { waitingFor: 'applicant' as const, deadlines: {} }, { waitingFor: 'authority' as const, deadlines: {} }]
        .map((waiting) => ({ stage, suspended, ...waiting, decision: null }))));

  test.each(situations)('$stage (suspended $suspended, waiting for $waitingFor): stage, awaited and next step have text in all seven languages', (situation) => {
    const status = describeStatusForApplicant(situation);
    const texts = [status.stage, status.nextStep, ...(status.awaitedFromYou ? [status.awaitedFromYou] : [])];
    expect(status.awaitedFromYou === null).toBe(situation.waitingFor !== 'applicant');
    for (const text of texts) {
      expect(Object.keys(text).sort()).toEqual([...applicantLanguages].sort());
      for (const language of applicantLanguages) {
        expect(text[language].trim()).not.toBe('');
        expect(text[language]).not.toMatch(/[{}]/);
      }
    }
  });

  test('every stage has its own text in every language, and the outreach languages are not the English one', () => {
    for (const language of applicantLanguages) {
      const stages = applicantStatusTexts[language].stage;
      expect(Object.keys(stages).sort()).toEqual([...naturalisationStages].sort());
      expect(new Set(Object.values(stages)).size).toBe(naturalisationStages.length);
      if (language !== 'en') expect(stages.received).not.toBe(applicantStatusTexts.en.stage.received);
    }
  });

  test('the deadline is written as each language writes a date, in the Gregorian calendar', () => {
    const awaited = describeStatusForApplicant({ stage: 'waiting_for_documents', waitingFor: 'applicant', suspended: false, deadlines: { documentsDueOn: '2026-12-23' }, decision: null }).awaitedFromYou!;
    expect(awaited.de).toContain('(bis 23.12.2026)');
    expect(awaited.en).toContain('(by 23 December 2026)');
    expect(awaited.tr).toContain('23 Aralık 2026');
    expect(awaited.ru).toContain('23 декабря 2026');
    expect(awaited.uk).toContain('23 грудня 2026');
    expect(awaited.ar).toContain('ديسمبر');
    // Farsi in Persian digits, but the Gregorian year (2026), not the Solar Hijri one (1405).
    expect(awaited.fa).toContain('۲۰۲۶');
    expect(formatApplicantDate('fa', '2026-12-23')).not.toContain('۱۴۰۵');
  });
});

describe('the translation files of the status page (templates/applicant)', () => {
  test.each(Object.values(applicantTranslations))('$language: a machine translation, not yet reviewed, recorded as the outreach templates record it', (file) => {
    expect(findTranslationRecordProblems({ language: file.language, translation: file.translation as never })).toEqual([]);
    expect(file.translation).toMatchObject({ status: 'machine_translated', reviewedBy: null, reviewedOn: null });
    expect(file.direction).toBe(applicantLanguageDirection(file.language as never));
    expect(file.languageName.trim()).not.toBe('');
  });

  test('every file has the same page texts, none empty, each with the placeholders of the others', () => {
    const [first, ...others] = Object.values(applicantTranslations);
    const keys = Object.keys(first.page).sort();
    for (const file of [first, ...others]) {
      expect(Object.keys(file.page).sort()).toEqual(keys);
      for (const key of keys) {
        expect(file.page[key].trim()).not.toBe('');
        expect(file.page[key].match(/\{\w+\}/g) ?? []).toEqual(first.page[key].match(/\{\w+\}/g) ?? []);
      }
    }
  });
});
