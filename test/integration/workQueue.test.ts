import { randomUUID } from 'node:crypto';
import { validApplicationBody } from '../support/system';
import { startBacklogSystem, waitUntil } from '../support/backlogImport';

interface SeededCase {
  id: string;
  authority: string;
  reference: string;
  team: string;
  stage: string;
  waitingFor: string | null;
  flags: string[];
  assignee: string | null;
  filedOn: string;
  /** As written into PostgreSQL, with microseconds. */
  nextDueAt: string | null;
  suspended: boolean;
}

/**
 * 240 cases of two authorities, with many equal filing dates and due instants (so the case id
 * decides the order), due instants that differ only in their microseconds, and cases without a
 * due date (listed last).
 */
function seedCases(): SeededCase[] {
  return Array.from({ length: 240 }, (_, i) => {
    const stage = i % 5 === 0 ? 'received' : i % 7 === 0 ? 'decided' : 'in_progress';
    const day = String(10 + (i % 11)).padStart(2, '0');
    return {
      id: randomUUID(),
      authority: i < 220 ? 'koeln' : 'bonn',
      reference: `EBH-TEST-${String(i).padStart(4, '0')}`,
      team: ['team-a', 'team-b', 'team-c'][i % 3],
      stage,
      waitingFor: stage === 'decided' ? null : i % 4 === 0 ? 'applicant' : 'authority',
      flags: i % 3 === 0 ? ['inaction_warning_sent', 'lawsuit_possible'] : i % 3 === 1 ? ['inaction_warning_sent'] : [],
      assignee: i % 4 === 1 ? 'clerk-x' : i % 4 === 2 ? 'clerk-y' : null,
      filedOn: `2026-05-${String(1 + (i % 17)).padStart(2, '0')}`,
      nextDueAt: stage === 'decided' || i % 6 === 0 ? null : `2026-08-${day}T08:00:00.00000${i % 3}Z`,
      suspended: i % 13 === 0,
    };
  });
}

type Filter = { team?: string; stage?: string; waitingFor?: string; assignee?: string; flag?: string; sort: 'age' | 'due' };

/** What the queue must list, in order: the filter applied, then key ascending (none last), then case id. */
function expectedIds(cases: SeededCase[], authority: string, filter: Filter): string[] {
  const key = (c: SeededCase) => (filter.sort === 'age' ? c.filedOn : c.nextDueAt);
  return cases
    .filter((c) => c.authority === authority)
    .filter((c) => (filter.team === undefined || c.team === filter.team) && (filter.stage === undefined || c.stage === filter.stage))
    .filter((c) => (filter.waitingFor === undefined || c.waitingFor === filter.waitingFor) && (filter.assignee === undefined || c.assignee === filter.assignee))
    .filter((c) => filter.flag === undefined || c.flags.includes(filter.flag))
    .sort((a, b) => {
      const [ka, kb] = [key(a), key(b)];
      if (ka !== kb) return ka === null ? 1 : kb === null ? -1 : ka < kb ? -1 : 1;
      return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    })
    .map((c) => c.id);
}

describe('the naturalisation work queue (GET /api/v1/naturalisation/queue)', () => {
  let backlog: Awaited<ReturnType<typeof startBacklogSystem>>;
  const cases = seedCases();
  const clock = () => new Date('2026-06-15T10:00:00Z');

  beforeAll(async () => {
    backlog = await startBacklogSystem({ importWorker: false, clock });
    const pool = backlog.system.db.pool;
    for (const c of cases) {
      await pool.query(
        `INSERT INTO naturalisation_applications (id, authority_id, reference, given_names, family_name, date_of_birth, email, preferred_language, filed_on)
         VALUES ($1, $2, $3, 'Geheimer Vorname', 'Geheimname', '1980-02-03', 'geheim@example.org', 'de', $4)`,
        [c.id, c.authority, c.reference, c.filedOn],
      );
      await pool.query(
        `INSERT INTO case_projections (case_id, case_type, authority_id, workflow_id, version, stage, waiting_for, flags, deadlines, team, assignee, filed_on, next_due_at, suspended)
         VALUES ($1, 'naturalisation', $2, $3, 1, $4, $5, $6, '{}', $7, $8, $9, $10, $11)`,
        [c.id, c.authority, `naturalisation/${c.id}`, c.stage, c.waitingFor, JSON.stringify(c.flags), c.team, c.assignee, c.filedOn, c.nextDueAt, c.suspended],
      );
    }
  });
  afterAll(async () => {
    await backlog?.stop();
  });

  async function listAll(query: Record<string, string>, limit: number, token?: string) {
    const ids: string[] = [];
    const items: { id: string; reference: string; filedOn: string }[] = [];
    const pages: number[] = [];
    let after: string | null = null;
    for (let page = 0; page < 100; page++) {
      const params = new URLSearchParams({ ...query, limit: String(limit), ...(after ? { after } : {}) });
      const response = await backlog.request('GET', `/api/v1/naturalisation/queue?${params}`, { token });
      expect(response.status).toBe(200);
      ids.push(...response.body.items.map((item: { id: string }) => item.id));
      items.push(...response.body.items);
      pages.push(response.body.items.length);
      after = response.body.next;
      if (after === null) return { ids, items, pages };
      expect(after).toMatch(/^[A-Za-z0-9_-]+$/);
    }
    throw new Error('the listing does not end');
  }

  const filters: Filter[] = [
    { sort: 'age' },
    { sort: 'due' },
    { team: 'team-a', sort: 'age' },
    { team: 'team-a', sort: 'due' },
    { stage: 'received', sort: 'age' },
    { team: 'team-b', stage: 'in_progress', sort: 'due' },
    { stage: 'decided', sort: 'due' },
    { assignee: 'clerk-x', sort: 'due' },
    { assignee: 'clerk-y', sort: 'age' },
    { flag: 'lawsuit_possible', sort: 'age' },
    { flag: 'inaction_warning_sent', team: 'team-c', sort: 'due' },
    { waitingFor: 'applicant', sort: 'due' },
    { team: 'nobody', sort: 'age' },
  ];

  test.each(filters.map((filter) => [JSON.stringify(filter), filter] as const))(
    '%s: page by page (7 a page), every matching case exactly once, in order, no gaps',
    async (_name, filter) => {
      const expected = expectedIds(cases, 'koeln', filter);
      const { ids, pages } = await listAll(filter as Record<string, string>, 7);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(expected);
      expect(pages.slice(0, -1).every((n) => n === 7)).toBe(true);
      expect(pages[pages.length - 1]).toBeLessThanOrEqual(7);
    },
  );

  test('the first page of 200 equals the first 200 of the listing; the next page continues right after it', async () => {
    const expected = expectedIds(cases, 'koeln', { sort: 'due' });
    const first = await backlog.request('GET', '/api/v1/naturalisation/queue?sort=due&limit=200');
    expect(first.body.items.map((i: { id: string }) => i.id)).toEqual(expected.slice(0, 200));
    const second = await backlog.request('GET', `/api/v1/naturalisation/queue?sort=due&limit=200&after=${first.body.next}`);
    expect(second.body.items.map((i: { id: string }) => i.id)).toEqual(expected.slice(200));
    expect(second.body.next).toBeNull();
  });

  test('items carry the queue fields, the age against the clock, and no personal data but the reference', async () => {
    const response = await backlog.request('GET', '/api/v1/naturalisation/queue?sort=age&limit=200');
    const seeded = cases.find((c) => c.id === response.body.items[0].id)!;
    expect(response.body.items[0]).toEqual({
      id: seeded.id,
      reference: seeded.reference,
      stage: seeded.stage,
      waitingFor: seeded.waitingFor,
      filedOn: seeded.filedOn,
      ageDays: 45, // 2026-05-01 → 2026-06-15
      nextDueAt: seeded.nextDueAt === null ? null : new Date(seeded.nextDueAt).toISOString(),
      assignee: seeded.assignee,
      team: seeded.team,
      flags: seeded.flags,
      suspended: seeded.suspended,
    });
    const text = JSON.stringify(response.body);
    for (const personal of ['Geheim', 'geheim@example.org', '1980-02-03']) expect(text).not.toContain(personal);
  });

  test("another authority's cases are never listed, whatever the filter or cursor", async () => {
    const bonn = await backlog.system.tokenFor(['ebh_clerk'], 'bonn', 'bonn-clerk');
    const bonnIds = new Set(cases.filter((c) => c.authority === 'bonn').map((c) => c.id));
    const listedByBonn = await listAll({ sort: 'due' }, 50, bonn);
    expect(new Set(listedByBonn.ids)).toEqual(bonnIds);
    for (const filter of filters) {
      const { ids } = await listAll(filter as Record<string, string>, 100);
      expect(ids.filter((id) => bonnIds.has(id))).toEqual([]);
    }
    // A cursor pointing at one of bonn's cases is only a position: koeln still sees only koeln's.
    const bonnCase = cases.find((c) => c.authority === 'bonn' && c.nextDueAt === null)!;
    const cursor = Buffer.from(JSON.stringify({ v: 1, s: 'due', k: null, id: bonnCase.id })).toString('base64url');
    const page = await backlog.request('GET', `/api/v1/naturalisation/queue?sort=due&limit=200&after=${cursor}`);
    expect(page.status).toBe(200);
    expect(page.body.items.every((i: { id: string }) => !bonnIds.has(i.id))).toBe(true);
  });

  test('a case inserted behind the cursor while paging is neither listed twice nor makes the listing skip one', async () => {
    const expected = expectedIds(cases, 'koeln', { sort: 'age' });
    const first = await backlog.request('GET', '/api/v1/naturalisation/queue?sort=age&limit=50');
    const late = { id: randomUUID(), filedOn: '2026-05-01' }; // before the cursor
    await backlog.system.db.pool.query(
      `INSERT INTO naturalisation_applications (id, authority_id, reference, given_names, family_name, date_of_birth, email, preferred_language, filed_on)
       VALUES ($1, 'koeln', 'EBH-TEST-LATE', 'X', 'Y', '1980-01-01', 'x@example.org', 'de', $2)`,
      [late.id, late.filedOn],
    );
    await backlog.system.db.pool.query(
      `INSERT INTO case_projections (case_id, case_type, authority_id, workflow_id, version, stage, team, filed_on)
       VALUES ($1, 'naturalisation', 'koeln', $2, 1, 'received', 'team-z', $3)`,
      [late.id, `naturalisation/${late.id}`, late.filedOn],
    );
    try {
      const ids = first.body.items.map((i: { id: string }) => i.id);
      let after = first.body.next;
      while (after) {
        const page = await backlog.request('GET', `/api/v1/naturalisation/queue?sort=age&limit=50&after=${after}`);
        ids.push(...page.body.items.map((i: { id: string }) => i.id));
        after = page.body.next;
      }
      const withoutLate = ids.filter((id: string) => id !== late.id);
      expect(withoutLate).toEqual(expected);
    } finally {
      await backlog.system.db.pool.query('DELETE FROM case_projections WHERE case_id = $1', [late.id]);
      await backlog.system.db.pool.query('DELETE FROM naturalisation_applications WHERE id = $1', [late.id]);
    }
  });

  test.each([
    ['an unknown parameter', 'colour=red', ['query']],
    ['a limit out of range', 'limit=0', ['query.limit']],
    ['a limit over 200', 'limit=201', ['query.limit']],
    ['an unknown sort', 'sort=fastest', ['query.sort']],
    ['an unknown stage and flag', 'stage=archived&flag=vip', ['query.stage', 'query.flag']],
    ['an unknown party', 'waitingFor=court', ['query.waitingFor']],
    ['a cursor that is not one', 'after=!!!', ['query.after']],
    ['a well-formed but forged cursor', `after=${Buffer.from('{"v":1,"s":"age"}').toString('base64url')}`, ['query.after']],
    ['a cursor of the other sort', `sort=due&after=${Buffer.from(JSON.stringify({ v: 1, s: 'age', k: '2026-05-01', id: randomUUID() })).toString('base64url')}`, ['query.after']],
    ['an empty team', 'team=', ['query.team']],
  ])('%s is refused with 400 naming %j', async (_name, query, paths) => {
    const response = await backlog.request('GET', `/api/v1/naturalisation/queue?${query}`);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(response.body.code).toBe('request.invalid');
    expect(response.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([...paths].sort());
  });

  test('only EBH clerks list the queue; each listing is audited with its filter', async () => {
    const admin = await backlog.system.tokenFor(['admin'], 'koeln', 'queue-admin');
    expect((await backlog.request('GET', '/api/v1/naturalisation/queue', { token: admin })).status).toBe(403);
    expect((await backlog.request('GET', '/api/v1/naturalisation/queue', { token: null })).status).toBe(401);
    const clerk = await backlog.system.tokenFor(['ebh_clerk'], 'koeln', 'queue-auditor');
    await backlog.request('GET', '/api/v1/naturalisation/queue?team=team-a&sort=due&limit=3', { token: clerk });
    const { rows } = await backlog.system.db.pool.query("SELECT authority_id, outcome, detail FROM audit_log WHERE actor = 'queue-auditor'");
    expect(rows).toEqual([
      { authority_id: 'koeln', outcome: 'allowed', detail: { filter: { team: 'team-a', sort: 'due', limit: 3 }, continued: false, count: 3 } },
    ]);
  });

  test('a case registered through the API is listed once its workflow has projected it', async () => {
    const created = await backlog.system.request('POST', '/api/v1/naturalisation/applications', validApplicationBody());
    expect(created.status).toBe(201);
    let listed: { id: string; reference: string; filedOn: string } | undefined;
    await waitUntil(async () => {
      listed = (await listAll({ sort: 'age' }, 200)).items.find((item) => item.id === created.body.id);
      return listed !== undefined;
    }, 60_000, 'the new case in the queue');
    expect(listed).toMatchObject({ reference: created.body.reference, filedOn: created.body.filedOn });
  });
});
