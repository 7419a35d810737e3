import type { Request } from 'express';

export interface MultipartForm {
  fields: Record<string, string>;
  file?: { field: string; contentType: string; content: Buffer };
}

export class MultipartError extends Error {}

/** Reads a request body of at most `maxBytes` (MultipartError beyond, reading no further). */
function readBody(req: Request, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    req.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > maxBytes) {
        req.pause();
        reject(new MultipartError('too_large'));
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

/**
 * A `multipart/form-data` body (RFC 7578) with text fields and at most one file — what the
 * applicant's upload form sends without JavaScript. No dependency: the parts are split at the
 * boundary, each part's headers read for its name, file name and content type.
 */
export async function readMultipartForm(req: Request, maxBytes: number): Promise<MultipartForm> {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(req.headers['content-type'] ?? '');
  if (!boundary) throw new MultipartError('not_multipart');
  const body = await readBody(req, maxBytes);
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const form: MultipartForm = { fields: {} };
  let position = body.indexOf(delimiter);
  while (position !== -1) {
    const start = position + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next === -1) throw new MultipartError('malformed');
    const part = body.subarray(start + 2, next - 2); // after CRLF, before the CRLF ahead of the next delimiter
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd === -1) throw new MultipartError('malformed');
    const headers = part.subarray(0, headerEnd).toString('utf8');
    const content = part.subarray(headerEnd + 4);
    const name = /name="([^"]*)"/i.exec(headers)?.[1];
    const isFile = /filename="/i.test(headers);
    if (name && isFile) {
      if (content.length > 0) form.file = { field: name, contentType: (/content-type:\s*([^\r\n;]+)/i.exec(headers)?.[1] ?? 'application/octet-stream').trim().toLowerCase(), content };
    } else if (name) {
      form.fields[name] = content.toString('utf8');
    }
    position = next;
  }
  return form;
}
