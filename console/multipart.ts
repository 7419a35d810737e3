import type { Readable } from 'node:stream';
import busboy from 'busboy';
import type { Request } from 'express';

export interface StreamedFile {
  contentType: string;
  stream: Readable;
}

export type UploadOutcome<T> =
  | { fields: Record<string, string>; result: T }
  | { fields: Record<string, string>; error: 'too_large' | 'malformed' | 'no_file' };

/**
 * Reads a `multipart/form-data` upload (RFC 7578) as it arrives, with busboy: the text fields —
 * which the form sends before its file — and then the file, handed to `forward` as a stream at
 * once, so nothing of the file is held here and whoever receives it (the API, which admits a file
 * by reference and access code before reading it) decides first. A body declared larger than
 * `maxFileBytes` plus the form's own overhead is refused before any byte is read; a file that
 * grows beyond `maxFileBytes` ends its stream with an error. Resolves as soon as `forward` has
 * answered, even if the sender is still sending: the caller answers with `Connection: close`.
 */
export function streamMultipartUpload<T>(
  req: Request,
  options: { maxFileBytes: number; forward: (fields: Record<string, string>, file: StreamedFile) => Promise<T> },
): Promise<UploadOutcome<T>> {
  const fields: Record<string, string> = {};
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > options.maxFileBytes + 64 * 1024) return Promise.resolve({ fields, error: 'too_large' });
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: req.headers, limits: { files: 1, fields: 8, fieldSize: 1024, parts: 10, fileSize: options.maxFileBytes } });
  } catch {
    return Promise.resolve({ fields, error: 'malformed' });
  }
  return new Promise((resolve) => {
    let settled = false;
    let forwarding = false;
    const settle = (outcome: UploadOutcome<T>) => {
      if (settled) return;
      settled = true;
      req.unpipe(parser);
      req.resume();
      resolve(outcome);
    };
    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (_name, stream, info) => {
      if (forwarding || !info.filename) {
        stream.resume();
        return;
      }
      forwarding = true;
      stream.on('limit', () => stream.destroy(new Error('too_large')));
      options.forward({ ...fields }, { contentType: (info.mimeType || 'application/octet-stream').toLowerCase(), stream }).then(
        (result) => settle({ fields, result }),
        () => settle({ fields, error: stream.truncated ? 'too_large' : 'malformed' }),
      );
    });
    parser.on('error', () => settle({ fields, error: 'malformed' }));
    parser.on('close', () => {
      if (!forwarding) settle({ fields, error: 'no_file' });
    });
    req.pipe(parser);
  });
}
