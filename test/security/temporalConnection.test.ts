import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { temporalConnectionOptions } from '../../security/temporalConnection';

describe('the connection options to Temporal', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kim-tls-'));
  const file = (name: string, text: string) => {
    fs.writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  };
  const ca = file('ca.pem', 'CA PEM');
  const cert = file('client.pem', 'CERT PEM');
  const key = file('client.key', 'KEY PEM');

  test('plain without any TLS setting (the embedded dev server)', () => {
    expect(temporalConnectionOptions({}, '127.0.0.1:7233')).toEqual({ address: '127.0.0.1:7233' });
  });

  test('mTLS: the CA, the client certificate and key are read from their files; the server name overrides SNI', () => {
    const options = temporalConnectionOptions(
      { TEMPORAL_TLS_CA: ca, TEMPORAL_TLS_CERT: cert, TEMPORAL_TLS_KEY: key, TEMPORAL_TLS_SERVER_NAME: 'temporal.internal' },
      'temporal.example:7233',
    );
    expect(options.address).toBe('temporal.example:7233');
    expect(Buffer.from(options.tls!.serverRootCACertificate!).toString()).toBe('CA PEM');
    expect(Buffer.from(options.tls!.clientCertPair!.crt).toString()).toBe('CERT PEM');
    expect(Buffer.from(options.tls!.clientCertPair!.key).toString()).toBe('KEY PEM');
    expect(options.tls!.serverNameOverride).toBe('temporal.internal');
    expect(options.apiKey).toBeUndefined();
  });

  test('an API key implies TLS with the system CAs', () => {
    expect(temporalConnectionOptions({ TEMPORAL_API_KEY: 'secret' }, 'ns.tmprl.cloud:7233')).toEqual({ address: 'ns.tmprl.cloud:7233', tls: {}, apiKey: 'secret' });
  });

  test('a certificate without its key, or an unreadable file, is a clear error', () => {
    expect(() => temporalConnectionOptions({ TEMPORAL_TLS_CERT: cert }, 'x:7233')).toThrow(/TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together/);
    expect(() => temporalConnectionOptions({ TEMPORAL_TLS_CA: path.join(dir, 'missing.pem') }, 'x:7233')).toThrow(/TEMPORAL_TLS_CA: cannot read .*missing\.pem \(ENOENT\)/);
  });
});
