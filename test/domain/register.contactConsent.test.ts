import fc from 'fast-check';
import {
  checkContactConsentChange,
  determineContactConsent,
  hasContactConsent,
  type ContactConsentEntry,
  type ContactPurpose,
} from '../../domain/register/contactConsent';

const entry = (purpose: ContactPurpose, status: 'given' | 'withdrawn', on: string, recordedAt = `${on}T10:00:00.000Z`): ContactConsentEntry => ({
  id: `${purpose}-${status}-${on}`,
  purpose,
  status,
  on,
  source: 'document',
  recordedBy: 'clerk',
  recordedAt,
});

/** Art. 6 Abs. 1 Satz 1 lit. a DSGVO: consent from its day; Art. 7 Abs. 3 DSGVO: a withdrawal ends it from its day on. */
describe('determineContactConsent / hasContactConsent', () => {
  const history = [entry('residence_information', 'given', '2026-03-01'), entry('residence_information', 'withdrawn', '2026-09-15'), entry('naturalisation_information', 'given', '2026-01-01')];
  test.each<[string, string, 'given' | 'withdrawn' | 'none', string | null]>([
    ['nothing recorded before the first entry', '2026-02-28', 'none', null],
    ['the day consent is given', '2026-03-01', 'given', '2026-03-01'],
    ['the day before the withdrawal', '2026-09-14', 'given', '2026-03-01'],
    ['the day of the withdrawal', '2026-09-15', 'withdrawn', '2026-09-15'],
    ['long after', '2030-01-01', 'withdrawn', '2026-09-15'],
  ])('%s (%s): %s', (_name, asOf, status, since) => {
    expect(determineContactConsent(history, 'residence_information', asOf)).toEqual({ purpose: 'residence_information', status, since });
    expect(hasContactConsent(history, 'residence_information', asOf)).toBe(status === 'given');
  });

  test('purposes are separate: consent to naturalisation information is no consent to residence letters', () => {
    expect(hasContactConsent([entry('naturalisation_information', 'given', '2026-01-01')], 'residence_information', '2026-06-01')).toBe(false);
  });

  test('two entries on one day: the later recorded wins', () => {
    const sameDay = [entry('residence_information', 'withdrawn', '2026-05-05', '2026-05-05T12:00:00.000Z'), entry('residence_information', 'given', '2026-05-05', '2026-05-05T09:00:00.000Z')];
    expect(determineContactConsent(sameDay, 'residence_information', '2026-05-05').status).toBe('withdrawn');
  });

  test('property: entries dated after asOf never change the state on asOf', () => {
    const day = fc.integer({ min: 0, max: 3000 }).map((n) => new Date(Date.UTC(2020, 0, 1 + n)).toISOString().slice(0, 10));
    const arbitraryEntry = fc.record({ status: fc.constantFrom('given' as const, 'withdrawn' as const), on: day });
    fc.assert(
      fc.property(fc.array(arbitraryEntry, { maxLength: 8 }), fc.array(arbitraryEntry, { maxLength: 8 }), day, (before, after, asOf) => {
        const past = before.filter((e) => e.on <= asOf).map((e, i) => entry('residence_information', e.status, e.on, `2019-01-01T00:00:${String(i).padStart(2, '0')}.000Z`));
        const future = after.filter((e) => e.on > asOf).map((e) => entry('residence_information', e.status, e.on));
        expect(determineContactConsent([...past, ...future], 'residence_information', asOf)).toEqual(determineContactConsent(past, 'residence_information', asOf));
      }),
    );
  });
});

/** Art. 7 Abs. 1 DSGVO: the consent's record must show what was given when; changes only in date order and only when they change something. */
describe('checkContactConsentChange', () => {
  const given = [entry('residence_information', 'given', '2026-03-01')];
  test.each<[string, ContactConsentEntry[], 'given' | 'withdrawn', string, boolean]>([
    ['first consent, today', [], 'given', '2026-11-26', true],
    ['first consent, backdated to the form', [], 'given', '2026-01-10', true],
    ['a future day', [], 'given', '2026-11-27', false],
    ['withdrawal without consent', [], 'withdrawn', '2026-11-26', false],
    ['given twice', given, 'given', '2026-11-26', false],
    ['withdrawal before the consent', given, 'withdrawn', '2026-02-28', false],
    ['withdrawal on the day of consent', given, 'withdrawn', '2026-03-01', true],
    ['withdrawal today', given, 'withdrawn', '2026-11-26', true],
  ])('%s: allowed %s', (_name, entries, status, on, allowed) => {
    const check = checkContactConsentChange(entries, { purpose: 'residence_information', status, on }, '2026-11-26');
    expect(check.allowed).toBe(allowed);
    if (!check.allowed) {
      expect(check.reason.de.length).toBeGreaterThan(0);
      expect(check.reason.en.length).toBeGreaterThan(0);
    }
  });
});
