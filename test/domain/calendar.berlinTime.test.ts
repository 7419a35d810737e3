import fc from 'fast-check';
import { computeBerlinUtcOffset, startOfDayInBerlin, toBerlinLocalDate } from '../../domain/calendar/berlinTime';
import { addDays, LocalDate, toEpochDay, toLocalDate } from '../../domain/calendar/localDate';

const HOUR = 3_600_000;

// Reference implementation for the tests only (domain code must not use Intl time zones).
const berlinFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Berlin',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
function describeInBerlinViaIntl(epochMs: number): { date: LocalDate; time: string } {
  const parts = Object.fromEntries(berlinFormat.formatToParts(epochMs).map((p) => [p.type, p.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

function describeInBerlinViaDomain(epochMs: number): { date: LocalDate; time: string } {
  const localMs = epochMs + computeBerlinUtcOffset(epochMs);
  return { date: toBerlinLocalDate(epochMs), time: new Date(localMs).toISOString().slice(11, 16) };
}
const utc = (iso: string): number => Date.parse(iso);

const arbitraryDate = (from: LocalDate, to: LocalDate): fc.Arbitrary<LocalDate> =>
  fc.integer({ min: toEpochDay(from), max: toEpochDay(to) }).map(toLocalDate);

describe('startOfDayInBerlin — § 4 EinhZeitG, Directive 2000/84/EC', () => {
  test.each([
    ['2026-01-15', '2026-01-14T23:00:00.000Z'], // CET
    ['2026-03-28', '2026-03-27T23:00:00.000Z'],
    ['2026-03-29', '2026-03-28T23:00:00.000Z'], // switch day to CEST starts in CET
    ['2026-03-30', '2026-03-29T22:00:00.000Z'], // first full CEST day
    ['2026-07-01', '2026-06-30T22:00:00.000Z'],
    ['2026-10-25', '2026-10-24T22:00:00.000Z'], // switch day to CET starts in CEST
    ['2026-10-26', '2026-10-25T23:00:00.000Z'],
    ['2026-01-01', '2025-12-31T23:00:00.000Z'], // year end
    ['2024-02-29', '2024-02-28T23:00:00.000Z'], // leap day
    ['2025-03-30', '2025-03-29T23:00:00.000Z'],
    ['2025-03-31', '2025-03-30T22:00:00.000Z'],
    ['2025-10-26', '2025-10-25T22:00:00.000Z'],
    ['2025-10-27', '2025-10-26T23:00:00.000Z'],
    ['1995-09-24', '1995-09-23T22:00:00.000Z'], // 1981–1995: summer time ended in September
    ['1995-09-25', '1995-09-24T23:00:00.000Z'],
    ['1996-10-27', '1996-10-26T22:00:00.000Z'], // first October switch
    ['1975-07-01', '1975-06-30T23:00:00.000Z'], // no summer time 1950–1979
  ])('%s starts at %s', (date, expected) => {
    expect(startOfDayInBerlin(date)).toBe(utc(expected));
  });

  test.each([
    ['2026-03-29', 23],
    ['2026-10-25', 25],
    ['2026-03-28', 24],
    ['2026-10-24', 24],
  ])('%s lasts %i hours', (date, hours) => {
    expect(startOfDayInBerlin(addDays(date, 1)) - startOfDayInBerlin(date)).toBe(hours * HOUR);
  });

  test('years before 1950 are not modelled', () => {
    expect(() => startOfDayInBerlin('1949-12-31')).toThrow(RangeError);
    expect(startOfDayInBerlin('1950-01-01')).toBe(utc('1949-12-31T23:00:00.000Z'));
  });
});

describe('toBerlinLocalDate', () => {
  test.each([
    ['2026-03-29T00:59:59.999Z', '2026-03-29', HOUR], // 01:59:59.999 CET
    ['2026-03-29T01:00:00.000Z', '2026-03-29', 2 * HOUR], // 03:00 CEST
    ['2026-03-29T21:59:59.999Z', '2026-03-29', 2 * HOUR],
    ['2026-03-29T22:00:00.000Z', '2026-03-30', 2 * HOUR],
    ['2026-10-24T21:59:59.999Z', '2026-10-24', 2 * HOUR],
    ['2026-10-24T22:00:00.000Z', '2026-10-25', 2 * HOUR],
    ['2026-10-25T00:59:59.999Z', '2026-10-25', 2 * HOUR], // 02:59:59.999 CEST
    ['2026-10-25T01:00:00.000Z', '2026-10-25', HOUR], // 02:00 CET (second time)
    ['2026-10-25T22:59:59.999Z', '2026-10-25', HOUR],
    ['2026-10-25T23:00:00.000Z', '2026-10-26', HOUR],
    ['2025-12-31T22:59:59.999Z', '2025-12-31', HOUR],
    ['2025-12-31T23:00:00.000Z', '2026-01-01', HOUR],
    ['2024-02-28T23:00:00.000Z', '2024-02-29', HOUR],
    ['2024-02-29T22:59:00.000Z', '2024-02-29', HOUR],
  ])('%s → %s', (iso, expected, offset) => {
    const epochMs = utc(iso);
    expect(toBerlinLocalDate(epochMs)).toBe(expected);
    expect(computeBerlinUtcOffset(epochMs)).toBe(offset);
  });

  test('rejects non-finite instants', () => {
    expect(() => toBerlinLocalDate(Number.NaN)).toThrow(RangeError);
    expect(() => toBerlinLocalDate(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe('Berlin time — properties', () => {
  test('toBerlinLocalDate(startOfDayInBerlin(d)) === d for all d in 1990–2100', () => {
    fc.assert(
      fc.property(arbitraryDate('1990-01-01', '2100-12-31'), (date) => {
        const start = startOfDayInBerlin(date);
        expect(toBerlinLocalDate(start)).toBe(date);
        expect(toBerlinLocalDate(start - 1)).toBe(addDays(date, -1));
      }),
      { numRuns: 5000 },
    );
  });

  test('exhaustive round trip over every day 1990–2100, days last 23, 24 or 25 hours', () => {
    let previous = startOfDayInBerlin('1989-12-31');
    for (let epochDay = toEpochDay('1990-01-01'); epochDay <= toEpochDay('2100-12-31'); epochDay += 1) {
      const date = toLocalDate(epochDay);
      const start = startOfDayInBerlin(date);
      if (toBerlinLocalDate(start) !== date || ![23, 24, 25].includes((start - previous) / HOUR)) {
        throw new Error(`Mismatch at ${date}`);
      }
      previous = start;
    }
  });

  test('agrees with the IANA time-zone database (via Intl) for instants 1950–2100', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1950, 0, 1), max: Date.UTC(2100, 11, 31) }), (epochMs) => {
        expect(describeInBerlinViaDomain(epochMs)).toEqual(describeInBerlinViaIntl(epochMs));
      }),
      { numRuns: 5000 },
    );
  });

  test('agrees with Intl at every switch and midnight instant in the switch weeks 1980–2100', () => {
    // Switches happen at 01:00 UTC; local midnight is 22:00 or 23:00 UTC. Check the last
    // millisecond before and the first one at each of these, on every day of the 8 days either
    // side of 1 April, 1 October and 1 November.
    const probes = [1, 22, 23].flatMap((hour) => [hour * HOUR - 1, hour * HOUR]);
    for (let year = 1980; year <= 2100; year += 1) {
      for (const monthIndex of [3, 9, 10]) {
        for (let dayOffset = -8; dayOffset <= 8; dayOffset += 1) {
          for (const probe of probes) {
            const epochMs = Date.UTC(year, monthIndex, 1) + dayOffset * 24 * HOUR + probe;
            const viaIntl = describeInBerlinViaIntl(epochMs);
            const ours = describeInBerlinViaDomain(epochMs);
            if (ours.date !== viaIntl.date || ours.time !== viaIntl.time) {
              throw new Error(`Mismatch at ${new Date(epochMs).toISOString()}: ${JSON.stringify(ours)} vs ${JSON.stringify(viaIntl)}`);
            }
          }
        }
      }
    }
  });

  test('startOfDayInBerlin is 00:00 local time per Intl for days 1950–2100', () => {
    fc.assert(
      fc.property(arbitraryDate('1950-01-01', '2100-12-31'), (date) => {
        expect(describeInBerlinViaIntl(startOfDayInBerlin(date))).toEqual({ date, time: '00:00' });
      }),
      { numRuns: 3000 },
    );
  });
});
