import path from 'node:path';
import { z } from 'zod';

/**
 * Runtime configuration, read once from the environment. Every variable is optional: without
 * any, `npm start` runs the embedded defaults (a PostgreSQL server of its own, an SMTP sink, the Temporal dev server).
 */
const durationList = z
  .string()
  .transform((value, ctx) => {
    const parts = value.split(',').map((part) => part.trim()).filter(Boolean);
    const result: number[] = [];
    for (const part of parts) {
      const ms = parseDuration(part);
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: `not a duration: "${part}" (use e.g. "14d", "36h", "90m", "45s")` });
        return z.NEVER;
      }
      result.push(ms);
    }
    return result;
  });

/** Asymmetric JWS algorithms a token may be signed with. */
export const acceptedTokenAlgorithms = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA'] as const;
export type TokenAlgorithm = (typeof acceptedTokenAlgorithms)[number];

/** Where `npm start` keeps its data (embedded database, keys) without DATA_DIR: `.data` in the checkout. */
export const defaultDataDir = path.resolve(__dirname, '..', '..', '.data');

const environmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** The address the API binds to: loopback unless an operator opens it (e.g. `0.0.0.0` behind a proxy). */
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().default(defaultDataDir),
  DATABASE_URL: z.string().url().optional(),
  EMBEDDED_DATABASE_PORT: z.coerce.number().int().min(0).max(65535).default(54329),
  /** The embedded Temporal dev server's gRPC port (its Web UI: TEMPORAL_UI_PORT). */
  EMBEDDED_TEMPORAL_PORT: z.coerce.number().int().min(1).max(65535).default(7233),
  TEMPORAL_ADDRESS: z.string().optional(),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  /** TLS to the Temporal frontend (security/temporalConnection.ts): CA, client cert and key (mTLS) as PEM files. */
  TEMPORAL_TLS_CA: z.string().optional(),
  TEMPORAL_TLS_CERT: z.string().optional(),
  TEMPORAL_TLS_KEY: z.string().optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().optional(),
  TEMPORAL_API_KEY: z.string().optional(),
  TEMPORAL_UI_PORT: z.coerce.number().int().default(8233),
  SMTP_URL: z.string().url().optional(),
  EMBEDDED_SMTP_PORT: z.coerce.number().int().min(0).max(65535).default(2525),
  MAIL_FROM: z.string().default('Einbürgerungsbehörde <no-reply@kim.localhost>'),
  MAIL_DOMAIN: z.string().default('kim.localhost'),
  TEAM_MAILBOX: z.string().default('einbuergerung-team@kim.localhost'),
  /** The case-management team's mailbox (KIM Baustein 2): handoff notices and reminders. */
  CASE_MANAGEMENT_MAILBOX: z.string().default('case-management@kim.localhost'),
  /** Per authority, where it differs: "koeln=cm@stadt-koeln.de,bonn=cm@bonn.de". */
  CASE_MANAGEMENT_MAILBOXES: z.string().default(''),
  /** The KIM coordinator's mailbox: escalated handoffs. */
  KIM_COORDINATOR_MAILBOX: z.string().default('kim-coordination@kim.localhost'),
  /** Working days case management has to accept or decline a handoff (local KIM agreement). */
  HANDOFF_ACCEPTANCE_WORKING_DAYS: z.coerce.number().int().min(1).max(60).default(5),
  /** Further working days until the KIM coordinator is told. */
  HANDOFF_ESCALATION_WORKING_DAYS: z.coerce.number().int().min(1).max(60).default(2),
  /** Further working days until an unanswered handoff expires and goes back to the sender. */
  HANDOFF_EXPIRY_WORKING_DAYS: z.coerce.number().int().min(1).max(60).default(5),
  /**
   * How long before the § 75 Satz 2 VwGO mark the team is warned, comma-separated
   * (e.g. "28d,7d"). Recorded in each workflow when it starts.
   */
  INACTION_WARNING_LEAD_TIMES: durationList.prefault('28d,7d'),
  /** An external OpenID Connect issuer; when set, only its tokens are accepted and dev tokens are off. */
  OIDC_ISSUER: z.string().url().optional(),
  /** The issuer's JWKS URL; found through OpenID discovery when not set. */
  OIDC_JWKS_URL: z.string().url().optional(),
  OIDC_AUDIENCE: z.string().default('kim-status-engine'),
  OIDC_ROLES_CLAIM: z.string().default('roles'),
  OIDC_AUTHORITY_CLAIM: z.string().default('authority'),
  /** The staff console's client registration at OIDC_ISSUER (authorization code with PKCE); a confidential client also has a secret. */
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** Scopes the console asks for; the access token must name the API's audience (OIDC_AUDIENCE). */
  OIDC_SCOPES: z.string().default('openid profile'),
  /** The public address of this service (also outreach's links): the console's redirect URI is built on it under an external issuer. */
  PUBLIC_BASE_URL: z.string().url().optional(),
  /** The signature algorithms accepted from the issuer (asymmetric only; never `none` or HS*). */
  OIDC_ALGORITHMS: z
    .string()
    .default('RS256,ES256,EdDSA')
    .transform((value, ctx) => {
      const list = value.split(',').map((part) => part.trim()).filter(Boolean);
      const bad = list.filter((alg) => !(acceptedTokenAlgorithms as readonly string[]).includes(alg));
      if (list.length === 0 || bad.length > 0) {
        ctx.addIssue({ code: 'custom', message: `use one or more of ${acceptedTokenAlgorithms.join(', ')}${bad.length ? ` (not: ${bad.join(', ')})` : ''}` });
        return z.NEVER;
      }
      return list as TokenAlgorithm[];
    }),
  /** Accept only RFC 9068 access tokens (header `typ: at+jwt`), not plain `JWT`-typed ones. */
  OIDC_REQUIRE_AT_JWT: z.enum(['0', '1', 'true', 'false']).optional().transform((value) => value === '1' || value === 'true'),
  /** The longest lifetime a token may have (exp minus iat/nbf), e.g. "12h". */
  TOKEN_MAX_LIFETIME: z.string().default('12h').transform((value, ctx) => {
    const ms = parseDuration(value);
    if (ms === undefined || ms <= 0) {
      ctx.addIssue({ code: 'custom', message: `not a duration: "${value}" (use e.g. "12h", "90m")` });
      return z.NEVER;
    }
    return ms;
  }),
  /**
   * Trust the local development issuer although the system is not on loopback embedded defaults
   * (security/devIssuerPolicy.ts). For a development machine only.
   */
  ALLOW_DEV_ISSUER: z.enum(['0', '1', 'true', 'false']).optional().transform((value) => value === '1' || value === 'true'),
  /** Requests per minute and token subject, and per client address (IPv6: per /64) without a valid token. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  /**
   * Which reverse proxies to believe about the client's address (X-Forwarded-For): unset/false
   * none, a number of hops, or addresses/subnets/`loopback`/`uniquelocal` (express `trust proxy`).
   */
  TRUST_PROXY: z.string().optional(),
  /**
   * The virus scan of uploaded documents: `clamd` (ClamAV's daemon, CLAMD_HOST:CLAMD_PORT) or
   * `off` — then documents are stored marked "unscanned". Without a scanner's verdict nothing is
   * stored. Unset: `clamd`, except on loopback embedded defaults, where `npm start` uses a clamd
   * that answers at CLAMD_HOST:CLAMD_PORT or starts Debian's, and without one stores uploads
   * marked "unscanned" and says so in its banner.
   */
  DOCUMENT_SCAN: z.enum(['clamd', 'off']).optional(),
  CLAMD_HOST: z.string().default('127.0.0.1'),
  /** `npm start`'s own clamd on embedded defaults: the daemon's path (default Debian's, where installed), or `none`. */
  CLAMD_BINARY: z.string().optional(),
  CLAMD_PORT: z.coerce.number().int().min(1).max(65535).default(3310),
  /** Per case: at most this many uploaded documents, and this many bytes together. */
  DOCUMENT_QUOTA_COUNT: z.coerce.number().int().min(1).default(30),
  DOCUMENT_QUOTA_BYTES: z.coerce.number().int().min(1).default(100 * 1024 * 1024),
  /** Applicants' access codes: the keyed hash's pepper (base64, ≥ 32 bytes; else generated into DATA_DIR/keys), expiry after the case closes, wrong attempts before a lockout. */
  ACCESS_CODE_PEPPER: z.string().optional(),
  ACCESS_CODE_EXPIRY_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  ACCESS_CODE_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  /** A worker process (`node dist/worker/main.js`) serves only these task queues (comma-separated); default all. */
  WORKER_TASK_QUEUES: z
    .string()
    .optional()
    .transform((value) => (value ? value.split(',').map((part) => part.trim()).filter(Boolean) : undefined)),
  /**
   * Workflows each worker (one per task queue) keeps in memory between their tasks (the sticky
   * cache). Evicted ones are replayed from their history when they next have work: memory for
   * CPU. The SDK's default grows with the heap; a bound keeps a worker with 100,000 open cases
   * within its memory. 250: measured in README "Throughput at N = 100,000" (a process serving every
   * queue idles at about 530 MiB, six workflow workers of about 50 MiB each; 1,000 cached took
   * it past 1 GiB, 250 did not, and intake kept the server's pace — it needs one workflow task).
   */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(1_000_000).default(250),
  /**
   * The outbox relay in each worker process (activities/relay/outboxRelay.ts): rows per batch,
   * pause when nothing is due, how long a claim holds before another relay may take the row over,
   * and the SMTP connections it keeps open.
   */
  OUTBOX_RELAY_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(50),
  OUTBOX_RELAY_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(200),
  OUTBOX_RELAY_LEASE_SECONDS: z.coerce.number().int().min(3).max(3600).default(30),
  OUTBOX_RELAY_CONNECTIONS: z.coerce.number().int().min(1).max(64).default(4),
  /** The Prometheus metrics endpoint (`/metrics`) of every process; loopback unless opened. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /** `pretty` (readable lines) or `json`; by default pretty on a terminal, JSON otherwise. */
  LOG_FORMAT: z.enum(['pretty', 'json']).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.infer<typeof environmentSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/** Parses "14d", "36h", "90m", "45s" or "1500ms" into milliseconds. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/.exec(text.trim());
  if (!match) return undefined;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Math.round(Number(match[1]) * unit);
}
