import { startSystem } from '../support/system';

/**
 * Server errors an OpenAPI fuzzer found (every role, 12,252 requests), each with its request as
 * the fuzzer sent it: the answer is a 4xx with a clear message or a correct answer, never a 500,
 * and nothing stored changes. On the real parts (PostgreSQL, Temporal dev server, SMTP).
 */
describe('fuzzer findings: no 500 for well-formed but unknown or minimal input', () => {
  let system: Awaited<ReturnType<typeof startSystem>>;

  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(async () => {
    await system?.stop();
  });

  const count = async (table: string) => Number((await system.db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);

  test('a status lookup with reference EBH-0000-000000 and code 000000000: 404, no case stored', async () => {
    const cases = await count('naturalisation_applications');
    const response = await system.request('POST', '/api/v1/status/naturalisation', { accessCode: '000000000', reference: 'EBH-0000-000000' }, { authorization: null });
    expect([response.status, response.body.code]).toEqual([404, 'status.not_found']);
    expect(await count('naturalisation_applications')).toBe(cases);
  });

  test('a registration with the minimal applicant the schema accepts is registered (201)', async () => {
    const response = await system.request('POST', '/api/v1/naturalisation/applications', {
      applicant: { givenNames: 'A', familyName: 'B', dateOfBirth: '1990-01-01', email: 'a@b.de' },
    });
    expect(response.status).toBe(201);
    expect(response.body.applicant).toMatchObject({ givenNames: 'A', familyName: 'B', dateOfBirth: '1990-01-01', preferredLanguage: 'de' });
  });

  test('an upload for an unknown reference: 404 before the file is read, nothing stored', async () => {
    const documents = await count('applicant_documents');
    const response = await fetch(`${system.baseUrl}/api/v1/status/naturalisation/documents?type=passport`, {
      method: 'POST',
      headers: { 'content-type': 'application/pdf', 'x-reference': 'EBH-0000-000000', 'x-access-code': '000000000' },
      body: Buffer.from('%PDF-1.7\n%%EOF\n'),
    });
    const body = (await response.json()) as { code: string };
    expect([response.status, body.code]).toEqual([404, 'status.not_found']);
    expect(await count('applicant_documents')).toBe(documents);
  });
});
