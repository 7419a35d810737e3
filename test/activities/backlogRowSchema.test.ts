import { createBacklogRowSchema } from '../../activities/backlogImport';

/**
 * A backlog row's reference is stored in capitals, because the applicant's status lookup
 * (`api/naturalisation/applicantAccess.ts`) reads the reference an applicant types in capitals:
 * a reference imported in lower case must still open its case.
 */
describe('backlog row reference', () => {
  const row = (reference: string) => ({
    reference,
    given_names: 'Lina',
    family_name: 'Berger',
    date_of_birth: '1988-03-14',
    email: 'lina@example.org',
    preferred_language: 'de',
    filed_on: '2026-10-01',
  });

  test.each([
    ['abh-2024/17', 'ABH-2024/17'],
    ['  Ebh.2023_9 ', 'EBH.2023_9'],
    ['ABH-1', 'ABH-1'],
  ])('%j is stored as %j', (typed, stored) => {
    const parsed = createBacklogRowSchema('2026-11-26').safeParse(row(typed));
    expect(parsed.success && parsed.data.reference).toBe(stored);
  });

  test('a reference with other characters is refused with its field path', () => {
    const parsed = createBacklogRowSchema('2026-11-26').safeParse(row('abh 2024'));
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual(['reference']);
  });
});
