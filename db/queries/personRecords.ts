import type { Pool, PoolClient } from 'pg';
import type { PersonRecord } from '../../domain/register/person';
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
