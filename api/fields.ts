import { z } from 'zod';

/**
 * Building blocks for the fields of every request schema, so that each kind of value is
 * checked the same way everywhere.
 */

/**
 * One of a fixed list of values. A refusal lists what is accepted (zod's default message names
 * them too, but only as a union of quoted literals), with an optional hint for a common mistake.
 */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T, hint?: string) {
  return z.enum(values, { message: `must be one of: ${values.join(', ')}${hint ? ` (${hint})` : ''}` });
}
