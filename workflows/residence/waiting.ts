import { condition } from '@temporalio/workflow';

/**
 * Waits until `fn` holds or `ms` have passed; true if `fn` held. A moment already past (0 ms)
 * does not start a timer: it has elapsed, unless `fn` holds already.
 */
export async function waitUntil(fn: () => boolean, ms: number): Promise<boolean> {
  if (ms <= 0) return fn();
  return condition(fn, ms);
}
