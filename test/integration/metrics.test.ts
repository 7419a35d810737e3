import { spawn, type ChildProcess } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createApp } from '../../api/app';
import { createHttpMetrics } from '../../api/metrics';
import { addDays } from '../../domain/calendar/localDate';
import { toBerlinLocalDate } from '../../domain/calendar/berlinTime';
import { MetricsRegistry } from '../../worker/metrics/registry';
import { startMetricsServer } from '../../worker/metrics/server';
import { startSystem, validApplicationBody } from '../support/system';
import { freePort } from '../support/temporal';

const workerMain = path.resolve(__dirname, '..', '..', 'worker', 'main.js');

/** The value of one sample in a scrape, or undefined when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || !line.startsWith(name)) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[3] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(match[4]);
  }
  return undefined;
}

async function scrape(url: string): Promise<string> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  return response.text();
}

async function scrapeUntil(url: string, check: (text: string) => boolean, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await scrape(url).catch(() => '');
    if (text && check(text)) return text;
    if (Date.now() > deadline) throw new Error(`the scrape of ${url} did not show what was expected:\n${text.slice(0, 3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('the metrics endpoint', () => {
  test('a worker process exports the SDK worker metrics, the outbox and the overdue cases; the API its requests by route and status', async () => {
    const system = await startSystem({ inProcessWorker: false });
    let worker: ChildProcess | undefined;
    let apiServer: Server | undefined;
    let apiMetrics: Awaited<ReturnType<typeof startMetricsServer>> | undefined;
    const output: string[] = [];
    try {
      // The API with its request metrics, as `npm start` builds it.
      const registry = new MetricsRegistry();
      const app = createApp(system.deps, { metrics: createHttpMetrics(registry) });
      apiServer = await new Promise<Server>((resolve) => {
        const s = app.listen(0, '127.0.0.1', () => resolve(s));
      });
      apiMetrics = await startMetricsServer({ host: '127.0.0.1', port: 0, registry });
      const apiUrl = `http://127.0.0.1:${(apiServer.address() as AddressInfo).port}`;

      // A worker process on its own, with its metrics port; the mail server is away, so the
      // acknowledgement waits in the outbox.
      await system.smtp.stop();
      const metricsPort = await freePort();
      worker = spawn(process.execPath, [workerMain], {
        env: {
          ...process.env,
          ...system.workerEnv,
          METRICS_PORT: String(metricsPort),
          // Only the queues this case needs: the others are another process's to serve.
          WORKER_TASK_QUEUES: 'naturalisation,messages',
          LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      worker.stdout!.on('data', (b: Buffer) => output.push(b.toString()));
      worker.stderr!.on('data', (b: Buffer) => output.push(b.toString()));
      const workerMetricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;

      // An application filed 130 days ago: its § 75 VwGO mark (three months) has passed.
      const filedOn = addDays(toBerlinLocalDate(Date.now()), -130);
      const token = await system.tokenFor(['ebh_clerk']);
      const post = await fetch(`${apiUrl}/api/v1/naturalisation/applications`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(validApplicationBody({ filedOn })),
      });
      expect(post.status).toBe(201);
      const refused = await fetch(`${apiUrl}/api/v1/naturalisation/applications/not-a-uuid`, { headers: { authorization: `Bearer ${token}` } });
      expect(refused.status).toBe(400);

      // The acknowledgement and the two § 75 warnings wait in the outbox: the acknowledgement
      // retried by the relay, the warnings behind it (a case's letters go out in order).
      const stuck = await scrapeUntil(
        workerMetricsUrl,
        (text) =>
          sample(text, 'kim_outbox_pending_messages') === 3 &&
          sample(text, 'kim_outbox_relay_messages', { state: 'retrying' }) === 1 &&
          sample(text, 'kim_outbox_relay_messages', { state: 'due' }) === 2 &&
          sample(text, 'kim_cases_overdue', { case_type: 'naturalisation' }) === 1,
      );
      // The two warnings go to the team's mailbox, which the staff directory lacks here: the
      // configured fallback (TEAM_MAILBOX), counted so an operator adds the directory entry.
      expect(sample(stuck, 'kim_outbox_fallback_recipient_messages')).toBe(2);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const older = await scrape(workerMetricsUrl);
      expect(sample(older, 'kim_outbox_oldest_pending_age_seconds')).toBeGreaterThan(sample(stuck, 'kim_outbox_oldest_pending_age_seconds')! + 1);
      // The SDK's worker metrics: pollers of the process's task queues, and the local activity that
      // wrote projection and letters.
      expect(sample(older, 'temporal_num_pollers', { task_queue: 'messages' })).toBeGreaterThan(0);
      expect(sample(older, 'temporal_num_pollers', { task_queue: 'naturalisation' })).toBeGreaterThan(0);
      expect(sample(older, 'temporal_num_pollers', { task_queue: 'housekeeping' })).toBeUndefined();
      expect(older).toContain('temporal_local_activity_execution_latency_bucket{activity_type="recordProjectionAndMessages"');

      // The mail server returns: the letter goes out and the outbox is empty again.
      await system.smtp.restart();
      await system.smtp.waitFor((m) => m.recipients.includes('amina.haddad@example.org'), 1, 90_000);
      await scrapeUntil(workerMetricsUrl, (text) => sample(text, 'kim_outbox_pending_messages') === 0 && sample(text, 'kim_outbox_oldest_pending_age_seconds') === 0);

      const api = await scrape(apiMetrics.url);
      const created = { method: 'POST', route: '/api/v1/naturalisation/applications', status: '201' };
      expect(sample(api, 'kim_http_requests_total', created)).toBe(1);
      expect(sample(api, 'kim_http_request_duration_seconds_count', created)).toBe(1);
      expect(sample(api, 'kim_http_request_duration_seconds_bucket', { ...created, le: '+Inf' })).toBe(1);
      expect(sample(api, 'kim_http_requests_total', { method: 'GET', route: '/api/v1/naturalisation/applications/:id', status: '400' })).toBe(1);
    } catch (error) {
      process.stderr.write(output.join(''));
      throw error;
    } finally {
      worker?.kill('SIGTERM');
      if (worker && worker.exitCode === null) await new Promise((resolve) => worker!.once('exit', resolve));
      await apiMetrics?.stop();
      if (apiServer) await new Promise((resolve) => apiServer!.close(resolve));
      apiServer?.closeAllConnections();
      await system.stop();
    }
  });
});
