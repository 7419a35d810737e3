import pino, { type Logger } from 'pino';
import { createLogger, loggerOptions } from '../api/logger';

const levelNames: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const levelColours: Record<number, string> = { 10: '90', 20: '90', 30: '32', 40: '33', 50: '31', 60: '35' };
const hidden = new Set(['level', 'time', 'msg', 'service', 'pid', 'hostname', 'part']);

/**
 * Turns one JSON log line into a readable one: `14:02:03.123 INFO  [worker] message key=value …`,
 * coloured when `colour`. Errors show their message and the first lines of their stack.
 */
export function formatLogLine(line: string, colour: boolean): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const paint = (code: string, text: string) => (colour ? `\u001b[${code}m${text}\u001b[0m` : text);
  const level = Number(entry.level);
  const time = typeof entry.time === 'string' ? entry.time.slice(11, 23) : new Date().toISOString().slice(11, 23);
  const part = typeof entry.part === 'string' ? paint('36', `[${entry.part}] `) : '';
  const fields: string[] = [];
  let stack = '';
  for (const [key, value] of Object.entries(entry)) {
    if (hidden.has(key) || value === undefined) continue;
    if (key === 'err' && value && typeof value === 'object') {
      const error = value as { message?: string; stack?: string };
      fields.push(`err=${JSON.stringify(error.message ?? '')}`);
      stack = (error.stack ?? '').split('\n').slice(1, 6).map((l) => `\n    ${l.trim()}`).join('');
      continue;
    }
    const text = typeof value === 'string' ? (/[\s"=]/.test(value) ? JSON.stringify(value) : value) : JSON.stringify(value);
    fields.push(`${paint('90', `${key}=`)}${text}`);
  }
  const name = (levelNames[level] ?? String(entry.level)).padEnd(5);
  return `${paint('90', time)} ${paint(levelColours[level] ?? '0', name)} ${part}${String(entry.msg ?? '')}${fields.length ? ` ${fields.join(' ')}` : ''}${stack}\n`;
}

/**
 * The process's logger: JSON lines (api/logger.ts) unless the output is a terminal or
 * LOG_FORMAT=pretty asks for readable lines. LOG_FORMAT=json keeps JSON on a terminal.
 */
export function createConsoleLogger(level: string, format: 'pretty' | 'json' | undefined): { logger: Logger; pretty: boolean } {
  const pretty = format ? format === 'pretty' : process.stdout.isTTY === true;
  if (!pretty) return { logger: createLogger(level), pretty };
  const colour = process.stdout.isTTY === true && !process.env.NO_COLOR;
  const destination = { write: (line: string) => void process.stdout.write(formatLogLine(line, colour)) };
  return {
    logger: pino(loggerOptions(level), destination),
    pretty,
  };
}

/** The short banner `npm start` prints on a terminal once everything listens. */
export function formatBanner(parts: Array<[string, string]>, colour: boolean): string {
  const bold = (text: string) => (colour ? `\u001b[1m${text}\u001b[0m` : text);
  const width = Math.max(...parts.map(([name]) => name.length));
  const lines = parts.map(([name, where]) => `  ${bold(name.padEnd(width))}  ${where}`);
  return `\n${bold('KIM status engine is running')}\n${lines.join('\n')}\n  Ctrl-C stops every part.\n\n`;
}
