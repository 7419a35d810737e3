import fs from 'node:fs';
import type { TLSConfig } from '@temporalio/common/lib/internal-non-workflow';

export interface TemporalConnectionSettings {
  /** PEM file of the CA that signed the frontend's certificate (else the system's CAs). */
  TEMPORAL_TLS_CA?: string;
  /** PEM files of this client's certificate and key (mTLS); both or neither. */
  TEMPORAL_TLS_CERT?: string;
  TEMPORAL_TLS_KEY?: string;
  /** The name the frontend's certificate is checked against, when it differs from the address's host. */
  TEMPORAL_TLS_SERVER_NAME?: string;
  /** An API key (Temporal Cloud); implies TLS. */
  TEMPORAL_API_KEY?: string;
}

/**
 * The connection options of every connection to Temporal — the client's (`Connection.connect`)
 * and the workers' (`NativeConnection.connect`): the address, and TLS or mTLS with an optional
 * API key when any `TEMPORAL_TLS_*` or `TEMPORAL_API_KEY` is set. Without them the connection is
 * plain, as to the embedded dev server on loopback.
 */
export function temporalConnectionOptions(
  settings: TemporalConnectionSettings,
  address: string,
  readFile: (file: string) => Buffer = (file) => fs.readFileSync(file),
): { address: string; tls?: TLSConfig; apiKey?: string } {
  const { TEMPORAL_TLS_CA: ca, TEMPORAL_TLS_CERT: cert, TEMPORAL_TLS_KEY: key, TEMPORAL_TLS_SERVER_NAME: serverName, TEMPORAL_API_KEY: apiKey } = settings;
  if (Boolean(cert) !== Boolean(key)) throw new Error('TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together (mTLS): set both or neither');
  if (!ca && !cert && !serverName && !apiKey) return { address };
  const read = (variable: string, file: string) => {
    try {
      return readFile(file);
    } catch (error) {
      throw new Error(`${variable}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  };
  const tls: TLSConfig = {
    ...(serverName ? { serverNameOverride: serverName } : {}),
    ...(ca ? { serverRootCACertificate: read('TEMPORAL_TLS_CA', ca) } : {}),
    ...(cert && key ? { clientCertPair: { crt: read('TEMPORAL_TLS_CERT', cert), key: read('TEMPORAL_TLS_KEY', key) } } : {}),
  };
  return { address, tls, ...(apiKey ? { apiKey } : {}) };
}
