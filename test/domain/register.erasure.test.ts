import { determineErasureObstacles, type ErasureCase } from '../../domain/register/erasure';

const closedCase = (overrides: Partial<ErasureCase> = {}): ErasureCase => ({
  caseId: 'c1', caseType: 'naturalisation', finished: true, naturalisationApproved: false, retainedUntil: '2026-12-31', ...overrides,
});

describe('Art. 17 Abs. 3 Buchst. b DSGVO: what keeps a person from being erased', () => {
  test.each([
    ['no cases at all', [], []],
    ['an open case', [closedCase({ finished: false, retainedUntil: null })], ['open_case']],
    ['a refused case within its retention period (last day)', [closedCase({ retainedUntil: '2026-11-26' })], ['retention_running']],
    ['a refused case the day after its retention period', [closedCase({ retainedUntil: '2026-11-25' })], []],
    ['an approved naturalisation, however old', [closedCase({ naturalisationApproved: true, retainedUntil: '2000-01-01' })], ['naturalisation_evidence']],
    ['an open case beside an expired one', [closedCase({ caseId: 'c2', retainedUntil: '2020-01-01' }), closedCase({ finished: false, retainedUntil: null })], ['open_case']],
  ] as const)('%s', (_name, cases, expected) => {
    const obstacles = determineErasureObstacles(cases as readonly ErasureCase[], '2026-11-26');
    expect(obstacles.map((o) => o.code)).toEqual(expected);
    for (const o of obstacles) {
      expect(o.basis).toBe('Art. 17 Abs. 3 Buchst. b DSGVO');
      expect(o.reason.de.length).toBeGreaterThan(10);
      expect(o.reason.en.length).toBeGreaterThan(10);
    }
  });
});
