import type { LocalPostgres } from '../../scripts/localPostgres';

/** Stops and removes the PostgreSQL server the global setup started, if it started one. */
export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as { kimTestPostgres?: LocalPostgres };
  await holder.kimTestPostgres?.destroy();
  holder.kimTestPostgres = undefined;
}
