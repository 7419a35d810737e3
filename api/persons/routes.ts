import { createAuditQueries } from '../../db/queries/audit';
import { createPersonQueries } from '../../db/queries/persons';
import type { Role } from '../../security/roles';
import { defineRoute } from '../route';
import { readContactConsents, recordContactConsent } from './contactConsentService';
import { personImportRoutes } from './importRoutes';
import {
  contactConsentBodySchema,
  contactConsentsViewSchema,
  correctPersonBodySchema,
  createPersonBodySchema,
  factBodySchema,
  factParamsSchema,
  historyQuerySchema,
  historyViewSchema,
  periodBodySchema,
  periodParamsSchema,
  personIdParamsSchema,
  personListQuerySchema,
  personListViewSchema,
  personRecordViewSchema,
  retractionBodySchema,
} from './schemas';
import {
  addFact,
  addResidencePeriod,
  correctFact,
  correctPerson,
  correctResidencePeriod,
  createPerson,
  decodePersonCursor,
  encodePersonCursor,
  readPersonRecord,
  retractFact,
  retractResidencePeriod,
} from './service';

const base = '/api/v1/persons';
const tags = ['register'];
/** Clerks of both authorities keep the register; admins read it; case managers and coordinators never see it. */
const writers: readonly Role[] = ['abh_clerk', 'ebh_clerk'];
const readers: readonly Role[] = ['abh_clerk', 'ebh_clerk', 'admin'];

const writeResponses = {
  200: { description: 'The person after the change, with the new version', schema: personRecordViewSchema },
  400: { description: 'Invalid input; each field named, nothing changed' },
  404: { description: 'No such person (or period, or fact) in the caller\'s authority' },
  409: { description: 'expectedVersion is stale: the person changed since it was read' },
  422: { description: 'The change breaks a rule of the register (overlapping periods, nothing to change)' },
} as const;

export const personRoutes = [
  ...personImportRoutes,
  defineRoute({
    method: 'post',
    path: base,
    operation: 'register.person.create',
    access: writers,
    summary: 'Register a person in the caller\'s authority',
    tags,
    request: { body: createPersonBodySchema },
    responses: {
      201: { description: 'Registered, at version 1', schema: personRecordViewSchema },
      400: { description: 'Invalid input; each field named' },
      409: { description: 'The file number belongs to another person of this authority' },
    },
    handler: async ({ body }, deps, { principal }) => {
      const record = await createPerson(deps, principal, body);
      return { status: 201, body: record, headers: { Location: `${base}/${record.person.id}` } };
    },
  }),
  defineRoute({
    method: 'get',
    path: base,
    operation: 'register.person.list',
    access: readers,
    summary: 'Find persons by family-name prefix, file number or date of birth (keyset-paginated)',
    tags,
    request: { query: personListQuerySchema },
    responses: { 200: { description: 'One page; `next` continues the listing (null on the last page)', schema: personListViewSchema }, 400: { description: 'Invalid query' } },
    handler: async ({ query }, deps, { principal }) => {
      const rows = await createPersonQueries(deps.pool).listPersonsByAuthority({
        authorityId: principal.authorityId,
        name: query.name,
        fileNumber: query.fileNumber,
        dateOfBirth: query.dateOfBirth,
        after: query.after === undefined ? undefined : decodePersonCursor(query.after),
        limit: query.limit + 1,
      });
      const items = rows.slice(0, query.limit);
      await createAuditQueries(deps.pool).insertAuditEntry({
        actor: principal.subject,
        action: 'register.person.list',
        authorityId: principal.authorityId,
        detail: { filter: { name: query.name !== undefined, fileNumber: query.fileNumber !== undefined, dateOfBirth: query.dateOfBirth !== undefined }, personIds: items.map((p) => p.id) },
      });
      return { status: 200, body: { items, next: rows.length > query.limit ? encodePersonCursor(items[items.length - 1]) : null } };
    },
  }),
  defineRoute({
    method: 'get',
    path: `${base}/:id`,
    operation: 'register.person.view',
    access: readers,
    summary: 'A person with the residence periods and facts in force',
    tags,
    request: { params: personIdParamsSchema },
    responses: { 200: { description: 'The person', schema: personRecordViewSchema }, 400: { description: 'Invalid id' }, 404: { description: 'No such person in the caller\'s authority' } },
    handler: async ({ params }, deps, { principal }) => ({ status: 200, body: await readPersonRecord(deps, principal, params.id) }),
  }),
  defineRoute({
    method: 'patch',
    path: `${base}/:id`,
    operation: 'register.person.correct',
    access: writers,
    summary: 'Correct a person\'s data (names, date of birth, nationalities, contact, language, file number); the old value stays in the history',
    tags,
    request: { params: personIdParamsSchema, body: correctPersonBodySchema },
    responses: writeResponses,
    handler: async ({ params, body }, deps, { principal }) => ({ status: 200, body: await correctPerson(deps, principal, params.id, body) }),
  }),
  defineRoute({
    method: 'get',
    path: `${base}/:id/history`,
    operation: 'register.person.history',
    access: readers,
    summary: 'Every change of the person, its periods and facts: who, when, from what source, before and after',
    tags,
    request: { params: personIdParamsSchema, query: historyQuerySchema },
    responses: { 200: { description: 'One page, oldest first', schema: historyViewSchema }, 400: { description: 'Invalid id or query' }, 404: { description: 'No such person in the caller\'s authority' } },
    handler: async ({ params, query }, deps, { principal }) => {
      await readPersonRecord(deps, principal, params.id, 'register.person.history');
      const rows = await createPersonQueries(deps.pool).listRevisionsByPerson({ personId: params.id, authorityId: principal.authorityId, afterId: query.after, limit: query.limit + 1 });
      const items = rows.slice(0, query.limit).map(({ personId: _p, ...revision }) => revision);
      return { status: 200, body: { personId: params.id, items, next: rows.length > query.limit ? items[items.length - 1].id : null } };
    },
  }),
  defineRoute({
    method: 'post',
    path: `${base}/:id/residence-periods`,
    operation: 'register.residence_period.add',
    access: writers,
    summary: 'Add a residence period (it must not overlap another in force)',
    tags,
    request: { params: personIdParamsSchema, body: periodBodySchema },
    responses: writeResponses,
    handler: async ({ params, body }, deps, { principal }) => ({ status: 200, body: await addResidencePeriod(deps, principal, params.id, body) }),
  }),
  defineRoute({
    method: 'put',
    path: `${base}/:id/residence-periods/:periodId`,
    operation: 'register.residence_period.correct',
    access: writers,
    summary: 'Correct a residence period; the old value stays in the history',
    tags,
    request: { params: periodParamsSchema, body: periodBodySchema },
    responses: writeResponses,
    handler: async ({ params, body }, deps, { principal }) => ({ status: 200, body: await correctResidencePeriod(deps, principal, params.id, params.periodId, body) }),
  }),
  defineRoute({
    method: 'post',
    path: `${base}/:id/residence-periods/:periodId/retraction`,
    operation: 'register.residence_period.retract',
    access: writers,
    summary: 'Retract a residence period recorded in error; it stays in the history',
    tags,
    request: { params: periodParamsSchema, body: retractionBodySchema },
    responses: writeResponses,
    handler: async ({ params, body }, deps, { principal }) => ({ status: 200, body: await retractResidencePeriod(deps, principal, params.id, params.periodId, body) }),
  }),
  defineRoute({
    method: 'post',
    path: `${base}/:id/facts`,
    operation: 'register.fact.add',
    access: writers,
    summary: 'Add a dated fact (language certificate, test, schooling, employment, benefits, conviction, family link, …)',
    tags,
    request: { params: personIdParamsSchema, body: factBodySchema },
    responses: writeResponses,
    handler: async ({ params, body }, deps, { principal }) => ({ status: 200, body: await addFact(deps, principal, params.id, body) }),
  }),
  defineRoute({
    method: 'put',
    path: `${base}/:id/facts/:factId`,
    operation: 'register.fact.correct',
    access: writers,
    summary: 'Correct a fact (same kind); the old value stays in the history',
    tags,
    request: { params: factParamsSchema, body: factBodySchema },
    responses: writeResponses,
    handler: async ({ params, body }, deps, { principal }) => ({ status: 200, body: await correctFact(deps, principal, params.id, params.factId, body) }),
  }),
  defineRoute({
    method: 'post',
    path: `${base}/:id/facts/:factId/retraction`,
    operation: 'register.fact.retract',
    access: writers,
    summary: 'Retract a fact recorded in error; it stays in the history',
    tags,
    request: { params: factParamsSchema, body: retractionBodySchema },
    responses: writeResponses,
    handler: async ({ params, body }, deps, { principal }) => ({ status: 200, body: await retractFact(deps, principal, params.id, params.factId, body) }),
  }),
  defineRoute({
    method: 'get',
    path: `${base}/:id/contact-consents`,
    operation: 'register.contact_consent.view',
    access: readers,
    summary: "The person's consent to be contacted: each purpose's state today and every dated entry",
    tags,
    request: { params: personIdParamsSchema },
    responses: { 200: { description: 'The consent', schema: contactConsentsViewSchema }, 400: { description: 'Invalid id' }, 404: { description: "No such person in the caller's authority" } },
    handler: async ({ params }, deps, { principal }) => ({ status: 200, body: await readContactConsents(deps, principal, params.id) }),
  }),
  defineRoute({
    method: 'post',
    path: `${base}/:id/contact-consents`,
    operation: 'register.contact_consent.record',
    access: writers,
    summary: 'Record that the person gave or withdrew the consent to be contacted for a purpose, from a day on (Art. 6 Abs. 1 Satz 1 lit. a, Art. 7 Abs. 3 DSGVO)',
    tags,
    request: { params: personIdParamsSchema, body: contactConsentBodySchema },
    responses: { ...writeResponses, 200: { description: "The person's consent after the change; the person's new version", schema: contactConsentsViewSchema }, 422: { description: 'A future day, a day before the last entry, or no change (withdrawn without consent, given twice)' } },
    handler: async ({ params, body }, deps, { principal }) => ({ status: 200, body: await recordContactConsent(deps, principal, params.id, body) }),
  }),
];

