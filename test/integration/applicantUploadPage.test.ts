import http from 'node:http';
import { startSystem, validApplicationBody } from '../support/system';

/**
 * The applicant page's upload form (multipart, no script) forwards the file to the API as it
 * arrives: the API admits it by reference and access code first, so an anonymous upload with a
 * wrong code is answered before its body is read — the page holds no file in memory — and a body
 * declared too large is refused before any byte of it is read.
 */
describe('the applicant page streams uploads', () => {
  let system: Awaited<ReturnType<typeof startSystem>>;
  beforeAll(async () => {
    system = await startSystem({ console: true });
  });
  afterAll(async () => {
    await system?.stop();
  });

  async function caseAwaitingPassport() {
    const created = await system.request('POST', '/api/v1/naturalisation/applications', validApplicationBody());
    expect(created.status).toBe(201);
    const path = `/api/v1/naturalisation/applications/${created.body.id}`;
    const stage = async () => (await system.db.pool.query('SELECT stage FROM case_projections WHERE case_id = $1', [created.body.id])).rows[0]?.stage;
    for (let i = 0; i < 200 && (await stage()) !== 'completeness_check'; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    const view = await system.request('GET', path);
    expect((await system.request('POST', `${path}/completeness-check`, { checklist: [{ type: 'passport', status: 'missing' }], expectedVersion: view.body.version })).status).toBe(200);
    for (let i = 0; i < 200 && (await stage()) !== 'waiting_for_documents'; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    return { id: created.body.id as string, reference: created.body.reference as string, accessCode: created.body.accessCode as string };
  }

  const boundary = '----kim-test-boundary';
  const fieldsPart = (fields: Record<string, string>) =>
    Object.entries(fields).map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`).join('');
  const fileHead = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="pass.pdf"\r\nContent-Type: application/pdf\r\n\r\n`;

  /** Sends the fields and the first 16 KiB of the file of a body declared `declaredLength` long, and waits for an answer. */
  function sendBeginningOnly(fields: Record<string, string>, declaredLength: number) {
    return new Promise<{ status: number; text: string; bytesSent: number }>((resolve, reject) => {
      const url = new URL(`${system.baseUrl}/status/documents`);
      const first = Buffer.concat([Buffer.from(fieldsPart(fields) + fileHead), Buffer.from('%PDF-1.7\n'), Buffer.alloc(16 * 1024, 0x20)]);
      const request = http.request(
        { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(declaredLength) } },
        (response) => {
          clearTimeout(timer);
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), bytesSent: first.length });
            request.destroy();
          });
        },
      );
      const timer = setTimeout(() => {
        request.destroy();
        reject(new Error('no answer before the body was complete'));
      }, 10_000);
      request.on('error', () => undefined);
      request.write(first);
    });
  }

  const stored = async (caseId: string) => (await system.db.pool.query('SELECT type, size_bytes FROM applicant_documents WHERE case_id = $1', [caseId])).rows;

  test('a wrong access code is answered before the file is read; a body declared over the limit before any of it', async () => {
    const application = await caseAwaitingPassport();
    const wrong = await sendBeginningOnly({ reference: application.reference, accessCode: 'AAAA-BBBB-CCCC', type: 'passport' }, 9 * 1024 * 1024);
    expect(wrong.status).toBe(404);
    expect(wrong.text).toContain('Zu diesem Aktenzeichen und Zugangscode gibt es keinen Antrag.');
    const huge = await sendBeginningOnly({ reference: application.reference, accessCode: application.accessCode, type: 'passport' }, 40 * 1024 * 1024);
    expect(huge.status).toBe(413);
    expect(await stored(application.id)).toEqual([]);
  });

  test('the right code: the whole file reaches the API and is stored', async () => {
    const application = await caseAwaitingPassport();
    const content = Buffer.concat([Buffer.from('%PDF-1.7\n% Reisepass\n'), Buffer.alloc(300 * 1024, 0x20), Buffer.from('\n%%EOF\n')]);
    const body = Buffer.concat([
      Buffer.from(fieldsPart({ reference: application.reference, accessCode: application.accessCode, type: 'passport' }) + fileHead),
      content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const response = await fetch(`${system.baseUrl}/status/documents`, { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Ihr Dokument ist eingegangen.');
    expect(await stored(application.id)).toEqual([{ type: 'passport', size_bytes: content.length }]);
  });
});
