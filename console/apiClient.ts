import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import type { Readable } from 'node:stream';
import type { Request, RequestHandler } from 'express';

/**
 * The console calls the API on this host, so the API would see every applicant and every staff
 * member as the server's own address — one rate-limit bucket for all, and the audit trail without
 * the client's address. The console therefore names the client it serves in a header, with a
 * secret of this process that only the console knows; the API believes the header only with that
 * secret and only on a connection from this host (loopback, or the address it arrived at: a
 * server bound to another interface), and takes the address as `req.ip`.
 */
const forwardingSecret = randomBytes(32).toString('base64url');
const clientHeader = 'x-kim-console-client';
const secretHeader = 'x-kim-console-secret';

export function forwardConsoleClient(): RequestHandler {
  const expected = Buffer.from(forwardingSecret);
  return (req, _res, next) => {
    const secret = req.headers[secretHeader];
    const client = req.headers[clientHeader];
    delete req.headers[secretHeader];
    delete req.headers[clientHeader];
    if (typeof secret === 'string' && typeof client === 'string' && isFromThisHost(req) && net.isIP(client) !== 0) {
      const given = Buffer.from(secret);
      if (given.length === expected.length && timingSafeEqual(given, expected)) Object.defineProperty(req, 'ip', { value: client, configurable: true });
    }
    next();
  };
}

/**
 * Whether the connection comes from this host: from loopback, or from the very address it
 * arrived at (the console calling its own API on the interface it serves, when the server is
 * bound to an address other than loopback). A proxy on another host is neither.
 */
function isFromThisHost(req: Request): boolean {
  const remote = req.socket.remoteAddress ?? '';
  const loopback = remote === '::1' || /^(::ffff:)?127\./.test(remote);
  return loopback || (remote !== '' && remote === req.socket.localAddress);
}

/** The headers with which the console names the client it serves to its own API. */
export function consoleClientHeaders(req: Pick<Request, 'ip'>): Record<string, string> {
  return req.ip ? { [clientHeader]: req.ip, [secretHeader]: forwardingSecret } : {};
}

/**
 * The console is a client of this process's own JSON API: every page reads and every form
 * writes through the API's routes on the connection the request came in on, with the
 * signed-in staff member's access token. So the console goes through exactly the same
 * validation, roles, authority scoping, four-eyes checks and audit trail as any other client,
 * and cannot go around them.
 */
export function internalBase(req: Request): string {
  const address = req.socket.localAddress ?? '127.0.0.1';
  const host = address.startsWith('::ffff:') ? address.slice(7) : address.includes(':') ? `[${address}]` : address;
  return `http://${host}:${req.socket.localPort}`;
}

export interface ApiAnswer<T = any> {
  status: number;
  body: T;
}

export interface Problem {
  code?: string;
  title?: string;
  status?: number;
  errors?: Array<{ path: string; message: string }>;
}

export async function callApi<T = any>(
  req: Request,
  call: {
    method?: 'GET' | 'POST' | 'PUT' | 'PATCH'; path: string; token?: string; body?: unknown; query?: Record<string, string | undefined>;
    /** A file as the body (upload routes), with its content type. */
    raw?: { contentType: string; content: Buffer };
    headers?: Record<string, string>;
  },
): Promise<ApiAnswer<T>> {
  const url = new URL(call.path, internalBase(req));
  for (const [name, value] of Object.entries(call.query ?? {})) if (value !== undefined && value !== '') url.searchParams.set(name, value);
  const response = await fetch(url, {
    method: call.method ?? 'GET',
    headers: {
      ...(call.token ? { authorization: `Bearer ${call.token}` } : {}),
      ...(call.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(call.raw ? { 'content-type': call.raw.contentType } : {}),
      ...call.headers,
      accept: 'application/json',
      ...consoleClientHeaders(req),
    },
    body: call.raw ? call.raw.content : call.body === undefined ? undefined : JSON.stringify(call.body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: kept as text
  }
  return { status: response.status, body: body as T };
}

/**
 * A POST of a stream to this process's own API (an upload, forwarded as it arrives), answered as
 * soon as the API answers — the API may refuse before it reads the body (a wrong access code), and
 * then the rest of the stream is left unread.
 */
export function postStreamToApi(
  req: Request,
  call: { path: string; contentType: string; body: Readable; headers?: Record<string, string> },
): Promise<ApiAnswer> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const upstream = http.request(new URL(call.path, internalBase(req)), {
      method: 'POST',
      headers: { 'content-type': call.contentType, accept: 'application/json', ...call.headers, ...consoleClientHeaders(req) },
      timeout: 30_000,
    }, (response) => {
      answered = true;
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        call.body.unpipe(upstream);
        call.body.resume();
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          // not JSON: kept as text
        }
        resolve({ status: response.statusCode ?? 502, body });
      });
    });
    upstream.on('timeout', () => upstream.destroy(new Error('the API did not answer the upload in time')));
    // Once the API has answered, a broken pipe is only the refused rest of the body.
    upstream.on('error', (error) => {
      if (!answered) reject(error);
    });
    call.body.on('error', (error) => upstream.destroy(error));
    call.body.pipe(upstream);
  });
}
