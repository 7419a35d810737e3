import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import type { Request, RequestHandler, Response } from 'express';
import { z, type ZodObject, type ZodType } from 'zod';
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
  Deps = unknown,
> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express-style path: `/api/v1/naturalisation/applications/:id`. */
  path: string;
  summary: string;
  tags: string[];
  request: { params?: Params; query?: Query; headers?: Headers; body?: Body };
  responses: Record<number, { description: string; schema?: ZodType; contentType?: string }>;
  handler: (
    input: { params: z.infer<Params>; query: z.infer<Query>; headers: z.infer<Headers>; body: z.infer<Body> },
    deps: Deps,
    context: { req: Request; res: Response },
  ) => Promise<{ status: number; body: unknown; headers?: Record<string, string> }>;
}

export function defineRoute<P extends ZodObject, Q extends ZodObject, H extends ZodObject, B extends ZodType, D>(
  route: RouteDefinition<P, Q, H, B, D>,
): RouteDefinition<P, Q, H, B, D> {
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

/** Validates every part of the request; all issues of all parts are reported together. */
export function toExpressHandler<D>(route: RouteDefinition<ZodObject, ZodObject, ZodObject, ZodType, D>, deps: D): RequestHandler {
  return async (req, res, next) => {
    try {
      const params = parsePart('params', route.request.params, req.params);
      const query = parsePart('query', route.request.query, req.query);
      const headers = parsePart('headers', route.request.headers, req.headers);
      const body = parsePart('body', route.request.body, req.body);
      const issues = [...params.issues, ...query.issues, ...headers.issues, ...body.issues];
      if (issues.length > 0) throw new AppError('request.invalid', 400, 'the request is invalid', issues);
      const result = await route.handler(
        { params: params.data, query: query.data, headers: headers.data, body: body.data } as never,
        deps,
        { req, res },
      );
      if (result.headers) res.set(result.headers);
      res.status(result.status).json(result.body);
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

export function generateOpenApiDocument(routes: RouteDefinition<ZodObject, ZodObject, ZodObject, ZodType, never>[]) {
  const registry = new OpenAPIRegistry();
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
      tags: route.tags,
      request: {
        ...(route.request.params ? { params: route.request.params } : {}),
        ...(route.request.query ? { query: route.request.query } : {}),
        ...(route.request.headers ? { headers: route.request.headers } : {}),
        ...(route.request.body ? { body: { content: { 'application/json': { schema: route.request.body } }, required: true } } : {}),
      },
      responses,
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
