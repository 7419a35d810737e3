import net from 'node:net';
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from 'pino';

const levels: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * Routes the Temporal SDK's own log lines (and its core's) into the process's JSON log. With
 * `metricsBindAddress` (`127.0.0.1:<port>`), the SDK's core also exports its worker metrics
 * (task slots, poll and schedule-to-start latencies, sticky cache, activity failures…) in the
 * Prometheus format there; the metrics endpoint (worker/metrics/server.ts) passes them on.
 * Must run before any worker or connection is created.
 */
export function installSdkLogging(logger: Logger, options: { metricsBindAddress?: string } = {}): void {
  const sdkLogger = logger.child({ part: 'temporal-sdk' });
  Runtime.install({
    logger: new DefaultLogger('INFO', (entry) => {
      sdkLogger[levels[entry.level]]({ ...entry.meta }, entry.message);
    }),
    telemetryOptions: {
      logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} },
      ...(options.metricsBindAddress
        ? { metrics: { prometheus: { bindAddress: options.metricsBindAddress, countersTotalSuffix: true, useSecondsForDurations: true } } }
        : {}),
    },
  });
}

/** A free loopback port for the SDK's internal metrics exporter. */
export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
