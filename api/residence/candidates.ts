import { createAuditQueries } from '../../db/queries/audit';
import { loadPersonRecordsOf } from '../../db/queries/personRecords';
import { createPersonQueries } from '../../db/queries/persons';
import { toBerlinLocalDate } from '../../domain/calendar/berlinTime';
import { deriveResidenceCheckFacts } from '../../domain/register/residenceCheckFacts';
import { determineCandidateWindow, type CandidateRuleWindow } from '../../domain/residence/candidateWindow';
import type { Principal } from '../../security/roles';
import { decodePersonCursor, encodePersonCursor } from '../persons/service';
import type { ApiDependencies } from '../deps';

export interface Candidate {
  personId: string;
  fileNumber: string;
  givenNames: string;
  familyName: string;
  dateOfBirth: string;
  rules: CandidateRuleWindow[];
}

/** Persons read per batch while looking for candidates; a page scans at most `maxScanned` persons. */
const batchSize = 100;
const maxScanned = 2_000;

/**
 * One page of the persons of the caller's authority who meet § 25a AufenthG or § 25b AufenthG
 * now or within `horizonMonths` (`determineCandidateWindow`), with the reason per title.
 * Keyset-paginated over the register's order (family name, given names, id): a page ends after
 * `limit` candidates or after `maxScanned` persons read, and `next` continues after the last
 * person read — so a page never costs more than a bounded scan, even where candidates are rare.
 */
export async function listResidenceCandidates(
  deps: ApiDependencies,
  principal: Principal,
  query: { horizonMonths: number; after?: string; limit: number },
  audit = true,
): Promise<{ items: Candidate[]; next: string | null }> {
  const asOf = toBerlinLocalDate(deps.clock().getTime());
  const persons = createPersonQueries(deps.pool);
  let after = query.after ? decodePersonCursor(query.after) : undefined;
  const items: Candidate[] = [];
  let scanned = 0;
  let exhausted = false;
  while (items.length < query.limit && scanned < maxScanned) {
    const requested = Math.min(batchSize, maxScanned - scanned);
    const batch = await persons.listPersonsByAuthority({ authorityId: principal.authorityId, after, limit: requested });
    // The batch's periods and facts in one query each (not per person).
    const records = await loadPersonRecordsOf(deps.pool, batch);
    let read = 0;
    for (const record of records) {
      const person = record.person;
      read++;
      scanned++;
      after = { familyName: person.familyName, givenNames: person.givenNames, id: person.id };
      const window = determineCandidateWindow(deriveResidenceCheckFacts(record, asOf), asOf, query.horizonMonths);
      if (window.candidate) {
        items.push({
          personId: person.id,
          fileNumber: person.fileNumber,
          givenNames: person.givenNames,
          familyName: person.familyName,
          dateOfBirth: person.dateOfBirth,
          rules: [...window.rules],
        });
        if (items.length === query.limit) break;
      }
    }
    // The register has no more persons after this batch, and every one of them was read.
    if (read === batch.length && batch.length < requested) {
      exhausted = true;
      break;
    }
  }
  if (audit) {
    await createAuditQueries(deps.pool).insertAuditEntry({
      actor: principal.subject,
      action: 'residence.candidates.list',
      authorityId: principal.authorityId,
      detail: { horizonMonths: query.horizonMonths, continued: query.after !== undefined, count: items.length, personIds: items.map((c) => c.personId) },
    });
  }
  const next = !exhausted && after ? encodePersonCursor({ familyName: after.familyName, givenNames: after.givenNames, id: after.id } as never) : null;
  return { items, next };
}

/** A cell of the CSV export: quoted, and a leading `=`, `+`, `-`, `@` (a formula) neutralised by `'`. */
export function toCsvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** Every candidate of the caller's authority as CSV (one line per person and title found). */
export async function exportResidenceCandidatesCsv(deps: ApiDependencies, principal: Principal, horizonMonths: number): Promise<string> {
  const lines = [['file_number', 'family_name', 'given_names', 'date_of_birth', 'rule', 'outcome', 'on', 'open_criteria', 'reason_de', 'reason_en'].join(',')];
  let after: string | undefined;
  let count = 0;
  for (;;) {
    const page = await listResidenceCandidates(deps, principal, { horizonMonths, after, limit: 200 }, false);
    for (const candidate of page.items) {
      count++;
      for (const rule of candidate.rules.filter((r) => r.outcome !== 'not_within_horizon')) {
        lines.push(
          [candidate.fileNumber, candidate.familyName, candidate.givenNames, candidate.dateOfBirth, rule.rule, rule.outcome, rule.on ?? '', rule.openCriteria.join(' '), rule.reason.de, rule.reason.en]
            .map(toCsvCell)
            .join(','),
        );
      }
    }
    if (!page.next) break;
    after = page.next;
  }
  await createAuditQueries(deps.pool).insertAuditEntry({
    actor: principal.subject,
    action: 'residence.candidates.export',
    authorityId: principal.authorityId,
    detail: { horizonMonths, count },
  });
  return `${lines.join('\r\n')}\r\n`;
}
