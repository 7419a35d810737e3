import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';

/**
 * Log lines carry no personal data a failure happened to contain. Errors are reduced to the
 * fields that say what failed — PostgreSQL's `detail` (the key values of a violated constraint),
 * `where`, `hint` and a query's parameters, an SMTP error's envelope and rejected addresses never
 * reach the log — and e-mail addresses in messages (an SMTP server's "550 <anna@…> rejected")
 * are masked to their domain: `***@example.org`.
 */
const emailPattern = /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@((?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,})/g;

export function maskEmailAddresses(text: string): string {
  return text.replace(emailPattern, '***@$1');
}

/** The fields of an error kept in a log line (besides type, message and stack). */
const keptErrorFields = ['code', 'errno', 'severity', 'routine', 'constraint', 'table', 'schema', 'column', 'dataType', 'responseCode', 'command', 'status', 'name'];

/** An error as logged: type, masked message and stack, the fields above, its cause likewise. */
export function serializeError(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error) && (typeof error !== 'object' || error === null)) {
    return typeof error === 'string' ? maskEmailAddresses(error) : error;
  }
  const source = error as Record<string, unknown> & { message?: unknown; stack?: unknown; cause?: unknown };
  const out: Record<string, unknown> = { type: error.constructor?.name ?? 'Object' };
  if (typeof source.message === 'string') out.message = maskEmailAddresses(source.message);
  if (typeof source.stack === 'string') out.stack = maskEmailAddresses(source.stack);
  for (const field of keptErrorFields) {
    const value = source[field];
    if (typeof value === 'string') out[field] = maskEmailAddresses(value);
    else if (typeof value === 'number' || typeof value === 'boolean') out[field] = value;
  }
  if (source.cause !== undefined && depth < 3) out.cause = serializeError(source.cause, depth + 1);
  return out;
}

/** The options of every process's logger (JSON lines here, readable ones in scripts/consoleLog.ts). */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    base: { service: 'kim-status-engine' },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: serializeError, error: serializeError },
    hooks: {
      // The message (and any further string arguments) of every call, masked.
      logMethod(args, method) {
        const masked = args.map((arg) => (typeof arg === 'string' ? maskEmailAddresses(arg) : arg)) as Parameters<typeof method>;
        return method.apply(this, masked);
      },
    },
  };
}

/** Structured JSON logs on stdout (or `destination`), one line per event. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return destination ? pino(loggerOptions(level), destination) : pino(loggerOptions(level));
}
