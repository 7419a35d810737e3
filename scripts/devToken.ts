import { loadConfig, parseDuration } from '../config';
import { isRole, roles, type Role } from '../security/roles';
import { devTokenDefaultLifetime, devTokenMaxLifetimeMs, loadOrCreateLocalIssuer, signLocalToken } from '../security/tokens';

/**
 * `npm run dev-token -- --role ebh_clerk --authority koeln [--subject alice] [--expires 8h]` (at most 12h)
 * prints a bearer token of the local issuer of the embedded default. Refuses when an external
 * issuer is configured: then the API does not trust the local issuer.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  if (config.OIDC_ISSUER) {
    throw new Error('OIDC_ISSUER is set: the API trusts only that issuer, and dev tokens are off');
  }
  const args = new Map<string, string[]>();
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i].replace(/^--/, '');
    args.set(name, [...(args.get(name) ?? []), argv[i + 1]]);
  }
  const chosen = (args.get('role') ?? []).flatMap((r) => r.split(','));
  const bad = chosen.filter((r) => !isRole(r));
  if (chosen.length === 0 || bad.length > 0) throw new Error(`--role must be one or more of: ${roles.join(', ')}`);
  const authorityId = args.get('authority')?.[0];
  if (!authorityId) throw new Error('--authority is required, e.g. --authority koeln');
  const expires = args.get('expires')?.[0] ?? devTokenDefaultLifetime;
  const lifetimeMs = parseDuration(expires);
  if (lifetimeMs === undefined || lifetimeMs <= 0 || lifetimeMs > devTokenMaxLifetimeMs) {
    throw new Error(`--expires must be a duration up to ${devTokenMaxLifetimeMs / 3_600_000}h, e.g. 8h or 90m`);
  }
  const issuer = await loadOrCreateLocalIssuer(config.DATA_DIR);
  const token = await signLocalToken(issuer, {
    subject: args.get('subject')?.[0] ?? `dev-${chosen[0]}`,
    roles: chosen as Role[],
    authorityId,
    expiresIn: `${Math.floor(lifetimeMs / 1000)}s`,
  });
  process.stdout.write(`${token}\n`);
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
});
