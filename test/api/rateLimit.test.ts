import type { AuditEntry } from '../../db/queries/audit';
import { createRateLimiter, parseTrustProxy, toClientKey } from '../../api/rateLimit';
import { createRefusalAudit } from '../../api/refusalAudit';

describe('the rate limiter', () => {
  test('a fixed window of one minute per key', () => {
    let time = 1_000_000;
    const limiter = createRateLimiter(3, () => time);
    expect([1, 2, 3, 4].map(() => limiter.take('a'))).toEqual([0, 0, 0, 60]);
    expect(limiter.take('b')).toBe(0);
    time += 59_000;
    expect(limiter.retryAfter('a')).toBe(1);
    time += 1_000;
    expect(limiter.retryAfter('a')).toBe(0);
    expect(limiter.take('a')).toBe(0);
  });

  test('retryAfter does not count', () => {
    const limiter = createRateLimiter(2, () => 0);
    for (let i = 0; i < 10; i++) expect(limiter.retryAfter('a')).toBe(0);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 60]);
  });

  test('flooding the store with fresh keys never resets a blocked key', () => {
    const time = 0;
    const limiter = createRateLimiter(5, () => time, 100);
    for (let i = 0; i < 6; i++) limiter.take('attacker');
    expect(limiter.retryAfter('attacker')).toBeGreaterThan(0);
    for (let i = 0; i < 10_000; i++) limiter.take(`fresh-${i}`);
    expect(limiter.retryAfter('attacker')).toBeGreaterThan(0);
    expect(limiter.take('attacker')).toBeGreaterThan(0);
    // The store stays bounded: unblocked keys were evicted, least recently used first.
    expect(limiter.size).toBeLessThanOrEqual(100);
  });

  test('the least recently used unblocked key is evicted first', () => {
    const limiter = createRateLimiter(5, () => 0, 3);
    limiter.take('old');
    limiter.take('recent');
    limiter.take('third');
    limiter.take('old'); // touched: now the most recent
    limiter.take('new'); // evicts "recent"
    limiter.take('old');
    limiter.take('old');
    limiter.take('old');
    expect(limiter.take('old')).toBeGreaterThan(0); // its count survived: 6 > 5
  });
});

describe('client keys', () => {
  test.each([
    ['203.0.113.7', 'ip:203.0.113.7'],
    ['::ffff:203.0.113.7', 'ip:203.0.113.7'],
    ['2001:db8:1:2:aaaa:bbbb:cccc:dddd', 'ip6:2001:db8:1:2::/64'],
    ['2001:db8:1:2::1', 'ip6:2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:ffff::9', 'ip6:2001:db8:1:2::/64'],
    ['2001:db8::1', 'ip6:2001:db8:0:0::/64'],
    ['::1', 'ip6:0:0:0:0::/64'],
    ['fe80::1%eth0', 'ip6:fe80:0:0:0::/64'],
    [undefined, 'ip:unknown'],
  ])('%s → %s', (address, key) => {
    expect(toClientKey(address)).toBe(key);
  });

  test('two addresses of one /64 share a key; the next /64 does not', () => {
    expect(toClientKey('2001:db8:1:2::a')).toBe(toClientKey('2001:db8:1:2:ffff:ffff:ffff:ffff'));
    expect(toClientKey('2001:db8:1:2::a')).not.toBe(toClientKey('2001:db8:1:3::a'));
  });

  test.each([
    [undefined, false],
    ['', false],
    ['false', false],
    ['true', true],
    ['1', 1],
    ['loopback', ['loopback']],
    ['loopback, 10.0.0.0/8', ['loopback', '10.0.0.0/8']],
  ])('TRUST_PROXY=%s → %p', (value, expected) => {
    expect(parseTrustProxy(value)).toEqual(expected);
  });
});

describe('the refusal audit', () => {
  const refusal = (actor: string, reason: string): AuditEntry & { detail: { reason: string } } => ({
    actor, action: 'audit.list', outcome: 'refused', detail: { reason },
  });

  test('one row at once, the repeats of the minute as one counted row when the minute has ended', async () => {
    let time = 120_000;
    const written: AuditEntry[] = [];
    const audit = createRefusalAudit(async (entry) => void written.push(entry), { now: () => time });
    for (let i = 0; i < 50; i++) await audit.record(refusal('anonymous', 'no bearer token'), 'ip:203.0.113.7');
    expect(written).toEqual([expect.objectContaining({ actor: 'anonymous', detail: { reason: 'no bearer token', client: 'ip:203.0.113.7' } })]);
    await audit.record(refusal('anonymous', 'invalid token: signature'), 'ip:203.0.113.7');
    await audit.record(refusal('anonymous', 'no bearer token'), 'ip:198.51.100.1');
    expect(written).toHaveLength(3);
    time += 60_000;
    await audit.flush();
    expect(written.slice(3)).toEqual([
      expect.objectContaining({ detail: { reason: 'no bearer token', client: 'ip:203.0.113.7', repeated: 49, window: '1970-01-01T00:02:00.000Z' } }),
    ]);
    expect(audit.pending).toBe(0);
  });

  test('past maxBuckets groups, refusals are counted per action and reason', async () => {
    const written: AuditEntry[] = [];
    const audit = createRefusalAudit(async (entry) => void written.push(entry), { now: () => 0, maxBuckets: 10 });
    for (let i = 0; i < 1_000; i++) await audit.record(refusal('anonymous', 'no bearer token'), `ip:10.0.${i >> 8}.${i & 255}`);
    expect(written).toHaveLength(11);
    expect(written[10]).toMatchObject({ actor: '*', detail: { client: '*' } });
    await audit.flush(true);
    expect(written[11]).toMatchObject({ actor: '*', detail: { repeated: 989 } });
  });
});
