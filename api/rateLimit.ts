import net from 'node:net';
import type { RequestHandler } from 'express';

/**
 * A fixed-window request limit per key (a token's subject, or a client address group), in memory
 * per API process: a bound against runaway clients and floods, not a quota system.
 *
 * The store holds at most `maxKeys` keys, least recently used evicted first — but never a key
 * that is blocked in its current window. So flooding the store with fresh keys cannot reset a
 * blocked key (the weakness of "clear when full"). What eviction can still do is forget the
 * count of a key that is not blocked; that costs the flooder `maxKeys` requests for at most
 * `limitPerMinute` more requests of one key. If every key is blocked the store grows past
 * `maxKeys`; each blocked key cost more than `limitPerMinute` requests within its minute, so the
 * growth is bounded by the request rate, and the keys leave when their minute ends.
 */
export function createRateLimiter(limitPerMinute: number, now: () => number = Date.now, maxKeys = 50_000) {
  const windowMs = 60_000;
  // Map order is the recency order: a touched key is moved to the end.
  const windows = new Map<string, { start: number; count: number }>();
  // Blocked: the next request of the window would be over the limit.
  const isBlocked = (window: { start: number; count: number }, time: number) => time - window.start < windowMs && window.count >= limitPerMinute;
  const evictOne = (time: number) => {
    for (const [key, window] of windows) {
      if (!isBlocked(window, time)) {
        windows.delete(key);
        return;
      }
    }
  };
  const waitOf = (window: { start: number }, time: number) => Math.max(1, Math.ceil((window.start + windowMs - time) / 1000));
  return {
    /** Counts one request; returns the seconds to wait when over the limit, else 0. */
    take(key: string): number {
      const time = now();
      let window = windows.get(key);
      if (window) windows.delete(key);
      if (!window || time - window.start >= windowMs) {
        if (windows.size >= maxKeys) evictOne(time);
        window = { start: time, count: 0 };
      }
      window.count += 1;
      windows.set(key, window);
      return window.count > limitPerMinute ? waitOf(window, time) : 0;
    },
    /** The seconds a key must wait before its next request, without counting one (0: it may go on). */
    retryAfter(key: string): number {
      const time = now();
      const window = windows.get(key);
      return window && isBlocked(window, time) ? waitOf(window, time) : 0;
    },
    /** How many keys the store holds. */
    get size(): number {
      return windows.size;
    },
  };
}
export type RateLimiter = ReturnType<typeof createRateLimiter>;

/**
 * The rate-limit key of a client address: an IPv4 address as it is, an IPv6 address by its /64
 * prefix (one subscriber usually holds a whole /64, and can pick any address in it), an
 * IPv4-mapped IPv6 address as the IPv4 address it maps.
 */
export function toClientKey(address: string | undefined): string {
  if (!address) return 'ip:unknown';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return `ip:${mapped[1]}`;
  if (net.isIPv4(address)) return `ip:${address}`;
  if (!net.isIPv6(address)) return `ip:${address}`;
  return `ip6:${expandIpv6(address).slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, without leading zeros. */
function expandIpv6(address: string): string[] {
  const withoutZone = address.split('%')[0].toLowerCase();
  const [head, tail] = withoutZone.includes('::') ? withoutZone.split('::') : [withoutZone, undefined];
  const toGroups = (part: string) => (part ? part.split(':') : []).flatMap((group) => {
    if (!group.includes('.')) return [group];
    const bytes = group.split('.').map(Number); // an embedded IPv4 tail
    return [((bytes[0] << 8) | bytes[1]).toString(16), ((bytes[2] << 8) | bytes[3]).toString(16)];
  });
  const first = toGroups(head);
  const last = tail === undefined ? [] : toGroups(tail);
  const zeros = tail === undefined ? [] : Array(8 - first.length - last.length).fill('0');
  return [...first, ...zeros, ...last].map((group) => parseInt(group, 16).toString(16));
}

/**
 * Express's `trust proxy` setting from TRUST_PROXY: unset or "false" trusts no proxy (the
 * client address is the socket's); a number trusts that many hops; otherwise a comma-separated
 * list of addresses, subnets or the names `loopback`, `linklocal`, `uniquelocal`.
 */
export function parseTrustProxy(value: string | undefined): boolean | number | string[] {
  const text = value?.trim() ?? '';
  if (text === '' || text === 'false' || text === '0') return false;
  if (text === 'true') return true;
  if (/^\d+$/.test(text)) return Number(text);
  return text.split(',').map((part) => part.trim()).filter(Boolean);
}

/**
 * Express middleware: counts each request against its client's key (`toClientKey(req.ip)`,
 * under `scope`) and answers 429 with Retry-After when over the limit, before anything else runs.
 */
export function limitEachClient(limiter: RateLimiter, scope: string): RequestHandler {
  return (req, res, next) => {
    const wait = limiter.take(`${scope}:${toClientKey(req.ip)}`);
    if (wait > 0) {
      res.set('Retry-After', String(wait)).status(429).type('text/plain').send('Too many requests: try again later.');
      return;
    }
    next();
  };
}
