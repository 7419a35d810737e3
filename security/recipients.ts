import { z } from 'zod';

/**
 * One e-mail address, nothing else: no display name, no list, no comment, no whitespace or line
 * break — so a value that reaches a To: header or an SMTP envelope can never add a recipient.
 * (A deliberately narrow subset of RFC 5321 § 4.1.2 addresses.)
 */
const singleAddress = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
/** A staff id that is not an address: letters, digits, dot, underscore, hyphen. */
const plainId = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

/** Whether the value is exactly one e-mail address. */
export function isSingleEmailAddress(value: string): boolean {
  return value.length <= 254 && singleAddress.test(value);
}

/**
 * The one recipient a user-supplied value may name: the address itself when it is exactly one
 * address, otherwise `undefined` (a plain staff id, a list, anything with a comma). Where
 * recipients are built, each is passed through this and the results are passed as an array to
 * the mailer — user input is never joined into a recipient string.
 */
export function toSingleRecipient(value: string | null | undefined): string | undefined {
  if (typeof value !== 'string') return undefined;
  return isSingleEmailAddress(value) ? value : undefined;
}

/** An assignee: a staff member's plain id or exactly one e-mail address. */
export const assigneeSchema = z
  .string()
  .min(1)
  .max(200)
  .refine((value) => plainId.test(value) || isSingleEmailAddress(value), 'must be one staff id or one e-mail address (no lists, no spaces)');
