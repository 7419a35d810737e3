import { createRateLimiter } from '../../api/rateLimit';
import type { VerifyToken } from '../../security/tokens';
import { startApiOnly } from '../support/api';

describe('rate limits before token verification', () => {
  let api: Awaited<ReturnType<typeof startApiOnly>>;
  let verifications = 0;
  beforeAll(async () => {
    api = await startApiOnly({ settings: { inactionWarningLeadTimesMs: [], trustProxy: ['loopback'] } });
    const verify = api.deps.verifyToken;
    api.deps.verifyToken = ((token: string) => {
      verifications += 1;
      return verify(token);
    }) as VerifyToken;
  });
  afterAll(async () => {
    await api?.stop();
  });
  beforeEach(() => {
    api.deps.rateLimiter = createRateLimiter(5);
    verifications = 0;
  });

  const refusedRows = async (since: number) =>
    (await api.db.pool.query<{ actor: string; detail: { reason: string; client: string } }>(
      "SELECT actor, detail FROM audit_log WHERE outcome = 'refused' AND id > $1 ORDER BY id", [since],
    )).rows;
  const lastId = async () => Number((await api.db.pool.query('SELECT coalesce(max(id), 0) AS id FROM audit_log')).rows[0].id);

  test('invalid tokens from one client are limited; once blocked, tokens are no longer verified; the audit trail gets two rows, not 30', async () => {
    const since = await lastId();
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const response = await api.request('GET', '/api/v1/audit', { authorization: `Bearer forged.${i}.token`, 'x-forwarded-for': '203.0.113.7' });
      statuses.push(response.status);
      if (response.status === 429) expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(statuses).toEqual([...Array(5).fill(401), ...Array(25).fill(429)]);
    expect(verifications).toBe(5);
    const rows = await refusedRows(since);
    expect(rows.map((r) => [r.detail.reason.replace(/:.*/, ''), r.detail.client])).toEqual([
      ['invalid token', 'ip:203.0.113.7'],
      ['rate limit', 'ip:203.0.113.7'],
    ]);
  });

  test('requests without a token count for the client too', async () => {
    const statuses = [];
    for (let i = 0; i < 7; i++) statuses.push((await api.request('GET', '/api/v1/audit', { 'x-forwarded-for': '198.51.100.20' })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
  });

  test('behind a trusted proxy, each forwarded client has its own bucket; IPv6 clients by /64', async () => {
    for (let i = 0; i < 5; i++) await api.request('GET', '/api/v1/audit', { 'x-forwarded-for': '2001:db8:1:2::a' });
    expect((await api.request('GET', '/api/v1/audit', { 'x-forwarded-for': '2001:db8:1:2::a' })).status).toBe(429);
    expect((await api.request('GET', '/api/v1/audit', { 'x-forwarded-for': '2001:db8:1:2:ffff::b' })).status).toBe(429);
    expect((await api.request('GET', '/api/v1/audit', { 'x-forwarded-for': '2001:db8:1:3::a' })).status).toBe(401);
    expect((await api.request('GET', '/api/v1/audit', { 'x-forwarded-for': '192.0.2.1' })).status).toBe(401);
  });

  test('a valid token is limited by its subject, not by the address', async () => {
    const token = await api.tokenFor(['admin'], 'koeln', 'busy-admin');
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await api.request('GET', '/api/v1/audit?limit=1', { authorization: `Bearer ${token}`, 'x-forwarded-for': '192.0.2.50' })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const other = await api.tokenFor(['admin'], 'koeln', 'calm-admin');
    expect((await api.request('GET', '/api/v1/audit?limit=1', { authorization: `Bearer ${other}`, 'x-forwarded-for': '192.0.2.50' })).status).toBe(200);
  });
});

describe('without TRUST_PROXY', () => {
  test('X-Forwarded-For is ignored: every request counts for the socket address', async () => {
    const api = await startApiOnly({ rateLimiter: createRateLimiter(3) });
    try {
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await api.request('GET', '/api/v1/audit', { 'x-forwarded-for': `192.0.2.${i}` })).status);
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await api.stop();
    }
  });
});
