import type { RequestHandler } from 'express';
import { Counter, Histogram, type MetricsRegistry } from '../worker/metrics/registry';

/**
 * Request rate and latency of the API, by method, route pattern (`/api/v1/…/:id`, never the
 * concrete path, so ids do not multiply the series) and status.
 */
export function createHttpMetrics(registry: MetricsRegistry): RequestHandler {
  const requests = registry.register(new Counter('kim_http_requests_total', 'API requests answered, by method, route and status.'));
  const duration = registry.register(
    new Histogram('kim_http_request_duration_seconds', 'API request latency in seconds, by method, route and status.', [
      0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ]),
  );
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const routePath = (req.route as { path?: unknown } | undefined)?.path;
      const labels = { method: req.method, route: typeof routePath === 'string' ? routePath : 'unmatched', status: String(res.statusCode) };
      requests.inc(labels);
      duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}
