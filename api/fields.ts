import { z } from 'zod';
import { toBerlinLocalDate } from '../domain/calendar/berlinTime';
import { checkDateOfBirth } from '../domain/register/fieldRules';
import { AppError, type FieldIssue } from './errors';

/**
 * Building blocks for the fields of every request schema, so that each kind of value is checked
 * the same way everywhere, and nothing the database cannot store (or the rules cannot compute
 * with) gets past the API: text is bounded and free of NUL characters (PostgreSQL's `text` and
 * `jsonb` cannot hold U+0000), dates and instants lie in a realistic range (PostgreSQL has no
 * year 0, JavaScript dates end in 275760), integers fit PostgreSQL's `integer`.
 */

/** The range every date and instant of the API lies in. */
export const dateRange = { earliest: '1900-01-01', latest: '2199-12-31' } as const;

/** PostgreSQL's `integer` (int4). */
export const int4Range = { min: -2_147_483_648, max: 2_147_483_647 } as const;

const NUL = '\u0000';
const nulMessage = 'must not contain NUL characters (U+0000)';

/** Free text of at most `max` characters, without NUL characters; trimmed unless `trim: false`. */
export function text(options: { max: number; min?: number; trim?: boolean }) {
  const base = options.trim === false ? z.string() : z.string().trim();
  return base
    .min(options.min ?? 0)
    .max(options.max)
    .refine((value) => !value.includes(NUL), { message: nulMessage, abort: true });
}

/** A string that matches `pattern` (a plain regular expression: no flags, see the OpenAPI test) and is at most `max` long. */
export function pattern(regex: RegExp, message: string, max: number) {
  if (regex.flags !== '') throw new Error(`a pattern of the API carries no flags (the OpenAPI document cannot): /${regex.source}/${regex.flags}`);
  return z.string().max(max).regex(regex, message);
}

const inDateRange = (value: string) => value >= dateRange.earliest && value <= dateRange.latest;
// A value that is no date at all is refused by the format check alone (one message, not two).
const isDateShaped = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value);
const rangeMessage = `must lie between ${dateRange.earliest} and ${dateRange.latest}`;

/** An ISO calendar date (YYYY-MM-DD) between `dateRange.earliest` and `dateRange.latest`. */
export const calendarDate = z.iso
  .date({ message: 'must be a calendar date YYYY-MM-DD' })
  .refine((value) => !isDateShaped(value) || inDateRange(value), { message: rangeMessage });

/** An ISO instant with its offset (`2026-12-01T10:00:00+01:00`), in the same range as dates. */
export const instant = z.iso
  .datetime({ offset: true, message: 'must be a date and time with offset, e.g. 2026-12-01T10:00:00+01:00' })
  .refine((value) => Number.isNaN(Date.parse(value)) || inDateRange(new Date(value).toISOString().slice(0, 10)), { message: rangeMessage });

/** An integer that PostgreSQL's `integer` can hold, within `min`..`max` if given. */
export function int4(options: { min?: number; max?: number } = {}) {
  return z
    .number()
    .int()
    .min(Math.max(options.min ?? int4Range.min, int4Range.min))
    .max(Math.min(options.max ?? int4Range.max, int4Range.max));
}

/** The same, from a query string. */
export function queryInt4(options: { min?: number; max?: number } = {}) {
  return z.coerce
    .number()
    .int()
    .min(Math.max(options.min ?? int4Range.min, int4Range.min))
    .max(Math.min(options.max ?? int4Range.max, int4Range.max));
}

/**
 * One of a fixed list of values. A refusal lists what is accepted (zod's default message names
 * them too, but only as a union of quoted literals), with an optional hint for a common mistake.
 */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T, hint?: string) {
  return z.enum(values, { message: `must be one of: ${values.join(', ')}${hint ? ` (${hint})` : ''}` });
}

/**
 * The NUL characters anywhere in a request part (in any string, or any key of an object), as
 * field issues. Checked by `toExpressHandler` for every route before its schemas, so that no
 * route, present or future, can pass one on to PostgreSQL.
 */
export function findNulCharacters(value: unknown, location: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const visit = (node: unknown, path: string[]) => {
    if (typeof node === 'string') {
      if (node.includes(NUL)) issues.push({ path: [location, ...path].join('.'), message: nulMessage, code: 'nul_character' });
    } else if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, [...path, String(index)]));
    } else if (node !== null && typeof node === 'object' && !Buffer.isBuffer(node)) {
      for (const [key, item] of Object.entries(node)) {
        if (key.includes(NUL)) issues.push({ path: [location, ...path, key.replaceAll(NUL, '\\u0000')].join('.'), message: nulMessage, code: 'nul_character' });
        visit(item, [...path, key]);
      }
    }
  };
  visit(value, []);
  return issues;
}

/**
 * Dates of birth lie in the past: none of `entries` (already valid by `dateOfBirthSchema`) may lie
 * after the request's day, read from the API's clock (`deps.clock`). The schema cannot know the
 * day; every route that takes a date of birth calls this before anything is stored (400 naming
 * each field).
 */
export function assertDatesOfBirthNotAfter(clock: () => Date, entries: { path: string; value: string | null | undefined }[]): void {
  const today = toBerlinLocalDate(clock().getTime());
  const issues = entries.flatMap(({ path, value }) => {
    const problem = value === null || value === undefined ? null : checkDateOfBirth(value, today);
    return problem ? [{ path, message: problem, code: 'custom' }] : [];
  });
  if (issues.length > 0) throw new AppError('request.invalid', 400, 'the request is invalid', issues);
}
