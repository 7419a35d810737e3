import http from 'node:http';
import { createClamdScanner } from '../../security/clamavScanner';
import { freePort } from '../support/temporal';
import { eicar, startClamd } from '../support/clamd';
import { startSystem, validApplicationBody } from '../support/system';

const pdf = (text: string) => Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from(`% ${text}\n`), Buffer.alloc(1024, 0x20), Buffer.from('\n%%EOF\n')]);

describe('applicant uploads', () => {
  let system: Awaited<ReturnType<typeof startSystem>>;
  let clamd: Awaited<ReturnType<typeof startClamd>>;

  beforeAll(async () => {
    [system, clamd] = await Promise.all([startSystem(), startClamd()]);
    system.deps.documentScanner = createClamdScanner({ host: clamd.host, port: clamd.port });
  });
  afterAll(async () => {
    await clamd?.stop();
    await system?.stop();
  });

  async function projectionStage(caseId: string, stage: string) {
    for (let i = 0; i < 200; i++) {
      const { rows } = await system.db.pool.query('SELECT stage FROM case_projections WHERE case_id = $1', [caseId]);
      if (rows[0]?.stage === stage) return rows[0].stage as string;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`case ${caseId} did not reach ${stage}`);
  }

  /** An application through the API; with `requestDocuments`, the clerk asks for the passport. */
  async function createCase(requestDocuments = true) {
    const created = await system.request('POST', '/api/v1/naturalisation/applications', validApplicationBody());
    expect(created.status).toBe(201);
    await projectionStage(created.body.id, 'completeness_check');
    if (requestDocuments) {
      const view = await system.request('GET', `/api/v1/naturalisation/applications/${created.body.id}`);
      const checked = await system.request('POST', `/api/v1/naturalisation/applications/${created.body.id}/completeness-check`, {
        checklist: [{ type: 'passport', status: 'missing' }], expectedVersion: view.body.version,
      });
      expect(checked.status).toBe(200);
      await projectionStage(created.body.id, 'waiting_for_documents');
    }
    return { id: created.body.id as string, reference: created.body.reference as string, accessCode: created.body.accessCode as string };
  }

  async function upload(application: { reference: string; accessCode: string }, content: Buffer) {
    const response = await fetch(`${system.baseUrl}/api/v1/status/naturalisation/documents?type=passport`, {
      method: 'POST',
      headers: { 'content-type': 'application/pdf', 'x-reference': application.reference, 'x-access-code': application.accessCode },
      body: content,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }
  const storedCount = async (caseId: string) => (await system.db.pool.query('SELECT count(*)::int AS n FROM applicant_documents WHERE case_id = $1', [caseId])).rows[0].n;

  test('clamd passes a clean PDF (stored as clean) and refuses the EICAR file (422, not stored)', async () => {
    const application = await createCase();
    const clean = await upload(application, pdf('Reisepass'));
    expect(clean.status).toBe(201);
    expect(clean.body).toMatchObject({ scanVerdict: 'clean' });
    const infected = await upload(application, pdf(eicar));
    expect(infected.status).toBe(422);
    expect(infected.body.code).toBe('document.infected');
    const { rows } = await system.db.pool.query('SELECT scan_verdict, scan_engine FROM applicant_documents WHERE case_id = $1', [application.id]);
    expect(rows).toEqual([{ scan_verdict: 'clean', scan_engine: `clamd 127.0.0.1:${clamd.port}` }]);
  });

  test('with clamd down nothing is stored (503); nor with a scanner that gives no verdict', async () => {
    const application = await createCase();
    const scanner = system.deps.documentScanner;
    try {
      system.deps.documentScanner = createClamdScanner({ host: '127.0.0.1', port: await freePort() });
      const down = await upload(application, pdf('Geburtsurkunde'));
      expect(down.status).toBe(503);
      expect(down.body.code).toBe('document.scanner_unavailable');
      system.deps.documentScanner = { engine: 'no-verdict', scan: async () => 'unscanned' };
      expect((await upload(application, pdf('Geburtsurkunde'))).status).toBe(503);
    } finally {
      system.deps.documentScanner = scanner;
    }
    expect(await storedCount(application.id)).toBe(0);
  });

  test('uploads are accepted only while the case asks for documents', async () => {
    const application = await createCase(false);
    const early = await upload(application, pdf('zu früh'));
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('document.not_requested');
    expect(await storedCount(application.id)).toBe(0);
  });

  test('a per-case quota of documents and bytes', async () => {
    const application = await createCase();
    system.deps.settings.documentQuota = { count: 2, bytes: 1024 * 1024 };
    try {
      expect((await upload(application, pdf('eins'))).status).toBe(201);
      expect((await upload(application, pdf('zwei'))).status).toBe(201);
      const third = await upload(application, pdf('drei'));
      expect(third.status).toBe(413);
      expect(third.body.code).toBe('document.quota_exceeded');
      const other = await createCase();
      const big = await upload(other, Buffer.concat([pdf('groß'), Buffer.alloc(1024 * 1024)]));
      expect(big.status).toBe(413);
      expect(big.body.code).toBe('document.quota_exceeded');
    } finally {
      system.deps.settings.documentQuota = undefined;
    }
    expect(await storedCount(application.id)).toBe(2);
  });

  /**
   * Sends the headers and only the first 16 kB of a body of `declaredLength`, then waits for
   * the answer: a server that reads the whole body first never answers.
   */
  function sendFirstChunkOnly(headers: Record<string, string>, declaredLength: number) {
    return new Promise<{ status: number; bytesSent: number }>((resolve, reject) => {
      const url = new URL(`${system.baseUrl}/api/v1/status/naturalisation/documents?type=passport`);
      const request = http.request(
        { host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, method: 'POST', headers: { 'content-type': 'application/pdf', 'content-length': String(declaredLength), ...headers } },
        (response) => {
          clearTimeout(timer);
          resolve({ status: response.statusCode ?? 0, bytesSent: first.length });
          response.resume();
          request.destroy();
        },
      );
      const timer = setTimeout(() => {
        request.destroy();
        reject(new Error('no answer before the body was complete'));
      }, 5_000);
      request.on('error', () => undefined);
      const first = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(16 * 1024 - 9, 0x20)]);
      request.write(first);
    });
  }

  test('an unauthenticated upload is refused before its body is read', async () => {
    const application = await createCase();
    const wrongCode = await sendFirstChunkOnly({ 'x-reference': application.reference, 'x-access-code': 'AAAA-BBBB-CCCC' }, 9 * 1024 * 1024);
    expect(wrongCode).toEqual({ status: 404, bytesSent: 16 * 1024 });
    const twentyMegabytes = await sendFirstChunkOnly({ 'x-reference': application.reference, 'x-access-code': 'AAAA-BBBB-CCCC' }, 20 * 1024 * 1024);
    expect(twentyMegabytes.status).toBe(413);
    const noHeaders = await sendFirstChunkOnly({}, 9 * 1024 * 1024);
    expect(noHeaders.status).toBe(400);
    expect(await storedCount(application.id)).toBe(0);
  });
});
