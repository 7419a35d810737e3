import { describeStatusForApplicant } from '../../domain/naturalisation/applicantStatus';
import { assessCompleteness, determineDocumentDeadline, determineReminderDay } from '../../domain/naturalisation/completeness';
import { determineFee } from '../../domain/naturalisation/fees';

describe('document checklist: missing and outdated documents', () => {
  test.each([
    // issued, asOf, outdated? — six months from the day of issue (§ 188 Abs. 2 BGB counting)
    ['2026-05-25', '2026-11-25', false],
    ['2026-05-24', '2026-11-25', true],
    ['2026-02-28', '2026-08-28', false],
    ['2025-08-31', '2026-02-28', false], // § 188 Abs. 3 BGB: no 31 February → last day of February
    ['2025-08-31', '2026-03-01', true],
  ])('issued %s, checked %s: outdated %s', (issuedOn, asOf, outdated) => {
    const result = assessCompleteness([{ type: 'income_proof', status: 'present', issuedOn }], asOf);
    expect(result.outdated).toEqual(outdated ? ['income_proof'] : []);
    expect(result.complete).toBe(!outdated);
  });

  test('missing documents and documents whose age does not matter', () => {
    expect(
      assessCompleteness(
        [
          { type: 'passport', status: 'present', issuedOn: '2015-01-01', expires: false },
          { type: 'birth_certificate', status: 'missing' },
        ],
        '2026-11-25',
      ),
    ).toEqual({ complete: false, missing: ['birth_certificate'], outdated: [] });
  });
});

describe('document deadline (§ 31 VwVfG NRW with §§ 187, 188, 193 BGB)', () => {
  test.each([
    ['2026-11-25', 28, '2026-12-23'], // a Wednesday
    ['2026-11-28', 28, '2026-12-28'], // ends Saturday 26 Dec (also 2. Weihnachtstag) → Monday 28 Dec
    ['2026-03-06', 28, '2026-04-07'], // ends Friday 3 April 2026 (Karfreitag) → Tuesday after Ostermontag
  ])('requested %s with %i days: due %s', (requestedOn, days, dueOn) => {
    expect(determineDocumentDeadline(requestedOn, days)).toBe(dueOn);
  });

  test('the reminder goes out a week before, never before the request', () => {
    expect(determineReminderDay('2026-11-25', '2026-12-23', 7)).toBe('2026-12-16');
    expect(determineReminderDay('2026-11-25', '2026-11-27', 7)).toBe('2026-11-25');
  });
});

describe('fees (§ 38 Abs. 2 StAG)', () => {
  test.each([
    [{ outcome: 'approved' as const, decidedOn: '2026-11-25' }, 255],
    [{ outcome: 'approved' as const, decidedOn: '2026-11-25', minorChildrenNaturalisedWithApplicant: 2 }, 357],
    [{ outcome: 'refused' as const, decidedOn: '2026-11-25' }, 255],
    [{ outcome: 'withdrawn' as const, decidedOn: '2026-11-25', refusalFeeEuro: 25 }, 25],
  ])('%o costs %i euros', (input, euro) => {
    expect(determineFee(input).euro).toBe(euro);
  });

  test('a refusal fee outside 25 to 255 euros is an error, and so is a date before the first schedule', () => {
    expect(() => determineFee({ outcome: 'refused', decidedOn: '2026-11-25', refusalFeeEuro: 24 })).toThrow(/between 25 and 255/);
    expect(() => determineFee({ outcome: 'refused', decidedOn: '2026-11-25', refusalFeeEuro: 256 })).toThrow(/between 25 and 255/);
    expect(() => determineFee({ outcome: 'approved', decidedOn: '2011-12-31' })).toThrow(/no fee schedule/);
  });
});

describe('the applicant status view', () => {
  test('waiting for the applicant: names the deadline in both languages', () => {
    const status = describeStatusForApplicant({
      stage: 'waiting_for_documents', waitingFor: 'applicant', suspended: false, deadlines: { documentsDueOn: '2026-12-23' }, decision: null,
    });
    expect(status.awaitedFromYou?.de).toContain('bis 23.12.2026');
    expect(status.awaitedFromYou?.en).toContain('by 23 December 2026');
  });

  test('waiting for other agencies: nothing is awaited from the applicant', () => {
    const status = describeStatusForApplicant({ stage: 'inquiries', waitingFor: 'other_agency', suspended: false, deadlines: {}, decision: null });
    expect(status.awaitedFromYou).toBeNull();
    expect(status.nextStep.en).toMatch(/other agencies/);
  });

  test('a suspended procedure says so', () => {
    const status = describeStatusForApplicant({ stage: 'decision', waitingFor: 'authority', suspended: true, deadlines: {}, decision: null });
    expect(status.nextStep.de).toMatch(/ruht/);
  });
});
