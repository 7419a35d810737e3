import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { ZodObject, ZodType } from 'zod';
import type { ApiDependencies } from './deps';
import { AppError, createErrorMiddleware } from './errors';
import { generateOpenApiDocument, toExpressHandler, type RouteDefinition } from './route';
import { processes } from '../processes';
import { adminRoutes } from './routes/admin';
import { auditRoutes } from './routes/audit';
import { statisticsRoutes } from './routes/statistics';
import { systemRoutes } from './routes/system';
import { personRoutes } from './persons/routes';

type AnyRoute = RouteDefinition<ZodObject, ZodObject, ZodObject, ZodType>;

/**
 * Every route of the API, in one table: the app, the OpenAPI document and the tests read it.
 * The shared resources first, then each process's routes from the list of processes.
 */
export const routes: AnyRoute[] = [
  ...systemRoutes,
  ...auditRoutes,
  ...statisticsRoutes,
  ...adminRoutes,
  ...personRoutes,
  ...processes.flatMap((process) => process.routes),
] as AnyRoute[];

/** `metrics`: records request rate and latency (api/metrics.ts) when the process exports metrics. */
export function createApp(deps: ApiDependencies, options: { metrics?: RequestHandler } = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.set('trust proxy', deps.settings.trustProxy ?? false);
  app.use(helmet());
  if (options.metrics) app.use(options.metrics);
  app.use(express.json({ limit: '256kb', type: ['application/json', 'application/*+json'] }));
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () =>
      deps.logger.info(
        { method: req.method, path: req.path, status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 },
        'request',
      ),
    );
    next();
  });

  const openApiDocument = generateOpenApiDocument(routes);
  app.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument);
  });
  for (const route of routes) {
    // Upload routes read their body themselves, after admitting the sender (api/route.ts).
    app[route.method](route.path, toExpressHandler(route, deps));
  }
  app.use((req, _res, next) => next(new AppError('route.not_found', 404, `no route ${req.method} ${req.path}`)));
  app.use(createErrorMiddleware(deps.logger));
  return app;
}
