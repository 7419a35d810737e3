import { isDatabaseUnavailable } from '../../db/pool';
import { formatBanner, formatLogLine } from '../../scripts/consoleLog';
import { Counter, Gauge, Histogram, MetricsRegistry } from '../../worker/metrics/registry';
import { startMetricsEndpoint } from '../../worker/metrics/server';

describe('the Prometheus text format', () => {
  test('counters, gauges and histograms render with HELP, TYPE, escaped labels and cumulative buckets', async () => {
    const registry = new MetricsRegistry();
    const counter = registry.register(new Counter('demo_requests_total', 'Requests.'));
    counter.inc({ route: '/a/:id', status: '200' });
    counter.inc({ route: '/a/:id', status: '200' });
    counter.inc({ route: 'say "hi"\\', status: '500' });
    registry.register(new Gauge('demo_pending', 'Pending.', async () => [{ value: 3 }]));
    const histogram = registry.register(new Histogram('demo_seconds', 'Latency.', [0.1, 1]));
    histogram.observe({ route: '/a' }, 0.05);
    histogram.observe({ route: '/a' }, 0.5);
    histogram.observe({ route: '/a' }, 5);

    expect((await registry.render()).split('\n')).toEqual([
      '# HELP demo_requests_total Requests.',
      '# TYPE demo_requests_total counter',
      'demo_requests_total{route="/a/:id",status="200"} 2',
      'demo_requests_total{route="say \\"hi\\"\\\\",status="500"} 1',
      '# HELP demo_pending Pending.',
      '# TYPE demo_pending gauge',
      'demo_pending 3',
      '# HELP demo_seconds Latency.',
      '# TYPE demo_seconds histogram',
      'demo_seconds_bucket{route="/a",le="0.1"} 1',
      'demo_seconds_bucket{route="/a",le="1"} 2',
      'demo_seconds_bucket{route="/a",le="+Inf"} 3',
      'demo_seconds_sum{route="/a"} 5.55',
      'demo_seconds_count{route="/a"} 3',
      '',
    ]);
  });

  test('a gauge whose reading fails is left out of the scrape; the others stay', async () => {
    const registry = new MetricsRegistry();
    registry.register(new Gauge('demo_broken', 'Broken.', () => Promise.reject(new Error('database down'))));
    registry.register(new Gauge('demo_fine', 'Fine.', async () => [{ labels: { queue: 'messages' }, value: 0 }]));
    expect(await registry.render()).toBe('# HELP demo_fine Fine.\n# TYPE demo_fine gauge\ndemo_fine{queue="messages"} 0\n');
  });
});

describe('the metrics endpoint of a process', () => {
  test('serves /metrics; a port in use is logged and the process runs on without metrics', async () => {
    const registry = new MetricsRegistry();
    registry.register(new Gauge('demo_up', 'Up.', async () => [{ value: 1 }]));
    const errors: string[] = [];
    const logger = { error: (_obj: object, msg: string) => void errors.push(msg) };
    const first = await startMetricsEndpoint({ METRICS_HOST: '127.0.0.1', METRICS_PORT: 0 }, registry, 'http://127.0.0.1:9/metrics', logger);
    try {
      const response = await fetch(first.url!);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('# HELP demo_up Up.\n# TYPE demo_up gauge\ndemo_up 1\n');
      expect((await fetch(first.url!.replace('/metrics', '/other'))).status).toBe(404);

      const port = Number(new URL(first.url!).port);
      const second = await startMetricsEndpoint({ METRICS_HOST: '127.0.0.1', METRICS_PORT: port }, registry, 'http://127.0.0.1:9/metrics', logger);
      expect(second.url).toBeUndefined();
      expect(errors).toEqual([expect.stringContaining('the metrics port is in use')]);
    } finally {
      await first.stop();
    }
  });
});

describe('which errors mean the database is unreachable (503) rather than a failed query (500)', () => {
  test.each([
    ['connection refused', { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' }, true],
    ['57P01 admin shutdown (restart)', { code: '57P01', message: 'terminating connection due to administrator command' }, true],
    ['57P03 starting up', { code: '57P03', message: 'the database system is starting up' }, true],
    ['08006 connection failure', { code: '08006', message: 'connection failure' }, true],
    ['53300 too many connections', { code: '53300', message: 'sorry, too many clients already' }, true],
    ['pg: connection terminated', new Error('Connection terminated unexpectedly'), true],
    ['pg-pool: connect timeout', new Error('timeout exceeded when trying to connect'), true],
    ['AggregateError of socket errors', new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })], ''), true],
    ['a wrapped 57P01 (cause)', new Error('wrapped', { cause: { code: '57P01' } }), true],
    ['23505 unique violation', { code: '23505', message: 'duplicate key value violates unique constraint' }, false],
    ['42P01 undefined table', { code: '42P01', message: 'relation "x" does not exist' }, false],
    ['any other error', new Error('something else'), false],
    ['nothing', undefined, false],
  ])('%s → %s', (_name, error, expected) => {
    expect(isDatabaseUnavailable(error)).toBe(expected);
  });
});

describe('readable log lines on a terminal', () => {
  test('a JSON line becomes time, level, part, message and fields', () => {
    const line = JSON.stringify({ level: 40, time: '2026-11-26T14:02:03.123Z', service: 'kim-status-engine', part: 'worker', msg: 'database connection lost', code: '57P01', queues: ['a', 'b'] });
    expect(formatLogLine(line, false)).toBe('14:02:03.123 WARN  [worker] database connection lost code=57P01 queues=["a","b"]\n');
  });

  test('an error shows its message and the first lines of its stack; a line that is not JSON passes through', () => {
    const line = JSON.stringify({ level: 50, time: '2026-11-26T14:02:03.123Z', msg: 'unexpected error', err: { message: 'boom', stack: 'Error: boom\n    at a (x.js:1:1)\n    at b (y.js:2:2)' } });
    expect(formatLogLine(line, false)).toBe('14:02:03.123 ERROR unexpected error err="boom"\n    at a (x.js:1:1)\n    at b (y.js:2:2)\n');
    expect(formatLogLine('webpack compiled\n', false)).toBe('webpack compiled\n');
  });

  test('the banner lists each part and where it listens', () => {
    expect(formatBanner([['API', 'http://127.0.0.1:8080/api/v1'], ['metrics', 'http://127.0.0.1:9464/metrics']], false)).toBe(
      '\nKIM status engine is running\n  API      http://127.0.0.1:8080/api/v1\n  metrics  http://127.0.0.1:9464/metrics\n  Ctrl-C stops every part.\n\n',
    );
  });
});
