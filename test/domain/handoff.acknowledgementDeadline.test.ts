import { startOfDayInBerlin } from '../../domain/calendar/berlinTime';
import { addWorkingDays, determineAcknowledgementDeadlines, isAnsweredInTime } from '../../domain/handoff/acknowledgementDeadline';

const at = (iso: string) => Date.parse(iso);

describe('addWorkingDays (weekends and NRW public holidays, § 2 Abs. 1 FTG NW, do not count)', () => {
  test.each([
    // [from, count, expected, why]
    ['2027-05-25', 1, '2027-05-26', 'Tuesday → Wednesday'],
    ['2027-05-26', 1, '2027-05-28', 'Wednesday → Friday: Corpus Christi (Fronleichnam) 2027-05-27 is skipped'],
    ['2027-05-25', 3, '2027-05-31', 'Wed 26, (Thu 27 Fronleichnam), Fri 28, (weekend), Mon 31'],
    ['2027-05-28', 1, '2027-05-31', 'Friday → Monday across the weekend'],
    ['2027-05-22', 1, '2027-05-24', 'sent on a Saturday: Monday is the first working day'],
    ['2026-12-18', 5, '2026-12-28', 'Mon 21 – Thu 24 (Heiligabend is no statutory holiday), Christmas 25/26, weekend, Mon 28'],
    ['2027-05-14', 1, '2027-05-18', 'Friday → Tuesday: Whit Monday (Pfingstmontag) 2027-05-17 is skipped'],
    ['2027-05-25', 0, '2027-05-25', 'zero working days: the day itself'],
  ])('%s + %i working days = %s (%s)', (from, count, expected) => {
    expect(addWorkingDays(from, count)).toBe(expected);
  });

  test('a negative or fractional count is an error, not a guess', () => {
    expect(() => addWorkingDays('2027-05-25', -1)).toThrow(RangeError);
    expect(() => addWorkingDays('2027-05-25', 1.5)).toThrow(RangeError);
  });
});

describe('determineAcknowledgementDeadlines', () => {
  test('sent Tuesday 2027-05-25 10:00 with 3 / 2 / 5 working days: across Corpus Christi and a weekend', () => {
    const deadlines = determineAcknowledgementDeadlines(at('2027-05-25T08:00:00Z'), { acceptanceWorkingDays: 3, escalationWorkingDays: 2, expiryWorkingDays: 5 });
    expect(deadlines).toEqual({
      acceptBy: '2027-05-31',
      reminderAt: at('2027-05-31T22:00:00Z'), // 00:00 CEST on Tuesday 1 June
      escalateBy: '2027-06-02',
      escalationAt: at('2027-06-02T22:00:00Z'),
      expireBy: '2027-06-09',
      expiryAt: at('2027-06-09T22:00:00Z'),
    });
  });

  test('the day of sending is the Berlin day: 23:30 UTC on Monday is already Tuesday in Berlin', () => {
    const deadlines = determineAcknowledgementDeadlines(at('2027-05-24T22:30:00Z'), { acceptanceWorkingDays: 1, escalationWorkingDays: 1, expiryWorkingDays: 1 });
    expect(deadlines.acceptBy).toBe('2027-05-26');
    expect(deadlines.escalateBy).toBe('2027-05-28');
    expect(deadlines.expireBy).toBe('2027-05-31');
  });

  test('in winter the instants are 00:00 CET (23:00 UTC)', () => {
    const deadlines = determineAcknowledgementDeadlines(at('2026-12-18T09:00:00Z'), { acceptanceWorkingDays: 5, escalationWorkingDays: 2, expiryWorkingDays: 5 });
    expect(deadlines.acceptBy).toBe('2026-12-28');
    expect(deadlines.reminderAt).toBe(startOfDayInBerlin('2026-12-29'));
    expect(deadlines.reminderAt).toBe(at('2026-12-28T23:00:00Z'));
    // Tue 29, Wed 30; then Thu 31, (New Year), Mon 4, Tue 5, Wed 6, Thu 7
    expect(deadlines.escalateBy).toBe('2026-12-30');
    expect(deadlines.expireBy).toBe('2027-01-07');
  });

  test('an answer is in time until the reminder instant, not at it', () => {
    const deadlines = determineAcknowledgementDeadlines(at('2027-05-25T08:00:00Z'), { acceptanceWorkingDays: 3, escalationWorkingDays: 2, expiryWorkingDays: 5 });
    expect(isAnsweredInTime(deadlines.reminderAt - 1, deadlines)).toBe(true);
    expect(isAnsweredInTime(deadlines.reminderAt, deadlines)).toBe(false);
  });
});
