import { naturalisationDocumentTypes } from '../../domain/naturalisation/completeness';
import { startSystem, validApplicationBody } from '../support/system';

/**
 * Input the API refuses with a 400 that says why and names the field, before anything reaches
 * the workflow or the database — on the real parts (PostgreSQL, Temporal dev server, SMTP).
 */
describe('input safety: refused with 400 and a field path, nothing changed', () => {
  let system: Awaited<ReturnType<typeof startSystem>>;
  let caseId: string;
  let casePath: string;

  beforeAll(async () => {
    system = await startSystem();
    const created = await system.request('POST', '/api/v1/naturalisation/applications', validApplicationBody());
    expect(created.status).toBe(201);
    caseId = created.body.id;
    casePath = `/api/v1/naturalisation/applications/${caseId}`;
    await waitForStage('completeness_check');
  });
  afterAll(async () => {
    await system?.stop();
  });

  async function waitForStage(stage: string) {
    for (let i = 0; i < 100; i++) {
      const view = await system.request('GET', casePath);
      if (view.body.stage === stage) return view.body;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`stage ${stage} not reached`);
  }

  describe('document types', () => {
    const accepted = [...naturalisationDocumentTypes];

    test('a type that is not one of the checklist (b1_certificate) is refused with a message listing every accepted type', async () => {
      const before = await system.request('GET', casePath);
      const response = await system.request('POST', `${casePath}/completeness-check`, {
        checklist: [{ type: 'passport', status: 'present' }, { type: 'b1_certificate', status: 'present' }],
        expectedVersion: before.body.version,
      });
      expect(response.status).toBe(400);
      expect(response.body.errors).toHaveLength(1);
      const [issue] = response.body.errors;
      expect(issue.path).toBe('body.checklist.1.type');
      for (const type of accepted) expect(issue.message).toContain(type);
      expect(issue.message).toContain('"language_certificate"');
      expect((await system.request('GET', casePath)).body).toEqual(before.body);
    });

    test('the upload names the accepted types too, and "other"', async () => {
      const response = await fetch(`${system.baseUrl}/api/v1/status/naturalisation/documents?type=b1_certificate`, {
        method: 'POST',
        headers: { 'content-type': 'application/pdf', 'x-reference': 'EBH-2026-ABCDEFGHJK', 'x-access-code': 'AAAA-BBBB-CCCC' },
        body: Buffer.from('%PDF-1.7\n%%EOF\n'),
      });
      const body = (await response.json()) as { errors: { path: string; message: string }[] };
      expect(response.status).toBe(400);
      expect(body.errors.map((e) => e.path)).toEqual(['query.type']);
      for (const type of [...accepted, 'other']) expect(body.errors[0].message).toContain(type);
    });

    test('every accepted type is taken, and the check moves the case on', async () => {
      const before = await system.request('GET', casePath);
      const response = await system.request('POST', `${casePath}/completeness-check`, {
        checklist: accepted.map((type) => ({ type, status: 'present', expires: false })),
        expectedVersion: before.body.version,
      });
      expect(response.status).toBe(200);
      expect(response.body.stage).toBe('inquiries');
      expect(response.body.details.checklist.map((item: { type: string }) => item.type)).toEqual(accepted);
    });
  });
});
