import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { isDatabaseUnavailable } from '../db/pool';

/** Seconds a client is asked to wait when the database is unreachable (a restart takes seconds). */
export const databaseRetryAfterSeconds = 5;

export interface FieldIssue {
  path: string;
  message: string;
  code?: string;
}

/** The one error type of the API: a dotted code, an HTTP status and a message for people. */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly issues?: FieldIssue[],
  ) {
    super(message);
  }
}

export function assertThat(condition: unknown, error: AppError): asserts condition {
  if (!condition) throw error;
}

/**
 * Renders every error as application/problem+json (RFC 9457). Anything that is not an AppError
 * (nor a client error raised by Express itself, such as a malformed JSON body) becomes a plain
 * 500 without internals; the details go to the log only. A database that cannot be reached
 * (restart, failover) is a 503 with `Retry-After`: the request changed nothing and may be repeated
 * (with the same Idempotency-Key where the route takes one).
 */
export function createErrorMiddleware(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    let problem: AppError;
    if (error instanceof AppError) {
      problem = error;
    } else if (isExpressClientError(error)) {
      const code = error.type === 'entity.too.large' ? 'request.too_large' : 'request.malformed';
      problem = new AppError(code, error.status, error.type === 'entity.parse.failed' ? 'the body is not valid JSON' : error.message);
    } else if (isDatabaseUnavailable(error)) {
      logger.warn({ method: req.method, path: req.path, code: (error as { code?: string }).code }, 'database unavailable');
      problem = new AppError('service.unavailable', 503, 'the database is unavailable; try again shortly');
      res.set('Retry-After', String(databaseRetryAfterSeconds));
    } else {
      logger.error({ err: error, method: req.method, path: req.path }, 'unexpected error');
      problem = new AppError('internal', 500, 'internal error');
    }
    res
      .status(problem.status)
      .type('application/problem+json')
      .json({
        type: `urn:kim:problem:${problem.code}`,
        title: problem.message,
        status: problem.status,
        code: problem.code,
        instance: req.originalUrl,
        ...(problem.issues ? { errors: problem.issues } : {}),
      });
  };
}

function isExpressClientError(error: unknown): error is { status: number; type?: string; message: string } {
  const candidate = error as { status?: unknown; expose?: unknown };
  return typeof candidate?.status === 'number' && candidate.status >= 400 && candidate.status < 500 && candidate.expose === true;
}
