import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { ZodObject, ZodType } from 'zod';
import type { ApiDependencies } from './deps';
import { AppError, createErrorMiddleware } from './errors';
import { limitEachClient } from './rateLimit';
import { generateOpenApiDocument, toExpressHandler, type RouteDefinition } from './route';
import { processes } from '../processes';
import { adminRoutes } from './routes/admin';
import { staffMailboxRoutes } from './routes/staffMailboxes';
import { auditRoutes } from './routes/audit';
import { statisticsRoutes } from './routes/statistics';
import { systemRoutes } from './routes/system';
import { personRoutes } from './persons/routes';
import { caseQueueRoutes } from './routes/caseQueue';
import { personDataRightsRoutes } from './routes/personDataRights';
import { printQueueRoutes } from './printQueue/routes';
import { personCaseRoutes } from './routes/personCases';
import { createConsoleRouter } from '../console/router';
import { forwardConsoleClient } from '../console/apiClient';
import { createDevOidcProvider, devOidcBasePath } from '../security/devOidcProvider';
import { renderApiDocumentation, renderStartPage, type ApiDocument } from '../console/pages/start';

type AnyRoute = RouteDefinition<ZodObject, ZodObject, ZodObject, ZodType>;

/**
 * Every route of the API, in one table: the app, the OpenAPI document and the tests read it.
 * The shared resources, each process's routes from the list of processes (before the generic
 * statistics route, so that a process's own figures win), the register.
 */
export const routes: AnyRoute[] = [
  ...systemRoutes,
  ...auditRoutes,
  // Before the generic statistics route: a process's own figures (/statistics/handoffs) win.
  ...processes.flatMap((process) => process.routes),
  ...statisticsRoutes,
  ...adminRoutes,
  ...staffMailboxRoutes,
  ...personRoutes,
  ...caseQueueRoutes,
  ...personDataRightsRoutes,
  ...printQueueRoutes,
  ...personCaseRoutes,
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
  if (deps.console) {
    app.use(forwardConsoleClient());
    // The console's pages and, where the dev issuer is allowed, its loopback OIDC provider.
    if (deps.console.oidc.mode === 'local' && deps.console.devIssuer) {
      app.use(devOidcBasePath, limitEachClient(deps.rateLimiter, 'console'), createDevOidcProvider(deps.console.devIssuer, deps.clock));
    }
    app.use(createConsoleRouter(deps, deps.console));
    app.get('/', renderStartPage);
    app.get('/docs/api', renderApiDocumentation(openApiDocument as ApiDocument));
  }
  mountRoutes(app, routes, deps);
  return app;
}

/**
 * Mounts routes with the one handler wrapper, then the 404 and the error middleware. Upload
 * routes read their body themselves, after admitting the sender (api/route.ts): nothing may read
 * the body before them. (Tests and the benchmark serve parts of the table the same way.)
 */
export function mountRoutes(app: Express, table: readonly AnyRoute[], deps: ApiDependencies): void {
  for (const route of table) app[route.method](route.path, toExpressHandler(route, deps));
  app.use((req, _res, next) => next(new AppError('route.not_found', 404, `no route ${req.method} ${req.path}`)));
  app.use(createErrorMiddleware(deps.logger));
}
