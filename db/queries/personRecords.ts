import type { Pool, PoolClient } from 'pg';
import type { Person, PersonRecord } from '../../domain/register/person';
import { createPersonFactQueries } from './personFacts';
import { createPersonQueries } from './persons';
import { createResidencePeriodQueries } from './residencePeriods';

/**
 * A person's current register entry — data, residence periods, facts — as the rules read it.
 * Scoped to the authority in SQL. For processes acting on their own case's person; reads on
 * behalf of staff go through the register's service, which audits them.
 */
export async function loadPersonRecord(db: Pool | PoolClient, personId: string, authorityId: string): Promise<PersonRecord | undefined> {
  const person = await createPersonQueries(db).findPersonByIdAndAuthority(personId, authorityId);
  if (!person) return undefined;
  const [residencePeriods, facts] = await Promise.all([
    createResidencePeriodQueries(db).listCurrentPeriodsByPerson(person.id),
    createPersonFactQueries(db).listCurrentFactsByPerson(person.id),
  ]);
  return { person, residencePeriods, facts };
}

/**
 * The records of persons already read (by an authority-scoped listing): their periods and facts
 * in one query each, whatever the number of persons. Same content and order per person as
 * `loadPersonRecord`.
 */
export async function loadPersonRecordsOf(db: Pool | PoolClient, persons: readonly Person[]): Promise<PersonRecord[]> {
  if (persons.length === 0) return [];
  const ids = persons.map((p) => p.id);
  const [periods, facts] = await Promise.all([
    createResidencePeriodQueries(db).listCurrentPeriodsByPersons(ids),
    createPersonFactQueries(db).listCurrentFactsByPersons(ids),
  ]);
  return persons.map((person) => ({ person, residencePeriods: periods.get(person.id) ?? [], facts: facts.get(person.id) ?? [] }));
}
