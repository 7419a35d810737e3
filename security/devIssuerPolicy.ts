/**
 * When the API may trust the local development issuer (a key file in DATA_DIR from which
 * `npm run dev-token` mints any role for any authority). Only while nothing of the system is
 * reachable from elsewhere and no real data is at stake: no external database, mail server or
 * Temporal configured, the API bound to loopback — or when an operator opts in explicitly with
 * `ALLOW_DEV_ISSUER=1`. Otherwise `npm start` refuses to start without `OIDC_ISSUER`.
 */
export interface DevIssuerSettings {
  OIDC_ISSUER?: string;
  ALLOW_DEV_ISSUER: boolean;
  DATABASE_URL?: string;
  SMTP_URL?: string;
  TEMPORAL_ADDRESS?: string;
  HOST: string;
}

export type DevIssuerDecision =
  | { issuer: 'external' }
  | { issuer: 'local'; because: 'loopback embedded defaults' | 'ALLOW_DEV_ISSUER' }
  | { issuer: 'refused'; message: string };

const knownOidcVariables = [
  'OIDC_ISSUER', 'OIDC_JWKS_URL', 'OIDC_AUDIENCE', 'OIDC_ROLES_CLAIM', 'OIDC_AUTHORITY_CLAIM', 'OIDC_ALGORITHMS', 'OIDC_REQUIRE_AT_JWT',
  'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_SCOPES',
];

/** Whether a host name or address is the loopback interface. */
export function isLoopbackHost(host: string): boolean {
  const normalised = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  return normalised === 'localhost' || normalised === '::1' || /^127(\.\d{1,3}){3}$/.test(normalised);
}

/** Whether a socket's or client's address is loopback (an IPv4-mapped IPv6 `::ffff:127.…` too); unknown is not. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const normalised = address.trim().toLowerCase();
  return isLoopbackHost(normalised.startsWith('::ffff:') ? normalised.slice(7) : normalised) && normalised !== 'localhost';
}

/** What is configured beyond the loopback embedded defaults (an external part, or HOST not loopback); empty on the defaults. */
export function listBeyondLoopbackDefaults(settings: Omit<DevIssuerSettings, 'OIDC_ISSUER' | 'ALLOW_DEV_ISSUER'>): string[] {
  return [
    settings.DATABASE_URL ? 'DATABASE_URL' : undefined,
    settings.SMTP_URL ? 'SMTP_URL' : undefined,
    settings.TEMPORAL_ADDRESS ? 'TEMPORAL_ADDRESS' : undefined,
    isLoopbackHost(settings.HOST) ? undefined : `HOST=${settings.HOST}`,
  ].filter((name): name is string => name !== undefined);
}

/**
 * Decides which issuer the API trusts. `env` is the raw environment: an `OIDC_*` variable this
 * program does not know (a misspelt `OIDC_ISSUER`) refuses the local issuer too.
 */
export function decideTokenIssuer(settings: DevIssuerSettings, env: NodeJS.ProcessEnv = {}): DevIssuerDecision {
  if (settings.OIDC_ISSUER) return { issuer: 'external' };
  const unknownOidc = Object.keys(env).filter((name) => name.startsWith('OIDC_') && !knownOidcVariables.includes(name));
  if (unknownOidc.length > 0) {
    return {
      issuer: 'refused',
      message: `OIDC_ISSUER is not set, but ${unknownOidc.join(', ')} is: a misspelt variable? (known: ${knownOidcVariables.join(', ')})`,
    };
  }
  if (settings.ALLOW_DEV_ISSUER) return { issuer: 'local', because: 'ALLOW_DEV_ISSUER' };
  const external = listBeyondLoopbackDefaults(settings);
  if (external.length === 0) return { issuer: 'local', because: 'loopback embedded defaults' };
  return {
    issuer: 'refused',
    message:
      `OIDC_ISSUER is not set, so the API would trust the local development issuer (any holder of its key file can mint any role), ` +
      `which is allowed only while the whole system runs on loopback on its embedded defaults; configured here: ${external.join(', ')}. ` +
      'Set OIDC_ISSUER (and OIDC_AUDIENCE) to your identity provider, or on a development machine only set ALLOW_DEV_ISSUER=1.',
  };
}

/** Throws the refusal's message (start-up checks). */
export function assertTokenIssuerAllowed(settings: DevIssuerSettings, env: NodeJS.ProcessEnv = {}): DevIssuerDecision {
  const decision = decideTokenIssuer(settings, env);
  if (decision.issuer === 'refused') throw new Error(decision.message);
  return decision;
}
