/**
 * A fixed-window request limit per key (a token's subject, or a client address without one).
 * In memory, per API process: a bound against runaway clients, not a quota system.
 */
export function createRateLimiter(limitPerMinute: number, now: () => number = Date.now) {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    /** Counts one request; returns the seconds to wait when over the limit, else 0. */
    take(key: string): number {
      const time = now();
      const window = windows.get(key);
      if (!window || time - window.start >= 60_000) {
        if (windows.size > 50_000) windows.clear();
        windows.set(key, { start: time, count: 1 });
        return 0;
      }
      window.count += 1;
      return window.count > limitPerMinute ? Math.ceil((window.start + 60_000 - time) / 1000) : 0;
    },
  };
}
export type RateLimiter = ReturnType<typeof createRateLimiter>;
