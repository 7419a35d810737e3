import type { Pool } from 'pg';
import { createAuditQueries, type AuditEntry } from '../db/queries/audit';

/**
 * Refusals (no or a bad token, a wrong role, too many requests) are audited without letting a
 * flood of them flood the audit trail: the first refusal of a (client or subject, action,
 * reason) in a minute is written at once; the repeats in that minute are counted and written as
 * one row (`detail.repeated`) when the minute has ended. At most `maxBuckets` groups are kept
 * per minute; beyond them, refusals are counted per (action, reason) under the actor `*`.
 */
export function createRefusalAudit(
  write: (entry: AuditEntry) => Promise<void>,
  options: { now?: () => number; windowMs?: number; maxBuckets?: number; onError?: (error: unknown) => void } = {},
) {
  const now = options.now ?? Date.now;
  const windowMs = options.windowMs ?? 60_000;
  const maxBuckets = options.maxBuckets ?? 10_000;
  const buckets = new Map<string, { window: number; entry: AuditEntry; repeated: number }>();

  async function flush(all = false): Promise<void> {
    const current = Math.floor(now() / windowMs);
    for (const [key, bucket] of buckets) {
      if (!all && bucket.window >= current) continue;
      buckets.delete(key);
      if (bucket.repeated === 0) continue;
      await write({
        ...bucket.entry,
        detail: { ...bucket.entry.detail, repeated: bucket.repeated, window: new Date(bucket.window * windowMs).toISOString() },
      });
    }
  }

  return {
    /** Audits one refusal; `client` is the caller's rate-limit key (address group or subject). */
    async record(entry: AuditEntry & { detail: { reason: string } }, client: string): Promise<void> {
      const window = Math.floor(now() / windowMs);
      await flush().catch(options.onError ?? (() => undefined));
      let key = JSON.stringify([window, client, entry.actor, entry.action, entry.authorityId ?? null, entry.detail.reason]);
      let overflow = false;
      if (!buckets.has(key) && buckets.size >= maxBuckets) {
        key = JSON.stringify([window, '*', entry.action, entry.detail.reason]);
        overflow = true;
      }
      const bucket = buckets.get(key);
      if (bucket) {
        bucket.repeated += 1;
        return;
      }
      const first: AuditEntry = overflow
        ? { ...entry, actor: '*', authorityId: null, detail: { ...entry.detail, client: '*' } }
        : { ...entry, detail: { ...entry.detail, client } };
      buckets.set(key, { window, entry: first, repeated: 0 });
      await write(first);
    },
    /** Writes the counts of ended minutes (`all`: of every minute, at shutdown). */
    flush,
    get pending(): number {
      return buckets.size;
    },
  };
}
export type RefusalAudit = ReturnType<typeof createRefusalAudit>;

const perPool = new WeakMap<Pool, { audit: RefusalAudit; timer: NodeJS.Timeout }>();

/** The refusal audit of a database (one per pool), flushing ended minutes every minute. */
export function refusalAuditFor(pool: Pool): RefusalAudit {
  let entry = perPool.get(pool);
  if (!entry) {
    const audit = createRefusalAudit((row) => createAuditQueries(pool).insertAuditEntry(row));
    const timer = setInterval(() => void audit.flush().catch(() => undefined), 60_000);
    timer.unref();
    entry = { audit, timer };
    perPool.set(pool, entry);
  }
  return entry.audit;
}
