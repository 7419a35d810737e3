import type { Pool } from 'pg';
import { createMetricsQueries } from '../../db/queries/metrics';
import { createOutboxRelayQueries } from '../../db/queries/outboxRelay';
import { processes } from '../../processes';
import { Gauge, type MetricsRegistry } from './registry';

/**
 * The system's own gauges, read from PostgreSQL at each scrape: what waits in the outbox, and
 * which cases are past their next due instant. A database that cannot be reached at scrape time
 * leaves them out of that scrape (an operator alerts on their absence, too).
 */
export function registerSystemMetrics(registry: MetricsRegistry, pool: Pool): void {
  const queries = createMetricsQueries(pool);
  let outbox: Promise<{ pending: number; oldestAgeSeconds: number }> | undefined;
  // One query serves both outbox gauges of a scrape.
  const readOutbox = () => {
    outbox ??= queries.findPendingOutboxSummary().finally(() => setTimeout(() => (outbox = undefined), 100));
    return outbox;
  };
  registry.register(
    new Gauge('kim_outbox_pending_messages', 'Messages in the outbox not yet delivered (status pending).', async () => [
      { value: (await readOutbox()).pending },
    ]),
  );
  registry.register(
    new Gauge('kim_outbox_oldest_pending_age_seconds', 'Age of the oldest undelivered message in the outbox; 0 when none waits.', async () => [
      { value: (await readOutbox()).oldestAgeSeconds },
    ]),
  );
  registry.register(
    new Gauge(
      'kim_outbox_fallback_recipient_messages',
      'Messages of the last 24 hours sent to a fallback mailbox because the staff directory has no mailbox for the case\'s authority and team.',
      async () => [{ value: await queries.countFallbackRecipientMessagesOfLastDay() }],
    ),
  );
  const relay = createOutboxRelayQueries(pool);
  registry.register(
    new Gauge(
      'kim_outbox_relay_messages',
      "The outbox relay's pending messages by state: due (waiting for a relay), leased (being sent), retrying (waiting after a failed attempt).",
      async () => {
        const counts = await relay.countRelayMessagesByState();
        return (['due', 'leased', 'retrying'] as const).map((state) => ({ labels: { state }, value: counts[state] }));
      },
    ),
  );
  registry.register(
    new Gauge(
      'kim_cases_overdue',
      'Cases whose next due instant (a timer or a deadline, projection next_due_at) has passed, per case type.',
      async () => {
        const counts = await queries.countOverdueCasesByType();
        const caseTypes = new Set([...processes.map((process) => process.caseType), ...counts.map((row) => row.caseType)]);
        return [...caseTypes].sort().map((caseType) => ({ labels: { case_type: caseType }, value: counts.find((row) => row.caseType === caseType)?.count ?? 0 }));
      },
    ),
  );
}
