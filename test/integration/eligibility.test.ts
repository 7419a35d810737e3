import { randomUUID } from 'node:crypto';
import { createApplicationQueries } from '../../db/queries/applications';
import { createRetentionQueries } from '../../db/queries/retention';
import { toBerlinLocalDate } from '../../domain/calendar/berlinTime';
import { NATURALISATION_RULE_SET_VERSION, naturalisationRuleSetHistory } from '../../domain/naturalisation/eligibility';
import type { NaturalisationFacts } from '../../domain/naturalisation/facts';
import type { ResidenceHistory } from '../../domain/residenceHistory/statuses';
import { determineEarliestResidenceDate, determineRequiredResidenceYears } from '../../domain/naturalisation/residencePeriod';
import { startSystem, validApplicationBody } from '../support/system';

/**
 * Explained eligibility (§ 10 StAG) end to end: API → the pure rules → PostgreSQL, with the
 * caller's authority scoping every read and write, and the audit trail.
 */

const AS_OF = '2026-11-25';

/** The § 10 Abs. 1 StAG and § 11 StAG criteria every evaluation explains. */
const SECTION_10_CRITERIA = [
  'identity_and_nationality',
  'capacity_to_act',
  'residence_period',
  'declaration_basic_order',
  'historical_responsibility',
  'residence_title',
  'livelihood',
  'convictions',
  'german_language',
  'civic_knowledge',
  'no_multiple_marriage',
  'gender_equality',
  'exclusion_grounds',
];

/** The house format of a citation: `§ 10 Abs. 1 Satz 1 Nr. 3 StAG`, `§ 11 Satz 1 Nr. 3 Buchst. a StAG`. */
const STAG_CITATION = /^§ \d+[a-z]?(?: Abs\. \d+[a-z]?)?(?: Satz \d+)?(?: Nr\. \d+[a-z]?)?(?: Buchst\. [a-z])? StAG$/;

/** A complete, eligible person on AS_OF: 6½ years of permits (skilled worker, then settlement), B1, test passed, no record. */
function eligibleFacts(overrides: Partial<NaturalisationFacts> = {}): NaturalisationFacts {
  return {
    dateOfBirth: '1990-05-15',
    nationalities: ['TR'],
    identityClarified: 'yes',
    nationalityClarified: 'yes',
    capacity: { incapacitated: 'no', legallyRepresented: 'no' },
    residenceHistory: [
      { from: '2020-06-01', to: '2023-05-31', status: 'permit', permitBasis: '§ 18b AufenthG' },
      { from: '2023-06-01', status: 'settlement_permit', permitBasis: '§ 18c AufenthG' },
    ],
    livelihood: {
      receivesBenefits: 'no',
      responsibleForBenefits: 'no',
      employment: { employedFullTimeNow: 'yes', fullTimeMonthsInLast24: 24 },
    },
    language: { certifiedLevel: 'B1' },
    civicKnowledge: { testCorrectAnswers: 25 },
    declarations: { basicOrderAndLoyalty: 'yes', historicalResponsibility: 'yes' },
    criminalRecord: { sentences: [], pendingInvestigation: 'no' },
    conduct: { multipleMarriage: 'no', disregardsGenderEquality: 'no' },
    exclusionGrounds: { extremistActivity: 'no', declarationContentIncorrect: 'no', seriousExpulsionInterest: 'no' },
    applicationFiledOn: '2026-01-15',
    ...overrides,
  };
}

type CriterionBody = { id: string; status: string; basis: string; reason: { de: string; en: string } };

describe('explained eligibility checks (PostgreSQL, Temporal dev server)', () => {
  let system: Awaited<ReturnType<typeof startSystem>>;
  let caseId: string;

  const checksPath = (id: string) => `/api/v1/naturalisation/applications/${id}/eligibility-checks`;
  const statusOf = (criteria: CriterionBody[]) => Object.fromEntries(criteria.map((c) => [c.id, c.status]));

  async function countChecks(id: string): Promise<number> {
    const { rows } = await system.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM naturalisation_eligibility_checks WHERE case_id = $1', [id]);
    return rows[0].n;
  }
  async function auditRows(id: string, action: string) {
    const { rows } = await system.db.pool.query(
      'SELECT actor, action, authority_id, case_id, outcome, detail FROM audit_log WHERE case_id = $1 AND action = $2 ORDER BY id',
      [id, action],
    );
    return rows;
  }
  async function newCase(): Promise<string> {
    const created = await system.request('POST', '/api/v1/naturalisation/applications', validApplicationBody());
    expect(created.status).toBe(201);
    return created.body.id;
  }

  beforeAll(async () => {
    system = await startSystem();
    caseId = await newCase();
  });
  afterAll(async () => {
    // `db.drop()` ends the pool and drops the database WITH (FORCE) at once; `pool.end()` resolves
    // before idle clients have closed, so the server may kill them first and the pool emits an
    // 'error' nobody listens to. Listen for it during teardown only.
    system?.db.pool.on('error', () => undefined);
    await system?.stop();
  });

  test('a complete, eligible person: eligible, every criterion met, each citing its StAG paragraph; stored and audited', async () => {
    const facts = eligibleFacts();
    const response = await system.request('POST', checksPath(caseId), { facts, asOf: AS_OF });
    expect(response.status).toBe(201);
    const body = response.body;
    expect(body).toMatchObject({ caseId, ruleSetVersion: NATURALISATION_RULE_SET_VERSION, asOf: AS_OF, overall: 'eligible', earliestEligibleOn: AS_OF, createdBy: 'ebh_clerk-1' });
    expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
    const criteria: CriterionBody[] = body.criteria;
    expect(criteria.map((c) => c.id)).toEqual(SECTION_10_CRITERIA);
    for (const criterion of criteria) {
      expect(criterion.status).toBe('met');
      expect(criterion.basis).toMatch(STAG_CITATION);
      expect(criterion.reason.de.length).toBeGreaterThan(0);
      expect(criterion.reason.en.length).toBeGreaterThan(0);
    }
    const basisOf = Object.fromEntries(criteria.map((c) => [c.id, c.basis]));
    expect(basisOf).toMatchObject({
      residence_period: '§ 10 Abs. 1 Satz 1 StAG',
      declaration_basic_order: '§ 10 Abs. 1 Satz 1 Nr. 1 StAG',
      historical_responsibility: '§ 10 Abs. 1 Satz 1 Nr. 1a StAG',
      residence_title: '§ 10 Abs. 1 Satz 1 Nr. 2 StAG',
      livelihood: '§ 10 Abs. 1 Satz 1 Nr. 3 StAG',
      convictions: '§ 10 Abs. 1 Satz 1 Nr. 5 StAG',
    });

    const { rows } = await system.db.pool.query('SELECT * FROM naturalisation_eligibility_checks WHERE id = $1', [body.id]);
    expect(rows).toEqual([
      expect.objectContaining({
        case_id: caseId,
        authority_id: 'koeln',
        rule_set_version: NATURALISATION_RULE_SET_VERSION,
        as_of: AS_OF,
        overall: 'eligible',
        created_by: 'ebh_clerk-1',
        facts,
      }),
    ]);
    expect(rows[0].result).toMatchObject({ overall: 'eligible', ruleSetVersion: NATURALISATION_RULE_SET_VERSION, criteria: expect.any(Array) });
    // The audit trail names the check, not the facts.
    const audit = await auditRows(caseId, 'naturalisation.eligibility.check');
    expect(audit).toEqual([
      expect.objectContaining({
        actor: 'ebh_clerk-1',
        authority_id: 'koeln',
        outcome: 'allowed',
        detail: { checkId: body.id, ruleSetVersion: NATURALISATION_RULE_SET_VERSION, asOf: AS_OF, overall: 'eligible' },
      }),
    ]);
    expect(JSON.stringify(audit)).not.toContain('1990-05-15');
  });

  test('short of the five years only: not yet eligible, eligible from the exact day the period is complete', async () => {
    // A permit from 1 December 2021: five years end with 30 November 2026 (§ 187 Abs. 2 BGB,
    // § 188 Abs. 2 BGB), so the requirement is met from 1 December 2026.
    const history: ResidenceHistory = [{ from: '2021-12-01', status: 'permit', permitBasis: '§ 18b AufenthG' }];
    const facts = eligibleFacts({ residenceHistory: history });
    const boundary = determineEarliestResidenceDate(history, determineRequiredResidenceYears(AS_OF), AS_OF);
    expect(boundary).toBe('2026-12-01');

    const response = await system.request('POST', checksPath(caseId), { facts, asOf: AS_OF });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ overall: 'not_eligible', earliestEligibleOn: '2026-12-01' });
    const statuses = statusOf(response.body.criteria);
    expect(statuses.residence_period).toBe('not_met');
    expect(Object.entries(statuses).filter(([id]) => id !== 'residence_period').every(([, status]) => status === 'met')).toBe(true);
    const residence = response.body.criteria.find((c: CriterionBody) => c.id === 'residence_period');
    expect(residence.basis).toBe('§ 10 Abs. 1 Satz 1 StAG');
    expect(residence.reason.en).toContain('2026-12-01');

    // The day before the boundary: still waiting; on the boundary: eligible.
    const dayBefore = await system.request('POST', checksPath(caseId), { facts, asOf: '2026-11-30' });
    expect(dayBefore.body).toMatchObject({ overall: 'not_eligible', earliestEligibleOn: '2026-12-01' });
    const onTheDay = await system.request('POST', checksPath(caseId), { facts, asOf: '2026-12-01' });
    expect(onTheDay.body).toMatchObject({ overall: 'eligible', earliestEligibleOn: '2026-12-01' });
  });

  test('missing evidence: the criteria are unknown, and the outcome is incomplete', async () => {
    const facts = eligibleFacts({
      language: {},
      civicKnowledge: {},
      criminalRecord: { pendingInvestigation: 'unknown' },
      declarations: { basicOrderAndLoyalty: 'unknown', historicalResponsibility: 'yes' },
    });
    const response = await system.request('POST', checksPath(caseId), { facts, asOf: AS_OF });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ overall: 'incomplete', earliestEligibleOn: null });
    const statuses = statusOf(response.body.criteria);
    expect(statuses).toMatchObject({
      german_language: 'unknown',
      civic_knowledge: 'unknown',
      convictions: 'unknown',
      declaration_basic_order: 'unknown',
      residence_period: 'met',
      livelihood: 'met',
    });
    expect(Object.values(statuses)).not.toContain('not_met');
  });

  test('without asOf, the day is today in Germany (Europe/Berlin)', async () => {
    const before = toBerlinLocalDate(Date.now());
    const response = await system.request('POST', checksPath(caseId), { facts: eligibleFacts() });
    const after = toBerlinLocalDate(Date.now());
    expect(response.status).toBe(201);
    expect([before, after]).toContain(response.body.asOf);
  });

  test('the stored checks list newest first, each with its rule-set version and facts; the read is audited', async () => {
    const id = await newCase();
    const first = await system.request('POST', checksPath(id), { facts: eligibleFacts(), asOf: AS_OF });
    const second = await system.request('POST', checksPath(id), { facts: eligibleFacts({ language: {} }), asOf: '2026-11-26' });
    expect([first.status, second.status]).toEqual([201, 201]);

    const list = await system.request('GET', checksPath(id));
    expect(list.status).toBe(200);
    expect(list.body.checks.map((c: { id: string }) => c.id)).toEqual([second.body.id, first.body.id]);
    expect(list.body.checks[0]).toEqual({ ...second.body, facts: eligibleFacts({ language: {} }) });
    expect(list.body.checks[1]).toMatchObject({ ruleSetVersion: NATURALISATION_RULE_SET_VERSION, asOf: AS_OF, overall: 'eligible', facts: eligibleFacts() });
    expect(await auditRows(id, 'naturalisation.eligibility.list')).toEqual([
      expect.objectContaining({ actor: 'ebh_clerk-1', authority_id: 'koeln', outcome: 'allowed', detail: { count: 2 } }),
    ]);
    const limited = await system.request('GET', `${checksPath(id)}?limit=1`);
    expect(limited.body.checks.map((c: { id: string }) => c.id)).toEqual([second.body.id]);

    const empty = await system.request('GET', checksPath(await newCase()));
    expect(empty.status).toBe(200);
    expect(empty.body.checks).toEqual([]);
  });

  test('a day before the rule set is in force gets a 422 that says so, and nothing is stored', async () => {
    const before = await countChecks(caseId);
    const firstDay = naturalisationRuleSetHistory[0].validFrom;
    expect(firstDay).toBe('2025-10-30');
    const response = await system.request('POST', checksPath(caseId), { facts: eligibleFacts(), asOf: '2025-10-29' });
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body.code).toBe('eligibility.rule_set_not_in_force');
    expect(response.body.title).toContain('2025-10-29');
    expect(response.body.title).toContain('2025-10-30');
    // The first day of the rule set is evaluated.
    expect((await system.request('POST', checksPath(caseId), { facts: eligibleFacts(), asOf: firstDay })).status).toBe(201);

    const unborn = await system.request('POST', checksPath(caseId), { facts: eligibleFacts({ dateOfBirth: '2027-01-01' }), asOf: AS_OF });
    expect(unborn.status).toBe(422);
    expect(unborn.body.code).toBe('eligibility.as_of_before_birth');
    expect(await countChecks(caseId)).toBe(before + 1);
    expect((await auditRows(caseId, 'naturalisation.eligibility.check')).filter((row) => row.outcome === 'refused')).toEqual([
      expect.objectContaining({ detail: { reason: 'eligibility.rule_set_not_in_force', asOf: '2025-10-29' } }),
      expect.objectContaining({ detail: { reason: 'eligibility.as_of_before_birth', asOf: AS_OF } }),
    ]);
  });

  test('bad facts get a 400 naming each bad field, and nothing is stored or audited', async () => {
    const checksBefore = await countChecks(caseId);
    const auditBefore = (await auditRows(caseId, 'naturalisation.eligibility.check')).length;
    const facts = eligibleFacts();
    const response = await system.request('POST', checksPath(caseId), {
      facts: {
        ...facts,
        residenceHistory: [{ from: '2020-06-01', status: 'residence_permit' }, { from: '2023-02-30', status: 'permit' }],
        language: { certifiedLevel: 'B3' },
        civicKnowledge: { testCorrectAnswers: 34 },
        conduct: { multipleMarriage: 'no' },
        nickname: 'x',
      },
      asOf: '26.11.2026',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const paths: string[] = response.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'body.facts.residenceHistory.0.status',
        'body.facts.residenceHistory.1.from',
        'body.facts.language.certifiedLevel',
        'body.facts.civicKnowledge.testCorrectAnswers',
        'body.facts.conduct.disregardsGenderEquality',
        'body.facts',
        'body.asOf',
      ]),
    );
    expect(JSON.stringify(response.body.errors)).toMatch(/nickname/);

    // Overlapping periods and a period ending before it starts are named too.
    const overlapping = await system.request('POST', checksPath(caseId), {
      facts: {
        ...facts,
        residenceHistory: [
          { from: '2019-01-01', status: 'permit', permitBasis: '§ 18b AufenthG' },
          { from: '2022-01-01', to: '2021-01-01', status: 'settlement_permit' },
        ],
      },
    });
    expect(overlapping.status).toBe(400);
    expect(overlapping.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'body.facts.residenceHistory.1.from',
      'body.facts.residenceHistory.1.to',
    ]);

    // A spouse's facts are checked as strictly as the applicant's.
    const spouse = await system.request('POST', checksPath(caseId), {
      facts: { ...facts, household: { spouse: { relationship: 'wife', livingTogether: 'yes', appliesJointly: true, facts: { ...facts, nationalities: ['tr'] } } } },
    });
    expect(spouse.status).toBe(400);
    expect(spouse.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'body.facts.household.spouse.facts.nationalities.0',
      'body.facts.household.spouse.relationship',
    ]);

    expect(await countChecks(caseId)).toBe(checksBefore);
    expect(await auditRows(caseId, 'naturalisation.eligibility.check')).toHaveLength(auditBefore);

    // Without facts, the register is asked: this application has no person, so there is nothing to evaluate.
    const empty = await system.request('POST', checksPath(caseId), {});
    expect(empty.status).toBe(422);
    expect(empty.body.code).toBe('naturalisation.no_person');
    expect(await countChecks(caseId)).toBe(checksBefore);
  });

  test("another authority's clerk gets 404 for both routes, and each attempt is audited as refused", async () => {
    const before = await countChecks(caseId);
    const bonn = { authorization: `Bearer ${await system.tokenFor(['ebh_clerk'], 'bonn', 'bonn-clerk')}` };
    const check = await system.request('POST', checksPath(caseId), { facts: eligibleFacts(), asOf: AS_OF }, bonn);
    expect(check.status).toBe(404);
    expect(check.body.code).toBe('application.not_found');
    const list = await system.request('GET', checksPath(caseId), undefined, bonn);
    expect(list.status).toBe(404);
    expect(JSON.stringify(list.body)).not.toContain('1990-05-15');
    expect(await countChecks(caseId)).toBe(before);

    const { rows } = await system.db.pool.query(
      "SELECT action, authority_id, outcome, detail FROM audit_log WHERE case_id = $1 AND actor = 'bonn-clerk' ORDER BY id",
      [caseId],
    );
    expect(rows).toEqual([
      { action: 'naturalisation.eligibility.check', authority_id: 'bonn', outcome: 'refused', detail: { reason: "no such case in the caller's authority" } },
      { action: 'naturalisation.eligibility.list', authority_id: 'bonn', outcome: 'refused', detail: { reason: "no such case in the caller's authority" } },
    ]);

    // An unknown case is simply not found; only EBH clerks may call either route.
    expect((await system.request('GET', checksPath(randomUUID()))).status).toBe(404);
    const abh = { authorization: `Bearer ${await system.tokenFor(['abh_clerk'], 'koeln', 'abh-1')}` };
    expect((await system.request('POST', checksPath(caseId), { facts: eligibleFacts() }, abh)).status).toBe(403);
    expect((await system.request('GET', checksPath(caseId), undefined, abh)).status).toBe(403);
  });

  test('an anonymised case takes no new facts; deleting a case (retention) deletes its checks', async () => {
    const applications = createApplicationQueries(system.db.pool);
    const id = randomUUID();
    await applications.insertApplication({
      id,
      authority_id: 'koeln',
      reference: `EBH-TEST-${id.slice(0, 8)}`,
      given_names: 'Lea',
      family_name: 'Novak',
      date_of_birth: '1988-03-03',
      email: 'lea@example.org',
      preferred_language: 'de',
      filed_on: '2026-02-01',
    });
    expect((await system.request('POST', checksPath(id), { facts: eligibleFacts(), asOf: AS_OF })).status).toBe(201);
    expect(await countChecks(id)).toBe(1);

    const retention = createRetentionQueries(system.db.pool);
    await system.db.pool.query('UPDATE naturalisation_applications SET anonymised_at = now() WHERE id = $1', [id]);
    const refused = await system.request('POST', checksPath(id), { facts: eligibleFacts(), asOf: AS_OF });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('naturalisation.case_anonymised');

    await retention.deleteNaturalisationCase(id);
    expect(await countChecks(id)).toBe(0);
  });

  test('the OpenAPI document describes both routes, with the facts as one self-referring component', async () => {
    const doc = await system.request('GET', '/openapi.json', undefined, { authorization: null });
    const path = doc.body.paths['/api/v1/naturalisation/applications/{id}/eligibility-checks'];
    expect(Object.keys(path).sort()).toEqual(['get', 'post']);
    expect(path.post.security).toEqual([{ bearer: [] }]);
    const facts = doc.body.components.schemas.NaturalisationFacts;
    expect(facts.additionalProperties).toBe(false);
    expect(facts.properties.residenceHistory.items.properties.status.enum).toContain('fiktion');
    expect(JSON.stringify(facts.properties.household)).toContain('#/components/schemas/NaturalisationFacts');
  });
});
