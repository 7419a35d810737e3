import { renderLetterPdf } from '../../activities/letters/pdfLetter';
import { createAuditQueries } from '../../db/queries/audit';
import { createPrintQueueQueries, type PrintLetterRow } from '../../db/queries/printQueue';
import { splitLetterText } from '../../domain/letters/printableLetter';
import { processes } from '../../processes';
import type { Principal } from '../../security/roles';
import type { ApiDependencies } from '../deps';
import { AppError, assertThat } from '../errors';

export interface PrintLetterView {
  id: string;
  caseId: string | null;
  caseType: string;
  kind: string;
  reference: string | null;
  subject: string;
  recipient: { name: string | null; postalAddress: PrintLetterRow['postal_address'] };
  createdAt: string;
  postedAt: string | null;
  postedBy: string | null;
}

/** The case types whose letters the caller may print: those of the processes their roles work (an admin: all). */
export function listPrintableCaseTypes(principal: Principal): string[] {
  if (principal.roles.includes('admin')) return processes.map((p) => p.caseType);
  return processes.filter((p) => (p.staffRoles ?? []).some((role) => principal.roles.includes(role))).map((p) => p.caseType);
}

function toView(row: PrintLetterRow): PrintLetterView {
  return {
    id: row.id,
    caseId: row.case_id,
    caseType: row.case_type,
    kind: row.kind,
    reference: row.reference,
    subject: row.subject,
    recipient: { name: row.family_name ? `${row.given_names} ${row.family_name}` : null, postalAddress: row.postal_address },
    createdAt: row.created_at.toISOString(),
    postedAt: row.posted_at?.toISOString() ?? null,
    postedBy: row.posted_by,
  };
}

const notFound = () => new AppError('letter.not_found', 404, "no such letter to print in the caller's authority");

/**
 * The print queue of the caller's authority: letters to persons without an e-mail address, not
 * yet posted, oldest first, keyset-paginated by id. Audited with the letters listed.
 */
export async function listLettersToPrint(deps: ApiDependencies, principal: Principal, query: { after?: string; limit: number }) {
  const rows = await createPrintQueueQueries(deps.pool).listUnpostedLettersByAuthority({
    authorityId: principal.authorityId,
    caseTypes: listPrintableCaseTypes(principal),
    afterId: query.after,
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  await createAuditQueries(deps.pool).insertAuditEntry({
    actor: principal.subject,
    action: 'letters.print_queue.list',
    authorityId: principal.authorityId,
    detail: { continued: query.after !== undefined, letterIds: page.map((r) => r.id), caseIds: page.map((r) => r.case_id) },
  });
  return { items: page.map(toView), next: rows.length > query.limit ? page[page.length - 1].id : null };
}

/** Reads a letter in the caller's scope; another authority's letter (or an unknown id) is a 404, audited as refused. */
async function findLetter(deps: ApiDependencies, principal: Principal, id: string, action: string) {
  const letter = await createPrintQueueQueries(deps.pool).findLetterByIdAndAuthority(id, principal.authorityId, listPrintableCaseTypes(principal));
  if (!letter) {
    await createAuditQueries(deps.pool).insertAuditEntry({ actor: principal.subject, action, authorityId: principal.authorityId, outcome: 'refused', detail: { letterId: id, reason: 'not_found' } });
  }
  assertThat(letter, notFound());
  return letter;
}

/**
 * The letter as a printable PDF (A4, address window, German first, then the person's
 * language), rendered from the outbox text. Audited.
 */
export async function renderLetterToPrint(deps: ApiDependencies, principal: Principal, id: string): Promise<{ pdf: Buffer; filename: string }> {
  const letter = await findLetter(deps, principal, id, 'letters.letter.download');
  const address = letter.postal_address;
  const pdf = await renderLetterPdf(splitLetterText(letter.subject, letter.body_text), {
    name: letter.family_name ? `${letter.given_names} ${letter.family_name}` : '',
    lines: address ? [address.street, `${address.postalCode} ${address.city}`, ...(address.country && address.country !== 'DE' ? [address.country] : [])] : [],
  });
  await createAuditQueries(deps.pool).insertAuditEntry({
    actor: principal.subject,
    action: 'letters.letter.download',
    authorityId: principal.authorityId,
    caseId: letter.case_id ?? undefined,
    detail: { letterId: id, kind: letter.kind },
  });
  return { pdf, filename: `${letter.reference ?? 'letter'}-${id}.pdf` };
}

/** Records that a printed letter was posted: it leaves the queue. Posting twice is a 409. Audited. */
export async function markLetterPosted(deps: ApiDependencies, principal: Principal, id: string): Promise<PrintLetterView> {
  const queries = createPrintQueueQueries(deps.pool);
  const caseTypes = listPrintableCaseTypes(principal);
  const posted = await queries.markLetterPostedByIdAndAuthority(id, principal.authorityId, caseTypes, principal.subject);
  if (!posted) {
    const letter = await findLetter(deps, principal, id, 'letters.letter.posted');
    throw new AppError('letter.already_posted', 409, `the letter was posted on ${letter.posted_at?.toISOString()} by ${letter.posted_by}`);
  }
  await createAuditQueries(deps.pool).insertAuditEntry({
    actor: principal.subject,
    action: 'letters.letter.posted',
    authorityId: principal.authorityId,
    caseId: posted.case_id ?? undefined,
    detail: { letterId: id, kind: posted.kind },
  });
  return toView(posted);
}
