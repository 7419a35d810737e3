import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { PayloadKey } from './payloadCodec';

const KEY_LENGTH = 32;
const KEYS_VARIABLE = 'PAYLOAD_ENCRYPTION_KEYS';
const ACTIVE_VARIABLE = 'PAYLOAD_ENCRYPTION_ACTIVE_KEY';
const KEY_ID_PATTERN = /^[A-Za-z0-9._-]+$/;
// Standard or URL-safe alphabet, optional padding. Buffer.from(…, 'base64') silently skips
// anything else, which would turn a typo into a different key.
const BASE64_PATTERN = /^[A-Za-z0-9+/_-]+={0,2}$/;

export interface LoadedPayloadKeys {
  activeKeyId: string;
  keys: PayloadKey[];
  /** `environment`: PAYLOAD_ENCRYPTION_KEYS; `generated`/`file`: `<dataDir>/keys/payload-keys.json`. */
  source: 'environment' | 'generated' | 'file';
}

/** Shape of `<dataDir>/keys/payload-keys.json`. */
interface KeyFile {
  version: 1;
  activeKeyId: string;
  keys: { id: string; key: string }[];
}

/** A fresh random AES-256 key, base64-encoded (for PAYLOAD_ENCRYPTION_KEYS). */
export function generatePayloadKey(): string {
  return randomBytes(KEY_LENGTH).toString('base64');
}

/** Path of the key file used when PAYLOAD_ENCRYPTION_KEYS is not set. */
export function payloadKeyFilePath(dataDir: string): string {
  return path.join(dataDir, 'keys', 'payload-keys.json');
}

/**
 * Keys for the payload codec.
 *
 * - `PAYLOAD_ENCRYPTION_KEYS="id1:base64key1,id2:base64key2"` (each key 32 bytes): active key is
 *   `PAYLOAD_ENCRYPTION_ACTIVE_KEY`, else the first in the list. Keep retired keys in the list for
 *   as long as histories written with them must be readable.
 * - Otherwise (embedded default): one key generated on the first start and kept in
 *   `<dataDir>/keys/payload-keys.json` (mode 0600, directory 0700), read back on later starts.
 *
 * Error messages name the variable or file and the key id, never key material.
 */
export function loadPayloadKeys(options: { env: NodeJS.ProcessEnv; dataDir: string }): LoadedPayloadKeys {
  const { env, dataDir } = options;
  if (env[KEYS_VARIABLE] !== undefined) return parseEnvironmentKeys(env[KEYS_VARIABLE], env[ACTIVE_VARIABLE]);
  if (env[ACTIVE_VARIABLE] !== undefined) {
    throw new Error(`${ACTIVE_VARIABLE} is set but ${KEYS_VARIABLE} is not`);
  }
  return loadOrGenerateKeyFile(payloadKeyFilePath(dataDir));
}

function parseEnvironmentKeys(list: string, active: string | undefined): LoadedPayloadKeys {
  const entries = list
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  if (entries.length === 0) throw new Error(`${KEYS_VARIABLE} is set but contains no keys (expected "id:base64key,…")`);

  const keys: PayloadKey[] = [];
  entries.forEach((entry, index) => {
    const separator = entry.indexOf(':');
    if (separator < 0) {
      throw new Error(`${KEYS_VARIABLE}: entry ${index + 1} is not of the form "id:base64key"`);
    }
    const id = entry.slice(0, separator).trim();
    const encoded = entry.slice(separator + 1).trim();
    if (!KEY_ID_PATTERN.test(id)) {
      throw new Error(`${KEYS_VARIABLE}: entry ${index + 1} has an invalid key id (use letters, digits, ".", "_", "-")`);
    }
    if (keys.some((key) => key.id === id)) {
      throw new Error(`${KEYS_VARIABLE}: key id "${id}" appears more than once`);
    }
    keys.push({ id, key: decodeKey(encoded, `${KEYS_VARIABLE}: key "${id}"`) });
  });

  const activeKeyId = active?.trim() || keys[0].id;
  if (!keys.some((key) => key.id === activeKeyId)) {
    throw new Error(
      `${ACTIVE_VARIABLE} names key "${activeKeyId}", which is not in ${KEYS_VARIABLE}` +
        ` (ids: ${keys.map((key) => `"${key.id}"`).join(', ')})`,
    );
  }
  return { activeKeyId, keys, source: 'environment' };
}

function decodeKey(encoded: string, context: string): Buffer {
  if (!BASE64_PATTERN.test(encoded)) throw new Error(`${context} is not valid base64`);
  const key = Buffer.from(encoded, 'base64');
  if (key.length !== KEY_LENGTH) {
    throw new Error(`${context} must be ${KEY_LENGTH} bytes after base64 decoding, got ${key.length}`);
  }
  return key;
}

function loadOrGenerateKeyFile(file: string): LoadedPayloadKeys {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);

  if (!fs.existsSync(file)) {
    const today = new Date().toISOString().slice(0, 10).replace(/-/g, '');
    const id = `local-${today}`;
    const content: KeyFile = { version: 1, activeKeyId: id, keys: [{ id, key: generatePayloadKey() }] };
    if (writeExclusively(file, `${JSON.stringify(content, null, 2)}\n`)) {
      return { ...parseKeyFile(file, content), source: 'generated' };
    }
    // Another process created the file first: use its keys.
  }
  const stat = fs.statSync(file);
  if ((stat.mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
  let content: unknown;
  try {
    content = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`Payload key file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  return { ...parseKeyFile(file, content), source: 'file' };
}

/**
 * Writes the file completely under a temporary name, then hard-links it into place, which fails if
 * the file already exists: a crash never leaves a half-written key file, and two processes starting
 * at once never overwrite each other's key. Returns false if the file already existed.
 */
function writeExclusively(file: string, text: string): boolean {
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = fs.openSync(temporary, 'wx', 0o600);
  try {
    fs.fchmodSync(fd, 0o600);
    fs.writeFileSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.linkSync(temporary, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    fs.unlinkSync(temporary);
  }
}

function parseKeyFile(file: string, content: unknown): Omit<LoadedPayloadKeys, 'source'> {
  const fail = (message: string): never => {
    throw new Error(`Payload key file ${file}: ${message}`);
  };
  if (typeof content !== 'object' || content === null) return fail('not a JSON object');
  const { activeKeyId, keys: entries } = content as Partial<KeyFile>;
  if (!Array.isArray(entries) || entries.length === 0) return fail('"keys" must be a non-empty array');
  const keys: PayloadKey[] = [];
  entries.forEach((entry: unknown, index) => {
    const { id, key } = (entry ?? {}) as { id?: unknown; key?: unknown };
    if (typeof id !== 'string' || !KEY_ID_PATTERN.test(id)) return fail(`keys[${index}] has an invalid id`);
    if (keys.some((existing) => existing.id === id)) return fail(`key id "${id}" appears more than once`);
    if (typeof key !== 'string') return fail(`key "${id}" has no base64 "key"`);
    keys.push({ id, key: decodeKey(key, `Payload key file ${file}: key "${id}"`) });
  });
  if (typeof activeKeyId !== 'string' || !keys.some((key) => key.id === activeKeyId)) {
    return fail(`"activeKeyId" must name one of the keys (${keys.map((key) => `"${key.id}"`).join(', ')})`);
  }
  return { activeKeyId, keys };
}
