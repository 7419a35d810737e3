import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import type { Request, RequestHandler, Response } from 'express';
import { z, type ZodObject, type ZodType } from 'zod';
import { createAuditQueries } from '../db/queries/audit';
import type { Principal, Role } from '../security/roles';
import { TokenError } from '../security/tokens';
import type { ApiDependencies } from './deps';
import { AppError, type FieldIssue } from './errors';

/**
 * A route declares its path, its params/query/headers/body schemas and its responses in one
 * block; the handler receives parsed values only. The same declarations generate the OpenAPI
 * document, so it cannot drift from what the API accepts.
 */
export interface RouteDefinition<
  Params extends ZodObject = ZodObject,
  Query extends ZodObject = ZodObject,
  Headers extends ZodObject = ZodObject,
  Body extends ZodType = ZodType,
> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** A dotted name for the audit trail: `naturalisation.application.view`. */
  operation: string;
  /** Who may call it: 'public' (no token), or the roles allowed. */
  access: 'public' | readonly Role[];
  /** Express-style path: `/api/v1/naturalisation/applications/:id`. */
  path: string;
  summary: string;
  tags: string[];
  request: { params?: Params; query?: Query; headers?: Headers; body?: Body };
  /**
   * A route that takes a file instead of JSON: the body arrives as a Buffer of one of these
   * content types, at most `maxBytes` long (else 415 or 413). `body` is then not used.
   */
  upload?: { contentTypes: readonly string[]; maxBytes: number };
  responses: Record<number, { description: string; schema?: ZodType; contentType?: string }>;
  handler: (
    input: { params: z.infer<Params>; query: z.infer<Query>; headers: z.infer<Headers>; body: z.infer<Body> },
    deps: ApiDependencies,
    context: { req: Request; res: Response; principal: Principal },
  ) => Promise<{ status: number; body: unknown; headers?: Record<string, string> }>;
}

export function defineRoute<P extends ZodObject, Q extends ZodObject, H extends ZodObject, B extends ZodType>(
  route: RouteDefinition<P, Q, H, B>,
): RouteDefinition<P, Q, H, B> {
  return route;
}

/** Converts zod issues to field paths like `body.applicant.email`. */
export function toFieldIssues(location: string, error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: [location, ...issue.path.map(String)].join('.'),
    message: issue.message,
    code: issue.code,
  }));
}

function parsePart<T extends ZodType>(location: string, schema: T | undefined, value: unknown): { data?: z.infer<T>; issues: FieldIssue[] } {
  if (!schema) return { data: undefined, issues: [] };
  const parsed = schema.safeParse(value ?? {});
  return parsed.success ? { data: parsed.data, issues: [] } : { issues: toFieldIssues(location, parsed.error) };
}

const anonymous: Principal = { subject: 'anonymous', roles: [], authorityId: '' };

/**
 * Authenticates and authorises the caller, then validates every part of the request (all issues
 * of all parts reported together) and runs the handler. Every refusal — no or a bad token, a
 * role the route does not allow, too many requests — is written to the audit trail.
 */
export function toExpressHandler(
  route: RouteDefinition<ZodObject, ZodObject, ZodObject, ZodType>,
  deps: ApiDependencies,
): RequestHandler {
  const refuse = async (principal: Principal, reason: string, error: AppError): Promise<never> => {
    await createAuditQueries(deps.pool).insertAuditEntry({
      actor: principal.subject,
      action: route.operation,
      authorityId: principal.authorityId || null,
      route: `${route.method.toUpperCase()} ${route.path}`,
      outcome: 'refused',
      detail: { reason },
    });
    throw error;
  };
  return async (req, res, next) => {
    try {
      let principal = anonymous;
      if (route.access !== 'public') {
        const header = req.headers.authorization;
        const token = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
        if (!token) {
          res.set('WWW-Authenticate', 'Bearer');
          await refuse(anonymous, 'no bearer token', new AppError('auth.missing_token', 401, 'a bearer token is required'));
        }
        try {
          principal = await deps.verifyToken(token!);
        } catch (error) {
          if (!(error instanceof TokenError)) throw error;
          res.set('WWW-Authenticate', 'Bearer error="invalid_token"');
          await refuse(anonymous, error.message, new AppError('auth.invalid_token', 401, error.message));
        }
      }
      const wait = deps.rateLimiter.take(principal === anonymous ? `ip:${req.ip}` : `sub:${principal.subject}`);
      if (wait > 0) {
        res.set('Retry-After', String(wait));
        await refuse(principal, 'rate limit', new AppError('request.rate_limited', 429, `too many requests; retry in ${wait} s`));
      }
      if (route.access !== 'public' && !principal.roles.some((role) => route.access.includes(role))) {
        await refuse(
          principal,
          `role ${principal.roles.join(',')} may not ${route.operation}`,
          new AppError('auth.forbidden', 403, `this route needs one of the roles: ${route.access.join(', ')}`),
        );
      }
      const params = parsePart('params', route.request.params, req.params);
      const query = parsePart('query', route.request.query, req.query);
      const headers = parsePart('headers', route.request.headers, req.headers);
      let body: { data?: unknown; issues: FieldIssue[] };
      if (route.upload) {
        if (!req.is([...route.upload.contentTypes]) || !Buffer.isBuffer(req.body)) {
          throw new AppError('request.unsupported_media_type', 415, `the body must be one of: ${route.upload.contentTypes.join(', ')}`);
        }
        body = { data: req.body, issues: [] };
      } else {
        body = parsePart('body', route.request.body, req.body);
      }
      const issues = [...params.issues, ...query.issues, ...headers.issues, ...body.issues];
      if (issues.length > 0) throw new AppError('request.invalid', 400, 'the request is invalid', issues);
      const result = await route.handler(
        { params: params.data, query: query.data, headers: headers.data, body: body.data } as never,
        deps,
        { req, res, principal },
      );
      if (result.headers) res.set(result.headers);
      // A route that declares a non-JSON content type (e.g. a CSV export) sends its text as is.
      const contentType = result.headers?.['Content-Type'];
      if (typeof result.body === 'string' && contentType !== undefined && !contentType.includes('json')) res.status(result.status).send(result.body);
      else res.status(result.status).json(result.body);
    } catch (error) {
      next(error);
    }
  };
}

/** `/a/:id/b` → `/a/{id}/b` */
function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  code: z.string(),
  instance: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string(), code: z.string().optional() })).optional(),
});

export function generateOpenApiDocument(routes: RouteDefinition<ZodObject, ZodObject, ZodObject, ZodType>[]) {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  for (const route of routes) {
    const responses = Object.fromEntries(
      Object.entries(route.responses).map(([status, response]) => {
        const schema = response.schema ?? (Number(status) >= 400 ? problemSchema : undefined);
        const contentType = response.contentType ?? (Number(status) >= 400 ? 'application/problem+json' : 'application/json');
        return [status, { description: response.description, ...(schema ? { content: { [contentType]: { schema } } } : {}) }];
      }),
    );
    registry.registerPath({
      method: route.method,
      path: toOpenApiPath(route.path),
      summary: route.summary,
      description: route.access === 'public' ? 'No token needed.' : `Roles: ${route.access.join(', ')}.`,
      tags: route.tags,
      ...(route.access === 'public' ? {} : { security: [{ [bearer.name]: [] }] }),
      request: {
        ...(route.request.params ? { params: route.request.params } : {}),
        ...(route.request.query ? { query: route.request.query } : {}),
        ...(route.request.headers ? { headers: route.request.headers } : {}),
        ...(route.request.body ? { body: { content: { 'application/json': { schema: route.request.body } }, required: true } } : {}),
        ...(route.upload
          ? {
              body: {
                content: Object.fromEntries(route.upload.contentTypes.map((type) => [type, { schema: z.string().meta({ format: 'binary' }) }])),
                description: `at most ${route.upload.maxBytes} bytes`,
                required: true,
              },
            }
          : {}),
      },
      responses: route.access === 'public'
        ? responses
        : {
            ...responses,
            401: { description: 'No or an invalid bearer token', content: { 'application/problem+json': { schema: problemSchema } } },
            403: { description: 'The token has none of the roles allowed', content: { 'application/problem+json': { schema: problemSchema } } },
            429: { description: 'Too many requests', content: { 'application/problem+json': { schema: problemSchema } } },
          },
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'KIM status engine API',
      version: '1',
      description: 'Residence and naturalisation processes of NRW foreign-resident and naturalisation authorities.',
    },
  });
}
