import path from 'node:path';
import { defaultOutreachConfig, type ContactBasis, type OutreachConfig } from '../../domain/outreach/contactBasis';
import { loadSecretOrDevelopmentDefault } from '../../security/developmentSecrets';

export interface OutreachSettings extends OutreachConfig {
  /** The HMAC secret of opt-out links. */
  optOutSecret: string;
  /** Where the API is reached from outside: the opt-out link's base. */
  publicBaseUrl: string;
  /** Where to apply (online service or the authority's page). */
  applyUrl: string;
  templatesDir: string;
}

/**
 * Outreach settings from the environment: `OUTREACH_CONTACT_BASIS` (`consent`, default, or
 * `legal_basis` with `OUTREACH_LEGAL_BASIS_REFERENCE` naming the provision), `OUTREACH_OPT_OUT_SECRET`
 * (without it, a secret generated into DATA_DIR — only on loopback embedded defaults or with
 * ALLOW_DEV_ISSUER=1, security/developmentSecrets.ts), `PUBLIC_BASE_URL`, `OUTREACH_APPLY_URL`, `OUTREACH_RATE_PER_SECOND`,
 * `OUTREACH_CATCH_UP_DAYS`.
 */
export function loadOutreachSettings(env: NodeJS.ProcessEnv = process.env): OutreachSettings {
  const secret = loadSecretOrDevelopmentDefault(env, 'OUTREACH_OPT_OUT_SECRET', 'outreach-opt-out-secret');
  let contactBasis: ContactBasis = defaultOutreachConfig.contactBasis;
  if (env.OUTREACH_CONTACT_BASIS === 'legal_basis') {
    const reference = env.OUTREACH_LEGAL_BASIS_REFERENCE;
    if (!reference) throw new Error('OUTREACH_CONTACT_BASIS=legal_basis needs OUTREACH_LEGAL_BASIS_REFERENCE (the provision)');
    contactBasis = { kind: 'legal_basis', reference };
  }
  const number = (value: string | undefined, fallback: number) => (value && Number.isFinite(Number(value)) && Number(value) > 0 ? Number(value) : fallback);
  return {
    ...defaultOutreachConfig,
    contactBasis,
    catchUpDays: number(env.OUTREACH_CATCH_UP_DAYS, defaultOutreachConfig.catchUpDays),
    defaultRatePerSecond: number(env.OUTREACH_RATE_PER_SECOND, defaultOutreachConfig.defaultRatePerSecond),
    optOutSecret: secret,
    publicBaseUrl: (env.PUBLIC_BASE_URL ?? 'http://localhost:8080').replace(/\/$/, ''),
    applyUrl: env.OUTREACH_APPLY_URL ?? 'https://www.einbuergerung.nrw.de',
    templatesDir: path.resolve(__dirname, '..', '..', '..', 'templates', 'outreach'),
  };
}
