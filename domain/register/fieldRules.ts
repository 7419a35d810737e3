import { z } from 'zod';

/**
 * What the register can store, checked before anything reaches the database: text without NUL
 * characters (PostgreSQL text cannot hold U+0000) and of a sane length, calendar dates that
 * exist and lie in 1900–2100 (the register's range: birth dates and residence documents of
 * living persons). Shared by the API's schemas and the bulk load's row checks, so a CSV row and
 * a JSON body are judged alike.
 */

export const REGISTER_FIRST_DATE = '1900-01-01';
export const REGISTER_LAST_DATE = '2100-12-31';

/** Longest free text (names, bases, grounds, addresses), in characters. */
export const maxTextLength = { short: 100, name: 200, long: 2000 } as const;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `value` is an existing calendar day `YYYY-MM-DD` (leap years included). */
export function isExistingDate(value: string): boolean {
  const match = DATE_PATTERN.exec(value);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return day <= days;
}

/** A problem with one value, in English, or null when the register can store it. */
export function checkRegisterDate(value: string): string | null {
  if (!isExistingDate(value)) return 'must be an existing calendar date YYYY-MM-DD';
  if (value < REGISTER_FIRST_DATE || value > REGISTER_LAST_DATE) return `must lie between ${REGISTER_FIRST_DATE} and ${REGISTER_LAST_DATE}`;
  return null;
}

export function checkRegisterText(value: string, maxLength: number): string | null {
  if (value.includes('\u0000')) return 'must not contain NUL characters';
  if (value.length > maxLength) return `must be at most ${maxLength} characters`;
  return null;
}

/** German `TT.MM.JJJJ`, as spreadsheets of German offices write dates, to ISO; anything else unchanged. */
export function normaliseGermanDate(value: string): string {
  const german = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(value.trim());
  return german ? `${german[3]}-${german[2]}-${german[1]}` : value.trim();
}

/** A calendar day the register can store. */
export const registerDateSchema = z.string().max(10, 'must be a calendar date YYYY-MM-DD').superRefine((value, ctx) => {
  const problem = checkRegisterDate(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/**
 * The earliest date of birth accepted anywhere a person is entered (API, CSV imports, cohort
 * filters): no living person the authorities deal with was born before it, and a year such as
 * 0125 is a typing error, not a birth.
 */
export const EARLIEST_DATE_OF_BIRTH = '1900-01-01';

/**
 * A problem with a date of birth, in English, or null. Without `today` only what holds on any
 * day is checked (an existing date from `EARLIEST_DATE_OF_BIRTH` to the register's last date);
 * with it, the date must not lie after that day — the day of the request or of the upload, from
 * the caller's clock (nothing here reads one).
 */
export function checkDateOfBirth(value: string, today?: string): string | null {
  if (!isExistingDate(value)) return 'must be an existing calendar date YYYY-MM-DD';
  if (value < EARLIEST_DATE_OF_BIRTH) return `must not lie before ${EARLIEST_DATE_OF_BIRTH}`;
  if (today !== undefined && value > today) return `must not lie after today (${today}): a date of birth lies in the past`;
  if (value > REGISTER_LAST_DATE) return `must lie between ${EARLIEST_DATE_OF_BIRTH} and ${REGISTER_LAST_DATE}`;
  return null;
}

/**
 * A date of birth, wherever a person is entered: what holds on any day (`checkDateOfBirth`
 * without a day). That it does not lie after the day of entry needs the caller's clock: the API
 * checks it with `assertDatesOfBirthNotAfter` (api/fields.ts), the imports pass their day to
 * `checkDateOfBirth`.
 */
export const dateOfBirthSchema = z.string().max(10, 'must be a calendar date YYYY-MM-DD').superRefine((value, ctx) => {
  const problem = checkDateOfBirth(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** Text the register can store: no NUL, at most `maxLength` characters, trimmed; `min` 1 by default. */
export function registerTextSchema(maxLength: number, minLength = 1) {
  return z
    .string()
    .max(maxLength, `must be at most ${maxLength} characters`)
    .refine((value) => !value.includes('\u0000'), 'must not contain NUL characters')
    .transform((value) => value.trim())
    .pipe(z.string().min(minLength, minLength === 1 ? 'must not be empty' : `must be at least ${minLength} characters`).max(maxLength, `must be at most ${maxLength} characters`));
}

/** ISO 3166-1 alpha-2 country code, upper case. */
export const countryCodeSchema = z.string().max(2).regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code such as "SY"');

/** ISO 639-1 language code, lower case. */
export const languageCodeSchema = z.string().max(2).regex(/^[a-z]{2}$/, 'must be an ISO 639-1 language code such as "en"');

/** Who or what a recorded value comes from. */
export const factSources = ['document', 'clerk', 'import', 'case_management'] as const;
export type FactSource = (typeof factSources)[number];
