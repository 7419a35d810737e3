import net from 'node:net';
import { ScannerUnavailableError, unscannedDocumentScanner, type DocumentScanner } from './documentScanner';

/**
 * A ClamAV `clamd` over TCP, with its INSTREAM command: `zINSTREAM\0`, then the file in chunks,
 * each preceded by its length as a 4-byte big-endian integer, then a chunk of length zero. clamd
 * answers `stream: OK\0` or `stream: <signature> FOUND\0` (or `… ERROR\0`, e.g. when the file is
 * larger than its StreamMaxLength). Anything else — no connection, a timeout, an error — is no
 * verdict: ScannerUnavailableError.
 */
export function createClamdScanner(options: { host: string; port: number; timeoutMs?: number; chunkBytes?: number }): DocumentScanner & {
  lastSignature?: string;
} {
  const chunkBytes = options.chunkBytes ?? 64 * 1024;
  const scanner = {
    engine: `clamd ${options.host}:${options.port}`,
    lastSignature: undefined as string | undefined,
    scan(content: Buffer): Promise<'clean' | 'infected'> {
      return new Promise((resolve, reject) => {
        const socket = net.createConnection({ host: options.host, port: options.port });
        const replies: Buffer[] = [];
        let settled = false;
        const finish = (error: Error | undefined, verdict?: 'clean' | 'infected') => {
          if (settled) return;
          settled = true;
          socket.destroy();
          if (error) reject(error instanceof ScannerUnavailableError ? error : new ScannerUnavailableError(`clamd: ${error.message}`));
          else resolve(verdict!);
        };
        socket.setTimeout(options.timeoutMs ?? 30_000, () => finish(new ScannerUnavailableError('clamd did not answer in time')));
        socket.on('error', (error) => finish(error));
        socket.on('data', (data: Buffer) => {
          replies.push(data);
          const reply = Buffer.concat(replies);
          const end = reply.indexOf(0);
          if (end < 0) return;
          const text = reply.subarray(0, end).toString('utf8').trim();
          const found = /^stream: (.+) FOUND$/.exec(text);
          if (text === 'stream: OK') finish(undefined, 'clean');
          else if (found) {
            scanner.lastSignature = found[1];
            finish(undefined, 'infected');
          } else finish(new ScannerUnavailableError(`clamd answered "${text.slice(0, 200)}"`));
        });
        socket.on('close', () => finish(new ScannerUnavailableError('clamd closed the connection without a verdict')));
        socket.on('connect', () => {
          socket.write('zINSTREAM\0');
          for (let offset = 0; offset < content.length; offset += chunkBytes) {
            const chunk = content.subarray(offset, offset + chunkBytes);
            const length = Buffer.alloc(4);
            length.writeUInt32BE(chunk.length);
            socket.write(length);
            socket.write(chunk);
          }
          socket.write(Buffer.alloc(4));
        });
      });
    },
  };
  return scanner;
}

/** The scanner of the running API: clamd (DOCUMENT_SCAN=clamd, the default) or the explicit opt-out. */
export function createConfiguredDocumentScanner(config: { DOCUMENT_SCAN?: 'clamd' | 'off'; CLAMD_HOST: string; CLAMD_PORT: number }): DocumentScanner {
  return config.DOCUMENT_SCAN === 'off' ? unscannedDocumentScanner : createClamdScanner({ host: config.CLAMD_HOST, port: config.CLAMD_PORT });
}
