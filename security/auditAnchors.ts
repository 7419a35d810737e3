import { createHmac, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Pool } from 'pg';
import { createAuditQueries } from '../db/queries/audit';
import { loadKeyFromEnvironmentOrFile } from './keyFiles';

/**
 * Anchors of the audit trail's hash chain outside the database. The chain in the database
 * (migration 20261126120000) shows a row changed, removed or inserted in the middle — but its
 * hashes are unkeyed, so the table's owner can delete the newest rows, or rewrite a row and
 * recompute every hash after it, and audit_log_verify() reports nothing. An anchor is the
 * chain's head at one moment — position and hash — with an HMAC-SHA-256 under a key the database
 * does not hold, appended as one JSON line to a file outside it. Since every row's hash covers
 * the one before, an anchor vouches for the whole chain up to its head: verifying finds rows an
 * anchor names that are gone (the newest rows deleted) or whose hash differs (rewritten), and
 * refuses an anchor line not made with the key.
 *
 * What anchors cannot see: rows written after the newest anchor, deleted or rewritten before the
 * next one — anchor often (`npm run audit-chain -- anchor --every 5m`), and send the lines on to
 * write-once storage or syslog as well; an attacker who holds the key and the file and the
 * database can rewrite all three.
 *
 * Key: `AUDIT_CHAIN_KEY` (base64, at least 32 bytes), else generated on first use into
 * `<DATA_DIR>/keys/audit-chain-key` (0600). File: `AUDIT_ANCHOR_FILE`, else
 * `<DATA_DIR>/audit-anchors.log` (0600, appended to).
 */
export interface AuditAnchor {
  chainSeq: string;
  rowHash: string;
  at: string;
  mac: string;
}

export const auditChainKeyVariable = 'AUDIT_CHAIN_KEY';

export function loadAuditChainKey(options: { env: NodeJS.ProcessEnv; dataDir: string }): Buffer {
  return loadKeyFromEnvironmentOrFile({ ...options, variable: auditChainKeyVariable, file: 'audit-chain-key' });
}

export function auditAnchorFilePath(options: { env: NodeJS.ProcessEnv; dataDir: string }): string {
  return options.env.AUDIT_ANCHOR_FILE || path.join(options.dataDir, 'audit-anchors.log');
}

function macOf(key: Buffer, anchor: Omit<AuditAnchor, 'mac'>): string {
  return createHmac('sha256', key).update(`kim audit anchor v1\n${anchor.chainSeq}\n${anchor.rowHash}\n${anchor.at}`).digest('hex');
}

/** Appends the chain's head to the anchor file, unless it is the newest anchor already. Returns the anchor written, if any. */
export async function anchorAuditChain(pool: Pool, options: { key: Buffer; file: string; now: Date }): Promise<AuditAnchor | undefined> {
  const head = await createAuditQueries(pool).findAuditChainHead();
  if (!head) return undefined;
  const last = readAnchorLines(options.file).at(-1);
  if (last?.anchor?.chainSeq === head.chainSeq && last.anchor.rowHash === head.rowHash) return undefined;
  const unsigned = { chainSeq: head.chainSeq, rowHash: head.rowHash, at: options.now.toISOString() };
  const anchor = { ...unsigned, mac: macOf(options.key, unsigned) };
  fs.mkdirSync(path.dirname(options.file), { recursive: true, mode: 0o700 });
  fs.appendFileSync(options.file, `${JSON.stringify(anchor)}\n`, { mode: 0o600 });
  return anchor;
}

function readAnchorLines(file: string): { line: number; anchor?: AuditAnchor }[] {
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').flatMap((text, index) => {
    if (text.trim() === '') return [];
    try {
      const parsed = JSON.parse(text) as Partial<AuditAnchor>;
      const valid = [parsed.chainSeq, parsed.rowHash, parsed.at, parsed.mac].every((field) => typeof field === 'string');
      return [{ line: index + 1, anchor: valid ? (parsed as AuditAnchor) : undefined }];
    } catch {
      return [{ line: index + 1 }];
    }
  });
}

/**
 * Every problem of the trail: the chain's own (audit_log_verify()), then each anchor line that
 * is not made with the key, and each anchored row that is missing or whose hash differs.
 */
export async function verifyAuditTrail(pool: Pool, options: { key: Buffer; file: string }): Promise<string[]> {
  const queries = createAuditQueries(pool);
  const problems = (await queries.verifyAuditChain()).map((p) => `row ${p.chainSeq} (id ${p.id}): ${p.problem}`);
  const lines = readAnchorLines(options.file);
  const genuine: { line: number; anchor: AuditAnchor }[] = [];
  for (const { line, anchor } of lines) {
    const expected = anchor && Buffer.from(macOf(options.key, anchor), 'hex');
    const given = anchor && Buffer.from(anchor.mac, 'hex');
    if (!anchor || !expected || !given || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      problems.push(`anchor line ${line}: not a valid anchor or its HMAC does not match (not written with this key)`);
    } else {
      genuine.push({ line, anchor });
    }
  }
  const hashes = await queries.findAuditRowHashesBySeq(genuine.map(({ anchor }) => anchor.chainSeq));
  for (const { line, anchor } of genuine) {
    const stored = hashes.get(anchor.chainSeq);
    if (stored === undefined) problems.push(`row ${anchor.chainSeq} anchored at ${anchor.at} (line ${line}) is missing: rows at the end were deleted`);
    else if (stored !== anchor.rowHash) problems.push(`row ${anchor.chainSeq} anchored at ${anchor.at} (line ${line}) differs from its anchor: the chain up to it was rewritten`);
  }
  if (lines.length === 0) problems.push(`no anchors in ${options.file}: the newest rows could be gone unnoticed (run \`npm run audit-chain -- anchor\`)`);
  return problems;
}
