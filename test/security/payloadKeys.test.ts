import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EncryptionCodec } from '../../security/payloadCodec';
import { generatePayloadKey, loadPayloadKeys, payloadKeyFilePath } from '../../security/payloadKeys';

const key1 = generatePayloadKey();
const key2 = generatePayloadKey();

function loadFromEnv(env: NodeJS.ProcessEnv) {
  // dataDir that must never be touched when keys come from the environment
  return loadPayloadKeys({ env, dataDir: path.join(os.tmpdir(), 'payload-keys-must-not-exist') });
}

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('generatePayloadKey', () => {
  test('returns a fresh base64 32-byte key', () => {
    expect(Buffer.from(key1, 'base64')).toHaveLength(32);
    expect(Buffer.from(key1, 'base64').toString('base64')).toBe(key1);
    expect(key1).not.toBe(key2);
  });
});

describe('loadPayloadKeys from PAYLOAD_ENCRYPTION_KEYS', () => {
  test('valid list: the first key is active by default', () => {
    const loaded = loadFromEnv({ PAYLOAD_ENCRYPTION_KEYS: `k1:${key1},k2:${key2}` });
    expect(loaded.source).toBe('environment');
    expect(loaded.activeKeyId).toBe('k1');
    expect(loaded.keys.map((k) => k.id)).toEqual(['k1', 'k2']);
    expect(loaded.keys[0].key.equals(Buffer.from(key1, 'base64'))).toBe(true);
    expect(loaded.keys[1].key.equals(Buffer.from(key2, 'base64'))).toBe(true);
    expect(() => new EncryptionCodec(loaded)).not.toThrow();
    expect(fs.existsSync(path.join(os.tmpdir(), 'payload-keys-must-not-exist'))).toBe(false);
  });

  test('PAYLOAD_ENCRYPTION_ACTIVE_KEY selects the active key; whitespace is tolerated', () => {
    const loaded = loadFromEnv({
      PAYLOAD_ENCRYPTION_KEYS: ` k1:${key1} , k2:${key2} ,`,
      PAYLOAD_ENCRYPTION_ACTIVE_KEY: 'k2',
    });
    expect(loaded.activeKeyId).toBe('k2');
    expect(loaded.keys.map((k) => k.id)).toEqual(['k1', 'k2']);
  });

  test('active key not in the list', () => {
    const error = errorOf(() =>
      loadFromEnv({ PAYLOAD_ENCRYPTION_KEYS: `k1:${key1},k2:${key2}`, PAYLOAD_ENCRYPTION_ACTIVE_KEY: 'k3' }),
    );
    expect(error.message).toContain('PAYLOAD_ENCRYPTION_ACTIVE_KEY');
    expect(error.message).toContain('"k3"');
    expect(error.message).not.toContain(key1);
    expect(error.message).not.toContain(key2);
  });

  test('active key set without a key list', () => {
    expect(() => loadFromEnv({ PAYLOAD_ENCRYPTION_ACTIVE_KEY: 'k1' })).toThrow(/PAYLOAD_ENCRYPTION_KEYS is not/);
  });

  test.each([16, 31, 33, 64])('wrong key length (%i bytes): message names the id, not the key', (length) => {
    const bad = randomBytes(length).toString('base64');
    const error = errorOf(() => loadFromEnv({ PAYLOAD_ENCRYPTION_KEYS: `k1:${key1},rotated-2025:${bad}` }));
    expect(error.message).toContain('PAYLOAD_ENCRYPTION_KEYS');
    expect(error.message).toContain('"rotated-2025"');
    expect(error.message).toContain(`got ${length}`);
    expect(error.message).not.toContain(bad);
    expect(error.message).not.toContain(key1);
  });

  test('not base64: message names the id, not the key', () => {
    const bad = `${key1.slice(0, 20)}!${key1.slice(21)}`;
    const error = errorOf(() => loadFromEnv({ PAYLOAD_ENCRYPTION_KEYS: `k1:${bad}` }));
    expect(error.message).toMatch(/PAYLOAD_ENCRYPTION_KEYS.*"k1".*base64/);
    expect(error.message).not.toContain(bad);
  });

  test('entry without id: message does not echo the entry', () => {
    const error = errorOf(() => loadFromEnv({ PAYLOAD_ENCRYPTION_KEYS: `k1:${key1},${key2}` }));
    expect(error.message).toMatch(/PAYLOAD_ENCRYPTION_KEYS: entry 2/);
    expect(error.message).not.toContain(key2);
    const emptyId = errorOf(() => loadFromEnv({ PAYLOAD_ENCRYPTION_KEYS: `:${key1}` }));
    expect(emptyId.message).toMatch(/entry 1 has an invalid key id/);
    expect(emptyId.message).not.toContain(key1);
  });

  test('repeated id', () => {
    expect(() => loadFromEnv({ PAYLOAD_ENCRYPTION_KEYS: `k1:${key1},k1:${key2}` })).toThrow(
      /PAYLOAD_ENCRYPTION_KEYS: key id "k1" appears more than once/,
    );
  });

  test('set but empty', () => {
    expect(() => loadFromEnv({ PAYLOAD_ENCRYPTION_KEYS: ' , ' })).toThrow(/PAYLOAD_ENCRYPTION_KEYS is set but contains no keys/);
  });
});

describe('loadPayloadKeys with generated key file', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'payload-keys-'));
  });
  afterEach(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('generated once, read back on later starts, mode 0600 in a 0700 directory', () => {
    const first = loadPayloadKeys({ env: {}, dataDir });
    expect(first.source).toBe('generated');
    expect(first.activeKeyId).toMatch(/^local-\d{8}$/);
    expect(first.keys).toHaveLength(1);
    expect(first.keys[0].id).toBe(first.activeKeyId);
    expect(first.keys[0].key).toHaveLength(32);

    const file = payloadKeyFilePath(dataDir);
    expect(file).toBe(path.join(dataDir, 'keys', 'payload-keys.json'));
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['payload-keys.json']); // no temporary files left

    const second = loadPayloadKeys({ env: {}, dataDir });
    expect(second.source).toBe('file');
    expect(second.activeKeyId).toBe(first.activeKeyId);
    expect(second.keys.map((k) => k.id)).toEqual(first.keys.map((k) => k.id));
    expect(second.keys[0].key.equals(first.keys[0].key)).toBe(true);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  test('a restart decodes what the previous run encoded', async () => {
    const before = new EncryptionCodec(loadPayloadKeys({ env: {}, dataDir }));
    const payload = { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('"Grüße"') };
    const encoded = await before.encode([payload]);
    const after = new EncryptionCodec(loadPayloadKeys({ env: {}, dataDir }));
    const [decoded] = await after.decode(encoded);
    expect(Buffer.from(decoded.data ?? []).toString()).toBe('"Grüße"');
  });

  test('the key file is not used when PAYLOAD_ENCRYPTION_KEYS is set', () => {
    const loaded = loadPayloadKeys({ env: { PAYLOAD_ENCRYPTION_KEYS: `k1:${key1}` }, dataDir });
    expect(loaded.source).toBe('environment');
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });

  test('a key file with loosened permissions is tightened back to 0600', () => {
    loadPayloadKeys({ env: {}, dataDir });
    const file = payloadKeyFilePath(dataDir);
    fs.chmodSync(file, 0o644);
    expect(loadPayloadKeys({ env: {}, dataDir }).source).toBe('file');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  test('an existing key file with several keys (rotated by hand) is read as written', () => {
    const file = payloadKeyFilePath(dataDir);
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const content = { version: 1, activeKeyId: 'b', keys: [{ id: 'a', key: key1 }, { id: 'b', key: key2 }] };
    fs.writeFileSync(file, JSON.stringify(content), { mode: 0o600 });
    const loaded = loadPayloadKeys({ env: {}, dataDir });
    expect(loaded).toMatchObject({ source: 'file', activeKeyId: 'b' });
    expect(loaded.keys.map((k) => k.id)).toEqual(['a', 'b']);
  });

  test('a corrupt key file is an error naming the file, not overwritten', () => {
    const file = payloadKeyFilePath(dataDir);
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, '{"version":1,"activeKeyId":"x","keys":[{"id":"x","key":"abc"}]}', { mode: 0o600 });
    expect(() => loadPayloadKeys({ env: {}, dataDir })).toThrow(/payload-keys\.json: key "x"/);
    fs.writeFileSync(file, '{not json');
    expect(() => loadPayloadKeys({ env: {}, dataDir })).toThrow(/payload-keys\.json is not valid JSON/);
    expect(fs.readFileSync(file, 'utf8')).toBe('{not json');
  });
});
