import { loadConfig, parseDuration } from '../config';
import { createPool } from '../db/pool';
import { anchorAuditChain, auditAnchorFilePath, loadAuditChainKey, verifyAuditTrail } from '../security/auditAnchors';

/**
 * `npm run audit-chain -- anchor [--every 5m]`: appends the audit chain's head, with its HMAC,
 * to the anchor file outside the database (security/auditAnchors.ts) — once, or every interval
 * until stopped (run it beside the API, or from cron).
 * `npm run audit-chain -- verify`: checks the chain and every anchor; exit code 1 and each
 * problem on a line where anything is wrong.
 * Reads PostgreSQL directly (DATABASE_URL, or the embedded database of `npm start`).
 */
async function main(): Promise<void> {
  const [command, flag, interval] = process.argv.slice(2);
  const everyMs = flag === '--every' ? parseDuration(interval ?? '') : undefined;
  if (!['anchor', 'verify'].includes(command ?? '') || (flag !== undefined && (command !== 'anchor' || !everyMs))) {
    console.error('usage: npm run audit-chain -- anchor [--every <duration, e.g. 5m>] | verify');
    process.exitCode = 2;
    return;
  }
  const config = loadConfig();
  const settings = { env: process.env, dataDir: config.DATA_DIR };
  const key = loadAuditChainKey(settings);
  const file = auditAnchorFilePath(settings);
  const pool = createPool(config.DATABASE_URL ?? `postgresql://postgres@127.0.0.1:${config.EMBEDDED_DATABASE_PORT}/postgres?sslmode=disable`, 1);
  try {
    if (command === 'verify') {
      const problems = await verifyAuditTrail(pool, { key, file });
      for (const problem of problems) console.log(problem);
      if (problems.length > 0) process.exitCode = 1;
      else console.log(`audit trail intact, and matches every anchor in ${file}`);
      return;
    }
    for (;;) {
      const anchor = await anchorAuditChain(pool, { key, file, now: new Date() });
      console.log(anchor ? `anchored row ${anchor.chainSeq} in ${file}` : 'nothing new to anchor');
      if (!everyMs) return;
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  } finally {
    await pool.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
