import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MetricsRegistry } from './registry';

/**
 * The metrics endpoint (`GET /metrics`, Prometheus text format) on METRICS_HOST:METRICS_PORT.
 * It serves the process's own registry and, appended, the Temporal SDK's worker metrics, which
 * the SDK's core exports on an internal loopback port (`sdkMetricsUrl`, worker/logging.ts).
 */
export async function startMetricsServer(options: { host: string; port: number; registry: MetricsRegistry; sdkMetricsUrl?: string }) {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: the metrics are at /metrics\n');
      return;
    }
    void (async () => {
      const own = await options.registry.render();
      let sdk = '';
      if (options.sdkMetricsUrl) {
        sdk = await fetch(options.sdkMetricsUrl, { signal: AbortSignal.timeout(2_000) })
          .then((response) => (response.ok ? response.text() : ''))
          .catch(() => '');
      }
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(own + sdk);
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}/metrics`,
    port,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Starts the metrics endpoint of a process. A port already in use (another process on the same
 * machine with the default METRICS_PORT) is logged as an error and the process runs on without
 * metrics: losing the scrape target must not take the workers down with it.
 */
export async function startMetricsEndpoint(
  settings: { METRICS_HOST: string; METRICS_PORT: number },
  registry: MetricsRegistry,
  sdkMetricsUrl: string,
  logger: { error: (obj: object, msg: string) => void },
): Promise<{ url?: string; stop: () => Promise<void> }> {
  try {
    return await startMetricsServer({ host: settings.METRICS_HOST, port: settings.METRICS_PORT, registry, sdkMetricsUrl });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    logger.error(
      { port: settings.METRICS_PORT },
      'the metrics port is in use: this process serves no metrics (give each process its own METRICS_PORT, or 0 for a free one)',
    );
    return { stop: async () => undefined };
  }
}
