import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import type { Request, RequestHandler, Response } from 'express';
import { z, type ZodObject, type ZodType } from 'zod';
import type { Principal, Role } from '../security/roles';
import { TokenError } from '../security/tokens';
import type { ApiDependencies } from './deps';
import { AppError, type FieldIssue } from './errors';
import { findNulCharacters } from './fields';
import { toClientKey } from './rateLimit';
import { refusalAuditFor } from './refusalAudit';

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
   * `admit` runs after params, query and headers are valid and BEFORE a byte of the body is
   * read: it authenticates the sender and checks whether a file may come at all (it throws an
   * AppError otherwise, and the connection is closed unread). Its result is the handler's
   * `context.admitted`.
   */
  upload?: {
    contentTypes: readonly string[];
    maxBytes: number;
    admit?: (
      input: { params: z.infer<Params>; query: z.infer<Query>; headers: z.infer<Headers>; contentLength: number | undefined },
      deps: ApiDependencies,
      context: { req: Request },
    ) => Promise<unknown>;
  };
  responses: Record<number, { description: string; schema?: ZodType; contentType?: string }>;
  handler: (
    input: { params: z.infer<Params>; query: z.infer<Query>; headers: z.infer<Headers>; body: z.infer<Body> },
    deps: ApiDependencies,
    context: { req: Request; res: Response; principal: Principal; admitted?: unknown },
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

/**
 * Parses one part of a request. NUL characters are refused in every part of every route first
 * (PostgreSQL cannot store them), whatever its schema says.
 */
function parsePart<T extends ZodType>(location: string, schema: T | undefined, value: unknown): { data?: z.infer<T>; issues: FieldIssue[] } {
  const nul = findNulCharacters(value, location);
  if (nul.length > 0) return { issues: nul };
  if (!schema) return { data: undefined, issues: [] };
  const parsed = schema.safeParse(value ?? {});
  return parsed.success ? { data: parsed.data, issues: [] } : { issues: toFieldIssues(location, parsed.error) };
}

const anonymous: Principal = { subject: 'anonymous', roles: [], authorityId: '' };

/**
 * Limits, authenticates and authorises the caller, then validates every part of the request (all
 * issues of all parts reported together) and runs the handler. Every refusal — no or a bad
 * token, a role the route does not allow, too many requests — is audited (api/refusalAudit.ts:
 * repeats within a minute as one counted row).
 */
export function toExpressHandler(
  route: RouteDefinition<ZodObject, ZodObject, ZodObject, ZodType>,
  deps: ApiDependencies,
): RequestHandler {
  const refusals = refusalAuditFor(deps.pool);
  const refuse = async (principal: Principal, client: string, reason: string, error: AppError): Promise<never> => {
    await refusals.record(
      {
        actor: principal.subject,
        action: route.operation,
        authorityId: principal.authorityId || null,
        route: `${route.method.toUpperCase()} ${route.path}`,
        outcome: 'refused',
        detail: { reason },
      },
      client,
    );
    throw error;
  };
  const tooMany = (wait: number) => new AppError('request.rate_limited', 429, `too many requests; retry in ${wait} s`);
  return async (req, res, next) => {
    try {
      // Rate limits come before the token is verified: a client (address, IPv6 by its /64) is
      // limited for every request without a valid token, a token's subject for its own requests.
      const client = toClientKey(req.ip);
      let principal = anonymous;
      if (route.access === 'public') {
        const wait = deps.rateLimiter.take(client);
        if (wait > 0) {
          res.set('Retry-After', String(wait));
          await refuse(anonymous, client, 'rate limit', tooMany(wait));
        }
      } else {
        const blocked = deps.rateLimiter.retryAfter(client);
        if (blocked > 0) {
          res.set('Retry-After', String(blocked));
          await refuse(anonymous, client, 'rate limit', tooMany(blocked));
        }
        const header = req.headers.authorization;
        const token = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
        if (!token) {
          deps.rateLimiter.take(client);
          res.set('WWW-Authenticate', 'Bearer');
          await refuse(anonymous, client, 'no bearer token', new AppError('auth.missing_token', 401, 'a bearer token is required'));
        }
        try {
          principal = await deps.verifyToken(token!);
        } catch (error) {
          if (!(error instanceof TokenError)) throw error;
          deps.rateLimiter.take(client);
          res.set('WWW-Authenticate', 'Bearer error="invalid_token"');
          // The reason (which may name claims or carry the JWT library's text) goes to the audit
          // trail only; the caller learns no more than that the token was not accepted.
          await refuse(anonymous, client, error.message, new AppError('auth.invalid_token', 401, 'invalid token'));
        }
        const wait = deps.rateLimiter.take(`sub:${principal.subject}`);
        if (wait > 0) {
          res.set('Retry-After', String(wait));
          await refuse(principal, `sub:${principal.subject}`, 'rate limit', tooMany(wait));
        }
      }
      if (route.access !== 'public' && !principal.roles.some((role) => route.access.includes(role))) {
        await refuse(
          principal,
          `sub:${principal.subject}`,
          `role ${principal.roles.join(',')} may not ${route.operation}`,
          new AppError('auth.forbidden', 403, `this route needs one of the roles: ${route.access.join(', ')}`),
        );
      }
      const params = parsePart('params', route.request.params, req.params);
      const query = parsePart('query', route.request.query, req.query);
      const headers = parsePart('headers', route.request.headers, req.headers);
      let body: { data?: unknown; issues: FieldIssue[] };
      let admitted: unknown;
      if (route.upload) {
        // Nothing of the body is read until the request is valid without it and admitted.
        if (!req.is([...route.upload.contentTypes])) {
          throw new AppError('request.unsupported_media_type', 415, `the body must be one of: ${route.upload.contentTypes.join(', ')}`);
        }
        const early = [...params.issues, ...query.issues, ...headers.issues];
        if (early.length > 0) throw new AppError('request.invalid', 400, 'the request is invalid', early);
        const declaredLength = req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length']);
        if (declaredLength !== undefined && declaredLength > route.upload.maxBytes) {
          throw new AppError('request.too_large', 413, `the file is larger than ${route.upload.maxBytes} bytes`);
        }
        admitted = await route.upload.admit?.(
          { params: params.data, query: query.data, headers: headers.data, contentLength: declaredLength } as never,
          deps,
          { req },
        );
        body = { data: await readBody(req, route.upload.maxBytes), issues: [] };
      } else {
        body = parsePart('body', route.request.body, req.body);
      }
      const issues = [...params.issues, ...query.issues, ...headers.issues, ...body.issues];
      if (issues.length > 0) throw new AppError('request.invalid', 400, 'the request is invalid', issues);
      const result = await route.handler(
        { params: params.data, query: query.data, headers: headers.data, body: body.data } as never,
        deps,
        { req, res, principal, admitted },
      );
      if (result.headers) res.set(result.headers);
      // A route that declares a non-JSON content type (a CSV export, a PDF) sends its text or bytes as is.
      const contentType = result.headers?.['Content-Type'];
      if ((typeof result.body === 'string' || Buffer.isBuffer(result.body)) && contentType !== undefined && !contentType.includes('json')) res.status(result.status).send(result.body);
      else res.status(result.status).json(result.body);
    } catch (error) {
      // An upload refused before its body was read: the client need not send the rest.
      if (route.upload && !req.readableEnded) res.set('Connection', 'close');
      next(error);
    }
  };
}

/** Reads a request body of at most `maxBytes` (413 beyond, without reading further). */
function readBody(req: Request, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const onData = (chunk: Buffer) => {
      length += chunk.length;
      if (length > maxBytes) {
        req.off('data', onData);
        req.pause();
        reject(new AppError('request.too_large', 413, `the file is larger than ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
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
