import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { PersonData } from '../../domain/register/person';
import type { ResidencePeriodData } from '../../domain/register/residencePeriods';
import type { ChunkOutcome } from './personImports';

/**
 * The set-based half of the register's bulk load: staging the checked rows of a file (COPY into
 * an unlogged table), and merging one chunk of staged rows into the register — new persons and
 * periods inserted, changed ones corrected (each a revision with source `import`), unchanged
 * ones left alone — in a handful of statements per chunk, whatever its size.
 */

export type StagedPerson = PersonData & { rowNumber: number; line: number };
export type StagedPeriod = ResidencePeriodData & { fileNumber: string; rowNumber: number; line: number };

const personColumns = ['job_id', 'row_number', 'line', 'file_number', 'given_names', 'family_name', 'date_of_birth', 'nationalities', 'street', 'postal_code', 'city', 'country', 'email', 'phone', 'preferred_language'];
const periodColumns = ['job_id', 'row_number', 'line', 'file_number', 'status', 'from_date', 'to_date', 'permit_basis', 'duldung_ground', 'protection_granted_later', 'document_number', 'document_expiry'];

function personValues(jobId: string, row: StagedPerson): (string | number | boolean | null)[] {
  const address = row.contact.postalAddress;
  return [jobId, row.rowNumber, row.line, row.fileNumber, row.givenNames, row.familyName, row.dateOfBirth, `{${row.nationalities.join(',')}}`,
    address?.street ?? null, address?.postalCode ?? null, address?.city ?? null, address?.country ?? null, row.contact.email, row.contact.phone, row.preferredLanguage];
}

function periodValues(jobId: string, row: StagedPeriod): (string | number | boolean | null)[] {
  return [jobId, row.rowNumber, row.line, row.fileNumber, row.status, row.from, row.to, row.permitBasis, row.duldungGround, row.protectionGrantedLater, row.documentNumber, row.documentExpiry];
}

/** A value in COPY's text format: `\N` for null; backslash, tab and line breaks escaped. */
function toCopyText(value: string | number | boolean | null): string {
  if (value === null) return '\\N';
  if (typeof value !== 'string') return String(value);
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/** Writes staged rows of one job into its staging table by COPY FROM STDIN. */
export interface StagingWriter<T> {
  write(row: T): Promise<void>;
  finish(): Promise<void>;
  /** Ends an unfinished COPY with a failure, so the connection can roll back. */
  abort(reason: Error): Promise<void>;
}

export function createStagingWriter<T extends StagedPerson | StagedPeriod>(
  client: PoolClient,
  kind: 'persons' | 'residence_periods',
  jobId: string,
): StagingWriter<T> {
  const table = kind === 'persons' ? 'person_import_staged_persons' : 'person_import_staged_periods';
  const columns = kind === 'persons' ? personColumns : periodColumns;
  const values = (row: T) => (kind === 'persons' ? personValues(jobId, row as StagedPerson) : periodValues(jobId, row as StagedPeriod));
  const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  let failure: Error | undefined;
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', (error: Error) => {
      failure = error;
      reject(error);
    });
  });
  done.catch(() => undefined);
  let buffer: string[] = [];
  let size = 0;
  const flush = async () => {
    if (buffer.length === 0) return;
    const text = buffer.join('');
    buffer = [];
    size = 0;
    if (!stream.write(text)) await new Promise<void>((resolve) => stream.once('drain', resolve));
    if (failure) throw failure;
  };
  return {
    async write(row) {
      const line = `${values(row).map(toCopyText).join('\t')}\n`;
      buffer.push(line);
      size += line.length;
      if (size >= 1 << 20) await flush();
    },
    async finish() {
      await flush();
      stream.end();
      await done;
    },
    async abort(reason) {
      if (stream.writableFinished || failure) return;
      stream.destroy(reason);
      await done.catch(() => undefined);
    },
  };
}

const personJson = (t: string) => `jsonb_build_object('fileNumber', ${t}.file_number, 'givenNames', ${t}.given_names, 'familyName', ${t}.family_name,
  'dateOfBirth', ${t}.date_of_birth, 'nationalities', to_jsonb(${t}.nationalities),
  'contact', jsonb_build_object('postalAddress', ${t}.postal_address, 'email', ${t}.email, 'phone', ${t}.phone), 'preferredLanguage', ${t}.preferred_language)`;

const periodJson = (t: string) => `jsonb_build_object('status', ${t}.status, 'from', ${t}.from_date, 'to', ${t}.to_date, 'permitBasis', ${t}.permit_basis,
  'duldungGround', ${t}.duldung_ground, 'protectionGrantedLater', ${t}.protection_granted_later, 'documentNumber', ${t}.document_number,
  'documentExpiry', ${t}.document_expiry)`;

const personFields = ['given_names', 'family_name', 'date_of_birth', 'nationalities', 'postal_address', 'email', 'phone', 'preferred_language'];
const periodFields = ['status', 'to_date', 'permit_basis', 'duldung_ground', 'protection_granted_later', 'document_number', 'document_expiry'];

interface ChunkScope {
  jobId: string;
  authorityId: string;
  actor: string;
  fromRow: number;
  toRow: number;
  at: Date;
}

/**
 * Merges the staged persons of rows [fromRow, toRow]: a file number new to the authority is a
 * new person (version 1); a known one whose data differ is corrected (version + 1); each with
 * its revision (source `import`) and audit entry. Then the chunk's staged rows are deleted.
 * Run inside the chunk's transaction.
 */
export async function mergePersonChunk(client: PoolClient, scope: ChunkScope): Promise<ChunkOutcome> {
  const { rows } = await client.query<{ staged: number; created: number; changed: { personId: string; version: number }[] | null }>(
    `WITH src AS (
       SELECT s.*, CASE WHEN s.street IS NULL THEN NULL
                   ELSE jsonb_build_object('street', s.street, 'postalCode', s.postal_code, 'city', s.city, 'country', COALESCE(s.country, 'DE')) END AS postal_address
       FROM person_import_staged_persons s
       WHERE s.job_id = $1 AND s.row_number BETWEEN $2 AND $3
     ), created AS (
       INSERT INTO persons (id, authority_id, file_number, ${personFields.join(', ')}, created_at, updated_at)
       SELECT gen_random_uuid(), $4, file_number, ${personFields.join(', ')}, $6, $6 FROM src ORDER BY row_number
       ON CONFLICT (authority_id, file_number) DO NOTHING
       RETURNING *
     ), changed AS (
       UPDATE persons p SET ${personFields.map((f) => `${f} = s.${f}`).join(', ')}, version = p.version + 1, updated_at = $6
       FROM src s, persons o
       WHERE p.authority_id = $4 AND p.file_number = s.file_number AND o.id = p.id
         AND (${personFields.map((f) => `o.${f}`).join(', ')}) IS DISTINCT FROM (${personFields.map((f) => `s.${f}`).join(', ')})
       RETURNING p.id, p.version, ${personJson('o')} AS before, ${personJson('s')} AS after
     ), revisions AS (
       INSERT INTO person_revisions (person_id, authority_id, version, entity, entity_id, kind, action, before, after, source, recorded_by, recorded_at)
       SELECT c.id, $4, 1, 'person', c.id, NULL, 'create', NULL, ${personJson('c')}, 'import', $5, $6 FROM created c
       UNION ALL
       SELECT k.id, $4, k.version, 'person', k.id, NULL, 'correct', k.before, k.after, 'import', $5, $6 FROM changed k
     ), audit AS (
       INSERT INTO audit_log (actor, action, authority_id, outcome, detail)
       SELECT $5, 'register.person.import', $4, 'allowed', jsonb_build_object('personId', c.id, 'importJobId', $1::text, 'change', 'create') FROM created c
       UNION ALL
       SELECT $5, 'register.person.import', $4, 'allowed', jsonb_build_object('personId', k.id, 'importJobId', $1::text, 'change', 'correct') FROM changed k
     )
     SELECT (SELECT count(*)::int FROM src) AS staged, (SELECT count(*)::int FROM created) AS created,
            (SELECT json_agg(json_build_object('personId', id, 'version', version)) FROM changed) AS changed`,
    [scope.jobId, scope.fromRow, scope.toRow, scope.authorityId, scope.actor, scope.at],
  );
  await client.query('DELETE FROM person_import_staged_persons WHERE job_id = $1 AND row_number BETWEEN $2 AND $3', [scope.jobId, scope.fromRow, scope.toRow]);
  const { staged, created } = rows[0];
  const changed = rows[0].changed ?? [];
  return { processed: staged, accepted: created + changed.length, unchanged: staged - created - changed.length, rejected: 0, changedPersons: changed };
}

/**
 * Merges the staged residence periods of rows [fromRow, toRow]. A period is identified by its
 * person (file number) and first day: a new one is inserted, a known one whose fields differ is
 * corrected. Rejected with the reason: an unknown file number; an overlap with an earlier row of
 * the chunk or with another period in force. Each person changed gets version + 1, the
 * revisions (source `import`) and an audit entry. Run inside the chunk's transaction.
 */
export async function mergePeriodChunk(client: PoolClient, scope: ChunkScope): Promise<ChunkOutcome> {
  const range = daterangeOf;
  await client.query(
    `CREATE TEMP TABLE import_chunk (LIKE person_import_staged_periods, person_id uuid, existing_id uuid, reason text, issues jsonb, change text) ON COMMIT DROP`,
  );
  await client.query(
    `INSERT INTO import_chunk
     SELECT s.*, p.id, e.id, NULL, NULL, NULL
     FROM person_import_staged_periods s
     LEFT JOIN persons p ON p.authority_id = $2 AND p.file_number = s.file_number
     LEFT JOIN person_residence_periods e ON e.person_id = p.id AND e.from_date = s.from_date AND e.retracted_at IS NULL
     WHERE s.job_id = $1 AND s.row_number BETWEEN $3 AND $4`,
    [scope.jobId, scope.authorityId, scope.fromRow, scope.toRow],
  );
  const reject = (reason: string, path = 'valid_from') => `reason = ${reason}, issues = jsonb_build_array(jsonb_build_object('path', '${path}', 'message', ${reason}))`;
  await client.query(
    `UPDATE import_chunk SET ${reject(`'no person with this file number in the register (load the persons file first)'`, 'file_number')} WHERE person_id IS NULL`,
  );
  await client.query(
    `UPDATE import_chunk c SET ${reject(`format('overlaps row %s of the file (%s – %s)', x.other_row, x.other_from, COALESCE(x.other_to::text, 'ongoing'))`)}
     FROM (SELECT DISTINCT ON (a.row_number) a.row_number, b.row_number AS other_row, b.from_date AS other_from, b.to_date AS other_to
           FROM import_chunk a JOIN import_chunk b ON b.person_id = a.person_id AND b.row_number < a.row_number AND ${range('b')} && ${range('a')}
           ORDER BY a.row_number, b.row_number) x
     WHERE c.row_number = x.row_number AND c.reason IS NULL`,
  );
  await client.query(
    `UPDATE import_chunk c SET ${reject(`format('overlaps the %s period %s – %s in the register', x.status, x.from_date, COALESCE(x.to_date::text, 'ongoing'))`)}
     FROM (SELECT DISTINCT ON (a.row_number) a.row_number, e.status, e.from_date, e.to_date
           FROM import_chunk a JOIN person_residence_periods e
             ON e.person_id = a.person_id AND e.retracted_at IS NULL AND e.from_date <> a.from_date AND ${range('e')} && ${range('a')}
           WHERE a.reason IS NULL
           ORDER BY a.row_number, e.from_date) x
     WHERE c.row_number = x.row_number AND c.reason IS NULL`,
  );
  await client.query(`UPDATE import_chunk SET change = 'create' WHERE reason IS NULL AND existing_id IS NULL`);
  await client.query(
    `UPDATE import_chunk c SET change = CASE WHEN (${periodFields.map((f) => `e.${f}`).join(', ')}) IS DISTINCT FROM (${periodFields.map((f) => `c.${f}`).join(', ')})
                                         THEN 'correct' ELSE 'unchanged' END
     FROM person_residence_periods e WHERE e.id = c.existing_id AND c.reason IS NULL`,
  );
  const { rows } = await client.query<{ changed: { personId: string; version: number }[] | null }>(
    `WITH bumped AS (
       UPDATE persons p SET version = p.version + 1, updated_at = $4
       FROM (SELECT DISTINCT person_id FROM import_chunk WHERE change IN ('create', 'correct')) t
       WHERE p.id = t.person_id
       RETURNING p.id, p.version
     ), inserted AS (
       INSERT INTO person_residence_periods (id, person_id, from_date, ${periodFields.join(', ')}, source, recorded_by, recorded_at)
       SELECT gen_random_uuid(), person_id, from_date, ${periodFields.join(', ')}, 'import', $3, $4 FROM import_chunk WHERE change = 'create' ORDER BY row_number
       RETURNING *
     ), corrected AS (
       UPDATE person_residence_periods e SET ${periodFields.map((f) => `${f} = c.${f}`).join(', ')}, source = 'import', recorded_by = $3, recorded_at = $4
       FROM import_chunk c, person_residence_periods o
       WHERE e.id = c.existing_id AND o.id = e.id AND c.change = 'correct'
       RETURNING e.id, e.person_id, e.status, ${periodJson('o')} AS before, ${periodJson('c')} AS after
     ), revisions AS (
       INSERT INTO person_revisions (person_id, authority_id, version, entity, entity_id, kind, action, before, after, source, recorded_by, recorded_at)
       SELECT i.person_id, $2, b.version, 'residence_period', i.id, i.status, 'create', NULL, ${periodJson('i')}, 'import', $3, $4
       FROM inserted i JOIN bumped b ON b.id = i.person_id
       UNION ALL
       SELECT k.person_id, $2, b.version, 'residence_period', k.id, k.status, 'correct', k.before, k.after, 'import', $3, $4
       FROM corrected k JOIN bumped b ON b.id = k.person_id
     ), audit AS (
       INSERT INTO audit_log (actor, action, authority_id, outcome, detail)
       SELECT $3, 'register.residence_period.import', $2, 'allowed', jsonb_build_object('personId', b.id, 'importJobId', $1::text, 'version', b.version) FROM bumped b
     )
     SELECT (SELECT json_agg(json_build_object('personId', id, 'version', version)) FROM bumped) AS changed`,
    [scope.jobId, scope.authorityId, scope.actor, scope.at],
  );
  await client.query(
    `INSERT INTO person_import_rejections (job_id, row_number, line, file_number, reason, issues)
     SELECT $1, row_number, line, file_number, reason, issues FROM import_chunk WHERE reason IS NOT NULL`,
    [scope.jobId],
  );
  const counts = await client.query<{ processed: number; accepted: number; unchanged: number; rejected: number }>(
    `SELECT count(*)::int AS processed, (count(*) FILTER (WHERE change IN ('create', 'correct')))::int AS accepted,
            (count(*) FILTER (WHERE change = 'unchanged'))::int AS unchanged, (count(*) FILTER (WHERE reason IS NOT NULL))::int AS rejected
     FROM import_chunk`,
  );
  await client.query('DROP TABLE import_chunk');
  await client.query('DELETE FROM person_import_staged_periods WHERE job_id = $1 AND row_number BETWEEN $2 AND $3', [scope.jobId, scope.fromRow, scope.toRow]);
  return { ...counts.rows[0], changedPersons: rows[0].changed ?? [] };
}

const daterangeOf = (t: string) => `daterange(${t}.from_date, ${t}.to_date, '[]')`;
