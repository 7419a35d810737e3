import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { defaultPayloadConverter, type Payload, type SerializationContext } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import {
  createDataConverter,
  EncryptionCodec,
  ENCRYPTED_ENCODING,
  failureConverterPath,
  KEY_ID_METADATA,
  REFUSED_ENCODING,
  WORKFLOW_ID_METADATA,
  type PayloadKey,
} from '../../security/payloadCodec';

const k1: PayloadKey = { id: 'k1', key: randomBytes(32) };
const k2: PayloadKey = { id: 'k2', key: randomBytes(32) };

const utf8 = (text: string): Uint8Array => Buffer.from(text, 'utf8');
const text = (bytes: Uint8Array | null | undefined): string => Buffer.from(bytes ?? []).toString('utf8');

function jsonPayload(value: unknown): Payload {
  return { metadata: { encoding: utf8('json/plain') }, data: utf8(JSON.stringify(value)) };
}

/** Protobuf does not distinguish absent from empty fields, nor Buffer from Uint8Array. */
function normalise(payload: Payload): { metadata: Record<string, Buffer>; data: Buffer } {
  const metadata: Record<string, Buffer> = {};
  for (const [key, value] of Object.entries(payload.metadata ?? {})) metadata[key] = Buffer.from(value);
  return { metadata, data: Buffer.from(payload.data ?? []) };
}

/** Everything a Temporal server stores for the payload: its serialised protobuf message. */
function wireBytes(payload: Payload): Buffer {
  return Buffer.from(temporal.api.common.v1.Payload.encode(payload).finish());
}

const person = { name: 'Jürgen Müßig-Öztürk', strasse: 'Königsallee 1', ort: 'Düsseldorf' };
const samples: Payload[] = [
  jsonPayload(person),
  jsonPayload('Ärger über Behörden'),
  { metadata: { encoding: utf8('binary/plain') }, data: Uint8Array.from([0, 1, 2, 253, 254, 255]) },
  { metadata: { encoding: utf8('binary/null') }, data: new Uint8Array(0) },
  {},
];

describe('EncryptionCodec', () => {
  const codec = new EncryptionCodec({ activeKeyId: 'k1', keys: [k1] });

  test('round trip of JSON with umlauts, binary and empty payloads', async () => {
    const encoded = await codec.encode(samples);
    expect(encoded).toHaveLength(samples.length);
    const decoded = await codec.decode(encoded);
    expect(decoded.map(normalise)).toEqual(samples.map(normalise));
    expect(JSON.parse(text(decoded[0].data))).toEqual(person);
  });

  test('encoded payloads are marked as encrypted with the active key id', async () => {
    const [encoded] = await codec.encode([jsonPayload(person)]);
    expect(Object.keys(encoded.metadata ?? {}).sort()).toEqual(['encoding', KEY_ID_METADATA]);
    expect(encoded.metadata?.encoding).toBeInstanceOf(Uint8Array);
    expect(text(encoded.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(text(encoded.metadata?.[KEY_ID_METADATA])).toBe('k1');
    const plaintextLength = wireBytes(jsonPayload(person)).length;
    // IV ‖ ciphertext (same length as plaintext in GCM) ‖ tag
    expect(encoded.data).toHaveLength(12 + plaintextLength + 16);
  });

  test('the encoded bytes contain neither the plaintext nor its base64', async () => {
    const original = jsonPayload(person);
    const [encoded] = await codec.encode([original]);
    const stored = wireBytes(encoded);
    const json = JSON.stringify(person);
    const needles = [
      json,
      Buffer.from(json).toString('base64'),
      'Jürgen',
      'Königsallee',
      'json/plain',
    ];
    for (const needle of needles) {
      expect(stored.includes(Buffer.from(needle, 'utf8'))).toBe(false);
      expect(stored.toString('base64')).not.toContain(Buffer.from(needle).toString('base64'));
    }
    expect(stored.includes(Buffer.from(original.data ?? []))).toBe(false);
  });

  test('two encodings of the same payload differ (fresh IV)', async () => {
    const payload = jsonPayload(person);
    const [a, b] = await codec.encode([payload, payload]);
    const [c] = await codec.encode([payload]);
    expect(Buffer.from(a.data ?? []).equals(Buffer.from(b.data ?? []))).toBe(false);
    expect(Buffer.from(a.data ?? []).subarray(0, 12).equals(Buffer.from(c.data ?? []).subarray(0, 12))).toBe(false);
    expect((await codec.decode([a, b, c])).map(normalise)).toEqual([payload, payload, payload].map(normalise));
  });

  test('key rotation: old payloads still decode, new ones use the new key', async () => {
    const codecA = new EncryptionCodec({ activeKeyId: 'k1', keys: [k1] });
    const codecB = new EncryptionCodec({ activeKeyId: 'k2', keys: [k1, k2] });
    const old = await codecA.encode(samples);
    expect((await codecB.decode(old)).map(normalise)).toEqual(samples.map(normalise));

    const fresh = await codecB.encode(samples);
    for (const payload of fresh) expect(text(payload.metadata?.[KEY_ID_METADATA])).toBe('k2');
    expect((await codecB.decode(fresh)).map(normalise)).toEqual(samples.map(normalise));

    const error = await codecA.decode(fresh).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/unknown payload encryption key id "k2"/);
    expect(error?.message).not.toContain(k2.key.toString('base64'));
    expect(error?.message).not.toContain(k2.key.toString('hex'));
  });

  test('tampering with any single byte of the data fails', async () => {
    const [encoded] = await codec.encode([jsonPayload(person)]);
    const data = Buffer.from(encoded.data ?? []);
    // first IV byte, a ciphertext byte, the last tag byte, and every position of a short payload
    for (const index of [0, 11, 12, 20, data.length - 17, data.length - 16, data.length - 1]) {
      const tampered = Buffer.from(data);
      tampered[index] ^= 0x01;
      await expect(codec.decode([{ ...encoded, data: tampered }])).rejects.toThrow(/authentication failed/);
    }
    const [short] = await codec.encode([{ data: utf8('x') }]);
    for (let index = 0; index < (short.data ?? []).length; index++) {
      const tampered = Buffer.from(short.data ?? []);
      tampered[index] ^= 0x80;
      await expect(codec.decode([{ ...short, data: tampered }])).rejects.toThrow();
    }
  });

  test('truncated data fails', async () => {
    const [encoded] = await codec.encode([jsonPayload(person)]);
    const data = Buffer.from(encoded.data ?? []);
    await expect(codec.decode([{ ...encoded, data: data.subarray(0, data.length - 1) }])).rejects.toThrow();
    await expect(codec.decode([{ ...encoded, data: data.subarray(0, 20) }])).rejects.toThrow(/too short/);
    await expect(codec.decode([{ ...encoded, data: new Uint8Array(0) }])).rejects.toThrow(/too short/);
  });

  test('relabelling a payload with another key id fails (key id is authenticated)', async () => {
    // Same key material under two ids: only the AAD can tell the relabelling apart.
    const sameKey = new EncryptionCodec({ activeKeyId: 'k1', keys: [k1, { id: 'other', key: k1.key }] });
    const [encoded] = await sameKey.encode([jsonPayload(person)]);
    const relabelled = { ...encoded, metadata: { ...encoded.metadata, [KEY_ID_METADATA]: utf8('other') } };
    await expect(sameKey.decode([relabelled])).rejects.toThrow(/authentication failed/);

    const both = new EncryptionCodec({ activeKeyId: 'k1', keys: [k1, k2] });
    const [withK1] = await both.encode([jsonPayload(person)]);
    const toK2 = { ...withK1, metadata: { ...withK1.metadata, [KEY_ID_METADATA]: utf8('k2') } };
    await expect(both.decode([toK2])).rejects.toThrow(/authentication failed/);

    const { [KEY_ID_METADATA]: _removed, ...withoutKeyId } = withK1.metadata ?? {};
    await expect(both.decode([{ ...withK1, metadata: withoutKeyId }])).rejects.toThrow(/encryption-key-id/);
  });

  test('payloads that are not encrypted are refused: decode yields nothing a converter can read', async () => {
    const plain = [jsonPayload(person), { metadata: { encoding: utf8('binary/plain') }, data: utf8('abc') }, {}];
    const decoded = await codec.decode(plain);
    expect(decoded).toHaveLength(plain.length);
    for (const payload of decoded) {
      expect(text(payload.metadata?.encoding)).toBe(REFUSED_ENCODING);
      expect(payload.data).toHaveLength(0);
      expect(() => defaultPayloadConverter.fromPayload(payload)).toThrow(/Unknown encoding/);
    }
  });

  test('mixed batches: the encrypted payloads decode, the plain one is refused', async () => {
    const [encrypted] = await codec.encode([jsonPayload(person)]);
    const decoded = await codec.decode([jsonPayload('vor der Verschlüsselung'), encrypted]);
    expect(text(decoded[0].metadata?.encoding)).toBe(REFUSED_ENCODING);
    expect(normalise(decoded[1])).toEqual(normalise(jsonPayload(person)));
  });

  describe('binding to the workflow', () => {
    const of = (workflowId: string): SerializationContext => ({ type: 'workflow', namespace: 'default', workflowId });
    const activityOf = (workflowId: string): SerializationContext => ({ type: 'activity', namespace: 'default', workflowId, activityId: '1', isLocal: false });

    test('a payload encoded for a workflow names it and decodes in its context (and its activities\')', async () => {
      const [bound] = await codec.encode([jsonPayload(person)], of('naturalisation/a'));
      expect(text(bound.metadata?.[WORKFLOW_ID_METADATA])).toBe('naturalisation/a');
      expect((await codec.decode([bound], of('naturalisation/a'))).map(normalise)).toEqual([normalise(jsonPayload(person))]);
      expect((await codec.decode([bound], activityOf('naturalisation/a'))).map(normalise)).toEqual([normalise(jsonPayload(person))]);
      expect((await codec.decode([bound])).map(normalise)).toEqual([normalise(jsonPayload(person))]);
    });

    test('copied into another workflow it is refused', async () => {
      const [bound] = await codec.encode([jsonPayload(person)], of('naturalisation/a'));
      const [moved] = await codec.decode([bound], of('naturalisation/b'));
      expect(text(moved.metadata?.encoding)).toBe(REFUSED_ENCODING);
      const [viaActivity] = await codec.decode([bound], activityOf('naturalisation/b'));
      expect(text(viaActivity.metadata?.encoding)).toBe(REFUSED_ENCODING);
    });

    test('relabelling the binding or removing it fails authentication', async () => {
      const [bound] = await codec.encode([jsonPayload(person)], of('naturalisation/a'));
      const relabelled = { ...bound, metadata: { ...bound.metadata, [WORKFLOW_ID_METADATA]: utf8('naturalisation/b') } };
      await expect(codec.decode([relabelled], of('naturalisation/b'))).rejects.toThrow(/authentication failed/);
      const { [WORKFLOW_ID_METADATA]: _removed, ...unbound } = bound.metadata ?? {};
      await expect(codec.decode([{ ...bound, metadata: unbound }], of('naturalisation/b'))).rejects.toThrow(/authentication failed/);
    });

    test('the runs of a schedule (<action id>-<time>) read what was bound to the action id', async () => {
      const [bound] = await codec.encode([jsonPayload('digest')], of('team-digest-action'));
      expect((await codec.decode([bound], of('team-digest-action-2026-11-27T06:00:00Z'))).map(normalise)).toEqual([normalise(jsonPayload('digest'))]);
      const [other] = await codec.decode([bound], of('team-digest-action-evil'));
      expect(text(other.metadata?.encoding)).toBe(REFUSED_ENCODING);
    });
  });

  test('empty batches', async () => {
    await expect(codec.encode([])).resolves.toEqual([]);
    await expect(codec.decode([])).resolves.toEqual([]);
  });

  test('the caller changing its key buffer afterwards does not change the codec', async () => {
    const key = Buffer.from(k1.key);
    const own = new EncryptionCodec({ activeKeyId: 'k1', keys: [{ id: 'k1', key }] });
    const encoded = await own.encode([jsonPayload(person)]);
    key.fill(0);
    expect((await codec.decode(encoded)).map(normalise)).toEqual([normalise(jsonPayload(person))]);
  });

  describe('constructor validation', () => {
    test('active key missing', () => {
      expect(() => new EncryptionCodec({ activeKeyId: 'k3', keys: [k1, k2] })).toThrow(/Active .*"k3".*not among/);
      expect(() => new EncryptionCodec({ activeKeyId: 'k1', keys: [] })).toThrow(/"k1"/);
    });

    test('key not 32 bytes', () => {
      for (const length of [0, 16, 31, 33, 64]) {
        const bad = { id: 'short', key: randomBytes(length) };
        expect(() => new EncryptionCodec({ activeKeyId: 'k1', keys: [k1, bad] })).toThrow(
          new RegExp(`"short" must be 32 bytes.*got ${length}`),
        );
      }
    });

    test('repeated ids', () => {
      expect(() => new EncryptionCodec({ activeKeyId: 'k1', keys: [k1, k2, { id: 'k1', key: randomBytes(32) }] })).toThrow(
        /"k1" is configured more than once/,
      );
    });

    test('empty id', () => {
      expect(() => new EncryptionCodec({ activeKeyId: '', keys: [{ id: '', key: randomBytes(32) }] })).toThrow(/without id/);
    });

    test('error messages never contain key material', () => {
      const bad = { id: 'bad', key: randomBytes(31) };
      try {
        new EncryptionCodec({ activeKeyId: 'bad', keys: [bad] });
        throw new Error('expected a validation error');
      } catch (error) {
        const message = (error as Error).message;
        expect(message).toContain('"bad"');
        expect(message).not.toContain(bad.key.toString('base64'));
        expect(message).not.toContain(bad.key.toString('hex'));
      }
    });
  });

  test('property: decode(encode(x)) equals x for arbitrary data and metadata', async () => {
    const both = new EncryptionCodec({ activeKeyId: 'k2', keys: [k1, k2] });
    const metadataKey = fc.string({ unit: 'grapheme', maxLength: 20 }).filter((key) => key !== '__proto__');
    const payload = fc.record(
      {
        metadata: fc.dictionary(metadataKey, fc.uint8Array({ maxLength: 64 }), { maxKeys: 5, noNullPrototype: true }),
        data: fc.uint8Array({ maxLength: 2048 }),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(payload, { maxLength: 5 }), async (payloads) => {
        const encoded = await both.encode(payloads);
        expect(encoded).toHaveLength(payloads.length);
        for (const e of encoded) expect(text(e.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
        const decoded = await both.decode(encoded);
        expect(decoded.map(normalise)).toEqual(payloads.map(normalise));
      }),
      { numRuns: 200 },
    );
  });
});

describe('createDataConverter', () => {
  test('uses the codec as the only payload codec, and encodes failure messages', () => {
    const codec = new EncryptionCodec({ activeKeyId: 'k1', keys: [k1] });
    expect(createDataConverter(codec)).toEqual({ payloadCodecs: [codec], failureConverterPath });
    expect(createDataConverter(codec).payloadCodecs?.[0]).toBe(codec);
  });
});
