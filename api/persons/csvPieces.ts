import { TextDecoder } from 'node:util';
import { CsvSyntaxError, detectDelimiter, parseCsv, type CsvRecord } from '../naturalisation/csv';
import { AppError } from '../errors';

/** Charsets whose line feed and quote are the ASCII bytes, so a file can be cut at line feeds. */
const asciiCompatible = ['utf-8', 'utf8', 'windows-1252', 'iso-8859-1', 'iso-8859-15', 'latin1', 'us-ascii'];

const QUOTE = 0x22;
const LF = 0x0a;
const pieceBytes = 4 << 20;

/**
 * Reads a large CSV upload piece by piece (a few MiB each), so a file of millions of rows is
 * never one string nor one array: each piece ends at a line feed outside quotes, is decoded by
 * the charset its Content-Type names and parsed by the project's CSV reader
 * (api/naturalisation/csv.ts); records keep their line numbers in the whole file.
 */
export async function forEachCsvRecord(
  body: Buffer,
  contentType: string | undefined,
  onRecord: (record: CsvRecord) => Promise<void> | void,
): Promise<void> {
  const charset = /charset\s*=\s*"?([^";]+)"?/i.exec(contentType ?? '')?.[1]?.trim().toLowerCase() ?? 'utf-8';
  if (!asciiCompatible.includes(charset)) {
    throw new AppError('request.unsupported_media_type', 415, `unsupported charset ${charset} (use one of: ${asciiCompatible.join(', ')})`);
  }
  const decoder = new TextDecoder(charset, { fatal: true });
  const decode = (bytes: Buffer, offset: number) => {
    try {
      return decoder.decode(bytes);
    } catch {
      throw new AppError('request.invalid', 400, 'the request is invalid', [
        { path: 'body', message: `is not ${charset} text after byte ${offset} (name the file's charset in the Content-Type, e.g. text/csv; charset=windows-1252)`, code: 'charset' },
      ]);
    }
  };
  const delimiter = detectDelimiter(new TextDecoder(charset).decode(body.subarray(0, Math.min(body.length, 10_000))));
  let start = 0;
  let linesBefore = 0;
  while (start < body.length) {
    // The end of this piece: the last line feed outside quotes after pieceBytes (or the end of the file).
    let end = body.length;
    let quoted = false;
    let lastBreak = -1;
    for (let i = start; i < body.length; i++) {
      const byte = body[i];
      if (byte === QUOTE) quoted = !quoted;
      else if (byte === LF && !quoted) {
        lastBreak = i;
        if (i - start >= pieceBytes) break;
      }
    }
    if (lastBreak >= 0 && lastBreak + 1 < body.length && (lastBreak - start >= pieceBytes)) end = lastBreak + 1;
    const piece = body.subarray(start, end);
    let records: CsvRecord[];
    try {
      records = parseCsv(decode(piece, start), { delimiter });
    } catch (error) {
      if (error instanceof CsvSyntaxError) {
        throw new AppError('request.invalid', 400, 'the request is invalid', [
          { path: 'body', message: `line ${error.line + linesBefore}: ${error.message.replace(/^line \d+: /, '')}`, code: 'csv_syntax' },
        ]);
      }
      throw error;
    }
    for (const record of records) await onRecord({ line: record.line + linesBefore, fields: record.fields });
    for (let i = start; i < end; i++) if (body[i] === LF) linesBefore++;
    start = end;
  }
}
