import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { DataConverter, Payload, PayloadCodec, SerializationContext } from '@temporalio/common';
import { decode as decodeUtf8, encode as encodeUtf8 } from '@temporalio/common/lib/encoding';
// This install has two copies of protobufjs; the helpers in @temporalio/common/lib/proto-utils are
// bound to the other one ("type must be a Type"), so serialise with @temporalio/proto's own types.
import { temporal } from '@temporalio/proto';

const ProtoPayload = temporal.api.common.v1.Payload;

/** An AES-256 key with the id that is written into every payload it encrypts. */
export interface PayloadKey {
  id: string;
  /** 32 bytes. */
  key: Buffer;
}

/** Value of the `encoding` metadata of an encrypted payload. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** Metadata entry naming the key a payload was encrypted with. */
export const KEY_ID_METADATA = 'encryption-key-id';
/** Metadata entry naming the workflow a payload is bound to (its id is authenticated data). */
export const WORKFLOW_ID_METADATA = 'encryption-workflow-id';
/**
 * What `decode` makes of a payload it refuses (unencrypted, or bound to another workflow): a
 * payload no payload converter can read. Inside a workflow that rejects an update before it is
 * accepted; elsewhere the conversion fails — either way the content is never used.
 */
export const REFUSED_ENCODING = 'binary/refused-by-codec';

const ENCODING_METADATA = 'encoding';
const ALGORITHM = 'aes-256-gcm';
const KEY_LENGTH = 32;
const IV_LENGTH = 12;
const TAG_LENGTH = 16;

/**
 * Temporal payload codec that encrypts every payload with AES-256-GCM, so that the Temporal server
 * (and its Web UI) only ever sees ciphertext.
 *
 * Encrypted payload: metadata `encoding: binary/encrypted`, `encryption-key-id: <id>`;
 * data = IV (12 random bytes) ‖ ciphertext ‖ GCM tag (16 bytes). The plaintext is the whole
 * original payload (metadata and data) serialised as a `temporal.api.common.v1.Payload`
 * message. The key id is the GCM additional authenticated data, so relabelling a payload with
 * another key id fails authentication.
 *
 * Binding: where the SDK passes the workflow the payload belongs to (its serialization context:
 * workflow inputs, updates, queries, results, the activities it schedules), the workflow id is
 * written into the metadata and added to the additional data, so a ciphertext copied into another
 * workflow is refused, and relabelling it fails authentication. A payload bound to `W` is read in
 * the context of `W` — or of `W-<timestamp>`, the runs a Temporal schedule with action id `W`
 * starts — or where the SDK passes no context (an activity result read back after a worker
 * restart). Payloads without a binding (written before binding, or without context) still decode.
 *
 * Unencrypted payloads are refused: anyone who reaches the Temporal frontend could otherwise send
 * a clerk action that skips the API's authorisation and audit. Temporal's own unencrypted data
 * (the `patched()` marker, search attributes, headers) never passes through the codec.
 *
 * Key rotation: new payloads use the active key; payloads written with any other configured key
 * still decode.
 */
export class EncryptionCodec implements PayloadCodec {
  readonly activeKeyId: string;
  private readonly keys: ReadonlyMap<string, Buffer>;

  constructor(options: { activeKeyId: string; keys: PayloadKey[] }) {
    const keys = new Map<string, Buffer>();
    for (const entry of options.keys) {
      if (typeof entry.id !== 'string' || entry.id.length === 0) {
        throw new Error('Payload encryption key without id');
      }
      if (!(entry.key instanceof Uint8Array) || entry.key.length !== KEY_LENGTH) {
        const length = entry.key instanceof Uint8Array ? entry.key.length : typeof entry.key;
        throw new Error(
          `Payload encryption key "${entry.id}" must be ${KEY_LENGTH} bytes (AES-256), got ${length}`,
        );
      }
      if (keys.has(entry.id)) {
        throw new Error(`Payload encryption key id "${entry.id}" is configured more than once`);
      }
      // Own copy: later changes to the caller's buffer do not change the codec's key.
      keys.set(entry.id, Buffer.from(entry.key));
    }
    if (!keys.has(options.activeKeyId)) {
      throw new Error(
        `Active payload encryption key "${options.activeKeyId}" is not among the configured keys` +
          ` (${[...keys.keys()].map((id) => `"${id}"`).join(', ') || 'none'})`,
      );
    }
    this.activeKeyId = options.activeKeyId;
    this.keys = keys;
  }

  async encode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    return payloads.map((payload) => this.encrypt(payload, context?.workflowId || undefined));
  }

  async decode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    return payloads.map((payload) => this.decrypt(payload, context?.workflowId || undefined));
  }

  private encrypt(payload: Payload, workflowId: string | undefined): Payload {
    const keyId = this.activeKeyId;
    const key = this.keys.get(keyId) as Buffer;
    const plaintext = ProtoPayload.encode(payload).finish();
    const iv = randomBytes(IV_LENGTH);
    const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_LENGTH });
    cipher.setAAD(additionalData(keyId, workflowId));
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return {
      metadata: {
        [ENCODING_METADATA]: encodeUtf8(ENCRYPTED_ENCODING),
        [KEY_ID_METADATA]: encodeUtf8(keyId),
        ...(workflowId ? { [WORKFLOW_ID_METADATA]: encodeUtf8(workflowId) } : {}),
      },
      data: Buffer.concat([iv, ciphertext, cipher.getAuthTag()]),
    };
  }

  private decrypt(payload: Payload, contextWorkflowId: string | undefined): Payload {
    const encoding = payload.metadata?.[ENCODING_METADATA];
    if (!encoding || decodeUtf8(encoding) !== ENCRYPTED_ENCODING) return refused('the payload is not encrypted');
    const boundBytes = payload.metadata?.[WORKFLOW_ID_METADATA];
    const boundTo = boundBytes ? decodeUtf8(boundBytes) : undefined;
    if (boundTo !== undefined && contextWorkflowId !== undefined && !isSameWorkflow(boundTo, contextWorkflowId)) {
      return refused('the payload belongs to another workflow');
    }

    const keyIdBytes = payload.metadata?.[KEY_ID_METADATA];
    if (!keyIdBytes) {
      throw new Error(`Encrypted payload without "${KEY_ID_METADATA}" metadata`);
    }
    const keyId = decodeUtf8(keyIdBytes);
    const key = this.keys.get(keyId);
    if (!key) {
      throw new Error(
        `Cannot decrypt payload: unknown payload encryption key id "${keyId}"` +
          ' (configure this key, e.g. as a non-active key, to read data written with it)',
      );
    }
    const data = payload.data ?? new Uint8Array(0);
    if (data.length < IV_LENGTH + TAG_LENGTH) {
      throw new Error(`Cannot decrypt payload with key "${keyId}": data too short (${data.length} bytes)`);
    }
    const iv = data.subarray(0, IV_LENGTH);
    const ciphertext = data.subarray(IV_LENGTH, data.length - TAG_LENGTH);
    const tag = data.subarray(data.length - TAG_LENGTH);
    let plaintext: Buffer;
    try {
      const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_LENGTH });
      decipher.setAAD(additionalData(keyId, boundTo));
      decipher.setAuthTag(tag);
      plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    } catch {
      throw new Error(
        `Cannot decrypt payload with key "${keyId}": authentication failed (payload tampered with or wrong key)`,
      );
    }
    return ProtoPayload.decode(plaintext);
  }
}

/** The GCM additional data: the key id, and the workflow id where the payload is bound to one. */
function additionalData(keyId: string, workflowId: string | undefined): Uint8Array {
  return workflowId === undefined ? encodeUtf8(keyId) : Buffer.concat([encodeUtf8(keyId), Buffer.from([0]), encodeUtf8(workflowId)]);
}

/** The runs a schedule starts have the id `<action workflow id>-<RFC 3339 time>`. */
function isSameWorkflow(boundTo: string, workflowId: string): boolean {
  if (boundTo === workflowId) return true;
  return workflowId.startsWith(`${boundTo}-`) && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(workflowId.slice(boundTo.length + 1));
}

function refused(reason: string): Payload {
  return { metadata: { [ENCODING_METADATA]: encodeUtf8(REFUSED_ENCODING), reason: encodeUtf8(reason) }, data: new Uint8Array(0) };
}

/**
 * The failure converter of Client and Worker: failure messages and stack traces go into the
 * failure's encoded attributes, so the codec encrypts them (SMTP errors carry addresses).
 * The workflow bundle must be built with it too (`bundleWorkflowCode({ failureConverterPath })`).
 */
export const failureConverterPath = require.resolve('./failureConverter');

/** Data converter for Client, Worker and testing environments: `codec`, and failure attributes encoded. */
export function createDataConverter(codec: PayloadCodec): DataConverter {
  return { payloadCodecs: [codec], failureConverterPath };
}
