import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The opt-out link's token: the person's id and an HMAC-SHA256 over it with the deployment's
 * secret (`OUTREACH_OPT_OUT_SECRET`). Whoever holds the link may opt that person out — nothing
 * else: the token reads no data and expires never (an opt-out must keep working years later).
 */
export function createOptOutToken(personId: string, secret: string): string {
  return `${personId}.${sign(personId, secret)}`;
}

/** The person id of a genuine token; null for anything forged, altered or malformed. */
export function verifyOptOutToken(token: string, secret: string): string | null {
  const match = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return null;
  const expected = Buffer.from(sign(match[1]!, secret));
  const given = Buffer.from(match[2]!);
  return expected.length === given.length && timingSafeEqual(expected, given) ? match[1]! : null;
}

function sign(personId: string, secret: string): string {
  return createHmac('sha256', secret).update(`outreach-opt-out:${personId}`).digest('base64url');
}
