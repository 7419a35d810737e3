/**
 * A small CSV reader after RFC 4180: fields separated by a delimiter, records by line breaks;
 * a field in double quotes may contain delimiters, line breaks and quotes (doubled: `""`).
 *
 * Beyond the RFC, as spreadsheet exports need: LF and CR line breaks besides CRLF; a byte order
 * mark at the start is dropped; blank lines are skipped; the delimiter may be `;` (German
 * Excel's default). Refused, because they mean the quoting is broken and no field boundary can
 * be trusted: a quoted field that never ends, and text after a closing quote.
 */

export interface CsvRecord {
  /** The line the record starts on (1-based, counting every line break, also those inside quotes). */
  line: number;
  fields: string[];
}

export type CsvDelimiter = ',' | ';';

export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

const QUOTE = 34; // "
const LF = 10;
const CR = 13;

/** `;` if the first line has semicolons outside quotes and no commas, else `,`. */
export function detectDelimiter(text: string): CsvDelimiter {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && c === ',') commas++;
    else if (!quoted && c === ';') semicolons++;
  }
  return semicolons > 0 && commas === 0 ? ';' : ',';
}

export function parseCsv(input: string, options: { delimiter?: CsvDelimiter } = {}): CsvRecord[] {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const delimiter = (options.delimiter ?? ',').charCodeAt(0);
  const records: CsvRecord[] = [];
  const length = text.length;
  let i = 0;
  let line = 1;

  while (i < length) {
    const recordLine = line;
    const fields: string[] = [];
    let blank = true;
    // One record: fields until a line break or the end.
    for (;;) {
      let value: string;
      if (text.charCodeAt(i) === QUOTE) {
        blank = false;
        const startLine = line;
        const parts: string[] = [];
        let from = i + 1;
        for (;;) {
          const close = text.indexOf('"', from);
          if (close === -1) throw new CsvSyntaxError('a quoted field is not closed', startLine);
          line += countLineBreaks(text, from, close);
          parts.push(text.slice(from, close));
          if (text.charCodeAt(close + 1) === QUOTE) {
            parts.push('"');
            from = close + 2;
            continue;
          }
          i = close + 1;
          break;
        }
        value = parts.join('');
        const next = text.charCodeAt(i);
        if (i < length && next !== delimiter && next !== LF && next !== CR) {
          throw new CsvSyntaxError('unexpected text after a closing quote (a quote inside a field must be doubled)', line);
        }
      } else {
        let end = i;
        while (end < length) {
          const c = text.charCodeAt(end);
          if (c === delimiter || c === LF || c === CR) break;
          end++;
        }
        value = text.slice(i, end);
        if (value.length > 0) blank = false;
        i = end;
      }
      fields.push(value);
      if (i < length && text.charCodeAt(i) === delimiter) {
        blank = false;
        i++;
        continue;
      }
      break;
    }
    // The line break ending the record (CRLF, LF or CR), if any.
    if (text.charCodeAt(i) === CR) i++;
    if (text.charCodeAt(i) === LF) i++;
    line++;
    if (!blank) records.push({ line: recordLine, fields });
  }
  return records;
}

/** Line breaks in text[from, to): CRLF counts once. */
function countLineBreaks(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === LF) count++;
    else if (c === CR && text.charCodeAt(i + 1) !== LF) count++;
  }
  return count;
}

/** Writes records as RFC 4180 CSV (CRLF, quoting only where needed): for tests and tools. */
export function formatCsv(rows: readonly (readonly string[])[], delimiter: CsvDelimiter = ','): string {
  const needsQuotes = (value: string) => value.includes('"') || value.includes(delimiter) || value.includes('\n') || value.includes('\r');
  const quote = (value: string) => (needsQuotes(value) ? `"${value.replace(/"/g, '""')}"` : value);
  // A record of one empty field would be a blank line, which readers skip: quote it.
  return rows.map((row) => (row.length === 1 && row[0] === '' ? '""' : row.map(quote).join(delimiter))).join('\r\n') + '\r\n';
}
