/**
 * Benchmark: the person register's bulk load at size, against a bare COPY of the same rows.
 *
 *   npm run bench:register                 # N = 1,000,000 persons, 3 residence periods each
 *   BENCH_PERSONS=200000 npm run bench:register
 *
 * Generates N persons and 3·N residence periods as the two CSV files of the README, loads them
 * through the real import path — HTTP upload to the API's route, rows checked, COPY into the
 * unlogged staging table, chunked set-based merge with revisions and audit entries — against
 * PostgreSQL (BENCH_DATABASE_URL, else a fresh database on the tests' server, dropped after),
 * then, in the same run and database, times a bare `COPY … FROM STDIN (FORMAT csv)` of the same
 * two files into plain tables without indexes or constraints. Prints a Markdown report.
 *
 * Environment (all optional): BENCH_PERSONS (1000000), BENCH_CHUNK_SIZE (5000),
 * BENCH_DATABASE_URL, BENCH_KEEP_DATABASE=1.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client as TemporalClient, Connection } from '@temporalio/client';
import { Pool } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import pino from 'pino';
import { createApp } from '../api/app';
import type { ApiDependencies } from '../api/deps';
import { defaultPersonImportSettings } from '../api/persons/importService';
import { createRateLimiter } from '../api/rateLimit';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';
import { unscannedDocumentScanner } from '../security/documentScanner';
import { createTokenVerifier, defaultAudience, loadOrCreateLocalIssuer, localIssuer, localKeySet, signLocalToken } from '../security/tokens';
import { createMailer } from '../worker/mailer';

const env = process.env;
const persons = Number(env.BENCH_PERSONS ?? 1_000_000);
const chunkSize = Number(env.BENCH_CHUNK_SIZE ?? 5_000);
const say = (message: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

const familyNames = ['Müller', 'Yılmaz', 'Haddad', 'Nowak', 'Schmidt', 'Kowalski', 'Osei', 'Popescu', 'Khalil', 'Rossi', 'Ahmadi', 'Ivanova'];
const givenNames = ['Amina', 'Emre', 'Ewa', 'Kofi', 'Rami', 'Lina', 'Omar', 'Sara', 'Jonas', 'Maria', 'Ali', 'Olena'];
const nationalities = ['SY', 'TR', 'PL', 'GH', 'RO', 'IT', 'AF', 'UA', 'IQ', 'ER'];
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The two files, as Buffers of CSV (`;`, CRLF), built in slices so no giant string exists. */
function generateFiles(n: number): { persons: Buffer; periods: Buffer } {
  const personParts: Buffer[] = [Buffer.from('file_number;family_name;given_names;date_of_birth;nationalities;street;postal_code;city;email;phone;preferred_language\r\n')];
  const periodParts: Buffer[] = [Buffer.from('file_number;status;valid_from;valid_to;permit_basis;duldung_ground;protection_granted_later;document_number;document_expiry\r\n')];
  for (let from = 0; from < n; from += 50_000) {
    const people: string[] = [];
    const periods: string[] = [];
    for (let i = from; i < Math.min(n, from + 50_000); i++) {
      const fileNumber = `B-${pad(i, 7)}`;
      const born = `${1950 + (i % 55)}-${pad(1 + (i % 12))}-${pad(1 + (i % 28))}`;
      people.push(
        `${fileNumber};${familyNames[i % 12]}${i % 997};${givenNames[(i >> 3) % 12]};${born};${nationalities[i % 10]};Hauptstraße ${1 + (i % 250)};${pad(10000 + (i % 89999), 5)};Köln;p${i}@example.org;+49 221 ${pad(i % 1_000_000, 6)};${i % 3 === 0 ? 'de' : 'en'}\r\n`,
      );
      const year = 2008 + (i % 8);
      const day = pad(1 + (i % 28));
      periods.push(`${fileNumber};gestattung;${year}-03-${day};${year + 1}-02-20;;;ja;;\r\n`);
      periods.push(`${fileNumber};permit;${year + 1}-02-21;${year + 4}-03-01;§ 25 Abs. 2 AufenthG;;;Y${pad(i, 8)};${year + 4}-03-01\r\n`);
      periods.push(`${fileNumber};fiktion;${year + 4}-03-02;;§ 81 Abs. 4 AufenthG;;;;\r\n`);
    }
    personParts.push(Buffer.from(people.join('')));
    periodParts.push(Buffer.from(periods.join('')));
  }
  return { persons: Buffer.concat(personParts), periods: Buffer.concat(periodParts) };
}

async function openDatabase() {
  if (env.BENCH_DATABASE_URL) return { url: env.BENCH_DATABASE_URL, drop: async () => undefined };
  const server = env.TEST_DATABASE_URL ?? 'postgresql://postgres:postgres@127.0.0.1:5432/postgres';
  const admin = new Pool({ connectionString: server, max: 1 });
  const name = `kim_bench_register_${randomBytes(5).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      if (env.BENCH_KEEP_DATABASE === '1') say(`kept database ${name}`);
      else await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

async function main() {
  const started = Date.now();
  say(`generating ${persons} persons and ${3 * persons} residence periods`);
  const files = generateFiles(persons);
  say(`files: persons ${(files.persons.length / 1048576).toFixed(0)} MiB, periods ${(files.periods.length / 1048576).toFixed(0)} MiB`);

  const database = await openDatabase();
  const pool = createPool(database.url, 10);
  await migrate(pool);
  const { rows: [{ server_version: pgVersion }] } = await pool.query<{ server_version: string }>('SHOW server_version');

  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kim-bench-register-'));
  const issuer = await loadOrCreateLocalIssuer(workDir);
  defaultPersonImportSettings.chunkSize = chunkSize;
  const deps: ApiDependencies = {
    pool,
    // Only asked when an imported person has open cases; this database has none.
    temporal: new TemporalClient({ connection: Connection.lazy({ address: '127.0.0.1:1' }) }),
    mailer: createMailer('smtp://127.0.0.1:1'),
    logger: pino({ level: 'warn' }),
    clock: () => new Date(),
    verifyToken: createTokenVerifier({ issuer: localIssuer, audience: defaultAudience, rolesClaim: 'roles', authorityClaim: 'authority' }, localKeySet(issuer)),
    rateLimiter: createRateLimiter(100_000),
    documentScanner: unscannedDocumentScanner,
    settings: { inactionWarningLeadTimesMs: [] },
  };
  const server: Server = await new Promise((resolve) => {
    const s = createApp(deps).listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const token = await signLocalToken(issuer, { subject: 'bench-clerk', roles: ['abh_clerk'], authorityId: 'koeln' });

  async function load(kind: 'persons' | 'residence_periods', body: Buffer) {
    const t0 = Date.now();
    const response = await fetch(`${base}/api/v1/persons/imports?kind=${kind}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv; charset=utf-8' },
      body,
    });
    const job = (await response.json()) as { id: string; total: number };
    if (response.status !== 202) throw new Error(`upload refused: ${response.status} ${JSON.stringify(job)}`);
    const uploadMs = Date.now() - t0;
    say(`${kind}: uploaded and staged ${job.total} rows in ${(uploadMs / 1000).toFixed(1)} s; merging`);
    for (;;) {
      await new Promise((r) => setTimeout(r, 200));
      const view = (await (await fetch(`${base}/api/v1/persons/imports/${job.id}`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
        status: string; processed: number; total: number; accepted: number; rejected: number; unchanged: number; failure: string | null;
      };
      if (view.status === 'completed' || view.status === 'failed') {
        const totalMs = Date.now() - t0;
        say(`${kind}: ${view.status} in ${(totalMs / 1000).toFixed(1)} s (accepted ${view.accepted}, rejected ${view.rejected})`);
        if (view.status === 'failed' || view.rejected > 0) throw new Error(`import ${view.status}: ${view.failure ?? `${view.rejected} rejected`}`);
        return { rows: view.total, uploadMs, totalMs };
      }
    }
  }

  const personLoad = await load('persons', files.persons);
  const periodLoad = await load('residence_periods', files.periods);
  const counts = (await pool.query<{ persons: number; periods: number; revisions: number }>(
    `SELECT (SELECT count(*)::int FROM persons) AS persons, (SELECT count(*)::int FROM person_residence_periods) AS periods,
            (SELECT count(*)::int FROM person_revisions) AS revisions`,
  )).rows[0];
  if (counts.persons !== persons || counts.periods !== 3 * persons || counts.revisions !== 4 * persons) {
    throw new Error(`unexpected register contents: ${JSON.stringify(counts)}`);
  }

  // The floor: the same two files COPYed by PostgreSQL's own CSV parser into plain tables.
  await pool.query(`CREATE TABLE bench_bare_persons (file_number text, family_name text, given_names text, date_of_birth text, nationalities text,
    street text, postal_code text, city text, email text, phone text, preferred_language text)`);
  await pool.query(`CREATE TABLE bench_bare_periods (file_number text, status text, valid_from text, valid_to text, permit_basis text,
    duldung_ground text, protection_granted_later text, document_number text, document_expiry text)`);
  async function bareCopy(table: string, body: Buffer) {
    const client = await pool.connect();
    try {
      const t0 = Date.now();
      await pipeline(Readable.from((function* () {
        for (let i = 0; i < body.length; i += 1 << 20) yield body.subarray(i, i + (1 << 20));
      })()), client.query(copyFrom(`COPY ${table} FROM STDIN WITH (FORMAT csv, HEADER true, DELIMITER ';')`)));
      return Date.now() - t0;
    } finally {
      client.release();
    }
  }
  const barePersonsMs = await bareCopy('bench_bare_persons', files.persons);
  const barePeriodsMs = await bareCopy('bench_bare_periods', files.periods);
  say(`bare COPY: persons ${(barePersonsMs / 1000).toFixed(1)} s, periods ${(barePeriodsMs / 1000).toFixed(1)} s`);

  await new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await pool.end();
  await database.drop();

  const rate = (rows: number, ms: number) => Math.round(rows / (ms / 1000)).toLocaleString('en');
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const importMs = personLoad.totalMs + periodLoad.totalMs;
  const bareMs = barePersonsMs + barePeriodsMs;
  const allRows = personLoad.rows + periodLoad.rows;
  const cpu = /model name\s*:\s*(.+)/.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
  console.log(`
## Person register load — ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} vCPU (${cpu}), PostgreSQL ${pgVersion}, Node ${process.version}

${persons.toLocaleString('en')} persons with 3 residence periods each (${allRows.toLocaleString('en')} rows; files ${(files.persons.length / 1048576).toFixed(0)} + ${(files.periods.length / 1048576).toFixed(0)} MiB), chunks of ${chunkSize}.

| | import path (upload → checks → COPY staging → merge) | of which upload + staging | bare COPY, no indexes | ratio |
| --- | --- | --- | --- | --- |
| persons | ${s(personLoad.totalMs)} (${rate(personLoad.rows, personLoad.totalMs)} rows/s) | ${s(personLoad.uploadMs)} | ${s(barePersonsMs)} (${rate(personLoad.rows, barePersonsMs)} rows/s) | ${(personLoad.totalMs / barePersonsMs).toFixed(1)}× |
| residence periods | ${s(periodLoad.totalMs)} (${rate(periodLoad.rows, periodLoad.totalMs)} rows/s) | ${s(periodLoad.uploadMs)} | ${s(barePeriodsMs)} (${rate(periodLoad.rows, barePeriodsMs)} rows/s) | ${(periodLoad.totalMs / barePeriodsMs).toFixed(1)}× |
| **both** | **${s(importMs)}** (${rate(allRows, importMs)} rows/s) | ${s(personLoad.uploadMs + periodLoad.uploadMs)} | **${s(bareMs)}** (${rate(allRows, bareMs)} rows/s) | **${(importMs / bareMs).toFixed(1)}×** |

Whole run (generation included): ${s(Date.now() - started)}.
`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
