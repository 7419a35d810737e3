import { Pool } from 'pg';

// Dates (type 1082) stay ISO strings: a filing date is a calendar day, not an instant.
import { types } from 'pg';
types.setTypeParser(1082, (value: string) => value);

export function createPool(connectionString: string, max = 10): Pool {
  return new Pool({ connectionString, max, idleTimeoutMillis: 10_000 });
}
