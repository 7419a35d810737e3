import { z } from 'zod';
import { withTransaction } from '../../db/transaction';
import { createAuditQueries } from '../../db/queries/audit';
import { createStaffMailboxQueries, type StaffMailboxRow } from '../../db/queries/staffMailboxes';
import { isSingleEmailAddress } from '../../security/recipients';
import { AppError, assertThat } from '../errors';
import { defineRoute } from '../route';

/**
 * The staff directory of the caller's authority: one mailbox per team (the naturalisation team
 * `default`, `case_management`, `kim_coordinator`, any team named in the work queue). Staff notices
 * and team digests go there (activities/staffMailboxes.ts); `TEAM_MAILBOX` only where a team has
 * no entry. Admins only; every read and change is audited; an entry is exactly one address.
 */
const teamSchema = z.string().max(64).regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be 1 to 64 lower-case letters, digits, _ or - (e.g. "default", "case_management")');
const addressSchema = z
  .string()
  .max(254)
  .refine(isSingleEmailAddress, 'must be exactly one e-mail address (no list, no name, no spaces)');

const mailboxSchema = z.object({ team: z.string(), address: z.string(), updatedBy: z.string(), updatedAt: z.string() });
const toView = (row: StaffMailboxRow) => ({ team: row.team, address: row.address, updatedBy: row.updated_by, updatedAt: row.updated_at.toISOString() });
const base = '/api/v1/admin/mailboxes';
const tags = ['admin'];

export const staffMailboxRoutes = [
  defineRoute({
    method: 'get',
    path: base,
    operation: 'admin.mailboxes.list',
    access: ['admin'],
    summary: "The staff directory of the caller's authority: the mailbox of each team",
    tags,
    request: { query: z.strictObject({}) },
    responses: { 200: { description: 'The mailboxes', schema: z.object({ mailboxes: z.array(mailboxSchema) }) } },
    handler: async (_input, deps, { principal }) => {
      const rows = await createStaffMailboxQueries(deps.pool).listStaffMailboxesByAuthority(principal.authorityId);
      await createAuditQueries(deps.pool).insertAuditEntry({ actor: principal.subject, action: 'admin.mailboxes.list', authorityId: principal.authorityId });
      return { status: 200, body: { mailboxes: rows.map(toView) } };
    },
  }),
  defineRoute({
    method: 'put',
    path: `${base}/:team`,
    operation: 'admin.mailboxes.set',
    access: ['admin'],
    summary: "Set the mailbox of one team of the caller's authority (exactly one address): its staff notices and digest go there",
    tags,
    request: { params: z.strictObject({ team: teamSchema }), query: z.strictObject({}), body: z.strictObject({ address: addressSchema }) },
    responses: {
      200: { description: 'Set', schema: mailboxSchema },
      400: { description: 'Invalid team name or address; each bad field is named' },
    },
    handler: async ({ params, body }, deps, { principal }) => {
      const row = await withTransaction(deps.pool, async (client) => {
        const queries = createStaffMailboxQueries(client);
        const before = await queries.upsertStaffMailbox({ authorityId: principal.authorityId, team: params.team, address: body.address, updatedBy: principal.subject });
        await createAuditQueries(client).insertAuditEntry({
          actor: principal.subject,
          action: 'admin.mailboxes.set',
          authorityId: principal.authorityId,
          detail: { team: params.team, address: body.address, previous: before?.address ?? null },
        });
        return queries.findStaffMailboxByAuthorityAndTeam(principal.authorityId, params.team);
      });
      return { status: 200, body: toView(row!) };
    },
  }),
  defineRoute({
    method: 'delete',
    path: `${base}/:team`,
    operation: 'admin.mailboxes.remove',
    access: ['admin'],
    summary: "Remove a team's mailbox: its notices go to the configured fallback (TEAM_MAILBOX) again",
    tags,
    request: { params: z.strictObject({ team: teamSchema }), query: z.strictObject({}) },
    responses: {
      200: { description: 'Removed', schema: mailboxSchema },
      404: { description: "No mailbox for this team in the caller's authority" },
    },
    handler: async ({ params }, deps, { principal }) => {
      const removed = await withTransaction(deps.pool, async (client) => {
        const row = await createStaffMailboxQueries(client).deleteStaffMailbox(principal.authorityId, params.team);
        await createAuditQueries(client).insertAuditEntry({
          actor: principal.subject,
          action: 'admin.mailboxes.remove',
          authorityId: principal.authorityId,
          outcome: row ? 'allowed' : 'refused',
          detail: { team: params.team, ...(row ? { address: row.address } : { reason: 'no such mailbox' }) },
        });
        return row;
      });
      assertThat(removed, new AppError('mailbox.not_found', 404, `no mailbox for team ${params.team}`));
      return { status: 200, body: toView(removed) };
    },
  }),
];
