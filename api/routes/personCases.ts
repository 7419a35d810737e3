import { z } from 'zod';
import { createAuditQueries } from '../../db/queries/audit';
import { createPersonCaseQueries } from '../../db/queries/personCases';
import { createPersonQueries } from '../../db/queries/persons';
import { finalStagesByCaseType, processes } from '../../processes';
import type { Role } from '../../security/roles';
import { AppError, assertThat } from '../errors';
import { defineRoute } from '../route';

const operation = 'register.person.cases';

/**
 * A person's open cases (any process) in the caller's authority, from the projections: what the
 * person page shows as "open processes". Each caller sees only the processes their roles work
 * in (admins all): an ABH clerk does not learn of a naturalisation application from here.
 */
export const personCaseRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/persons/:id/cases',
    operation,
    access: ['abh_clerk', 'ebh_clerk', 'admin'],
    summary: "A person's open cases of the processes the caller works in, nearest due first",
    tags: ['register'],
    request: { params: z.strictObject({ id: z.uuid({ message: 'must be a person id (UUID)' }) }), query: z.strictObject({}) },
    responses: {
      200: {
        description: 'The open cases',
        schema: z.object({
          items: z.array(z.object({
            id: z.uuid(), caseType: z.string(), reference: z.string().nullable(), stage: z.string(), waitingFor: z.string().nullable(), due: z.string().nullable(), flags: z.array(z.string()),
          })),
        }),
      },
      400: { description: 'Invalid id' },
      404: { description: "No such person in the caller's authority" },
    },
    handler: async ({ params }, deps, { principal }) => {
      const audit = createAuditQueries(deps.pool);
      const person = await createPersonQueries(deps.pool).findPersonByIdAndAuthority(params.id, principal.authorityId);
      if (!person) await audit.insertAuditEntry({ actor: principal.subject, action: operation, authorityId: principal.authorityId, outcome: 'refused', detail: { personId: params.id, reason: "no such person in the caller's authority" } });
      assertThat(person, new AppError('person.not_found', 404, `no person ${params.id}`));
      const caseTypes = processes
        .filter((process) => principal.roles.includes('admin') || (process.staffRoles ?? []).some((role: Role) => principal.roles.includes(role)))
        .map((process) => process.caseType);
      const rows = await createPersonCaseQueries(deps.pool, finalStagesByCaseType).listOpenCasesByPersonAndAuthority(params.id, principal.authorityId, caseTypes);
      await audit.insertAuditEntry({ actor: principal.subject, action: operation, authorityId: principal.authorityId, detail: { personId: params.id, count: rows.length } });
      return {
        status: 200,
        body: {
          items: rows.map((row) => ({
            id: row.case_id, caseType: row.case_type, reference: row.reference, stage: row.stage, waitingFor: row.waiting_for,
            due: row.next_due_at ? row.next_due_at.toISOString() : null, flags: row.flags,
          })),
        },
      };
    },
  }),
];
