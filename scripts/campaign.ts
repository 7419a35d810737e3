import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { loadConfig } from '../config';
import { createPool } from '../db/pool';
import { composeOutreachLetter } from '../activities/outreach/relay';
import { renderLetterPdf } from '../activities/letters/pdfLetter';
import { loadOutreachSettings } from '../activities/outreach/settings';
import { loadOutreachTemplates } from '../activities/outreach/templates';
import { createAuditQueries } from '../db/queries/audit';
import { createOutreachCampaignQueries } from '../db/queries/outreachCampaigns';
import { embeddedDatabaseUrl } from './embedded/postgres';

/**
 * `npm run campaign -- status <id> [--once]`: a campaign's progress as a bar (sent, failed,
 * bounced, opted out), until it completes or is cancelled.
 * `npm run campaign -- letters <id|eligibility> <dir> --authority <id>`: the printable PDF letters
 * of one authority's campaign (or its eligibility-date messages) to recipients without e-mail, one
 * file per message, readable by their owner only (files 0600, a new folder 0700). The authority is
 * required: the print office of one authority gets its own letters, never another's; the export
 * is audited (`outreach.letters.export`, actor `cli:<user>`, the persons named), and so is a
 * refusal (a campaign of another authority).
 * Reads PostgreSQL directly (DATABASE_URL, or the embedded database of `npm start`): counts only
 * for `status`; `letters` reads names and addresses and is for the print office.
 */
const usage = 'usage: npm run campaign -- status <campaign-id> [--once] | letters <campaign-id|eligibility> <dir> --authority <authority-id>';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const authorityAt = args.indexOf('--authority');
  const authorityId = authorityAt >= 0 ? args[authorityAt + 1] : undefined;
  if (authorityAt >= 0) args.splice(authorityAt, 2);
  const [command, id, arg] = args;
  if (!command || !id || !['status', 'letters'].includes(command) || (command === 'letters' && !authorityId?.trim())) {
    console.error(command === 'letters' ? `letters needs --authority <authority-id>\n${usage}` : usage);
    process.exitCode = 2;
    return;
  }
  const config = loadConfig();
  const pool = createPool(config.DATABASE_URL ?? embeddedDatabaseUrl(config.DATA_DIR, config.EMBEDDED_DATABASE_PORT), 2);
  try {
    const queries = createOutreachCampaignQueries(pool);
    if (command === 'letters') {
      const actor = `cli:${os.userInfo().username}`;
      if (id !== 'eligibility' && !(await queries.findCampaignByIdAndAuthority(id, authorityId!))) {
        await createAuditQueries(pool).insertAuditEntry({ actor, action: 'outreach.letters.export', authorityId, outcome: 'refused', detail: { letters: id, reason: 'no such campaign of the authority' } });
        console.error(`no campaign ${id} of authority ${authorityId}`);
        process.exitCode = 1;
        return;
      }
      await writeLetters(pool, { authorityId: authorityId!, campaignId: id === 'eligibility' ? null : id, actor }, arg ?? '.');
      return;
    }
    if (!(await queries.findCampaignById(id))) {
      console.error(`no campaign ${id}`);
      process.exitCode = 1;
      return;
    }
    await showStatus(queries, id, arg === '--once');
  } finally {
    await pool.end();
  }
}

async function showStatus(queries: ReturnType<typeof createOutreachCampaignQueries>, id: string, once: boolean): Promise<void> {
  const bar = new SingleBar(
    { format: '{name} [{bar}] {percentage}% | {value}/{total} done | sent {sent} failed {failed} bounced {bounced} opted out {optedOut} | {status}', hideCursor: true, noTTYOutput: true, notTTYSchedule: 1000 },
    Presets.shades_classic,
  );
  let started = false;
  for (;;) {
    const campaign = (await queries.findCampaignById(id))!;
    const counts = await queries.countMessagesByStatus(id);
    const n = (s: string) => counts[s] ?? 0;
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    const finished = total === 0 ? 1 : total - n('queued') - n('sending');
    const payload = { name: campaign.name.slice(0, 30), sent: n('sent'), failed: n('failed'), bounced: n('bounced'), optedOut: n('skipped_opted_out'), status: campaign.status };
    if (!started) {
      bar.start(Math.max(total, 1), finished, payload);
      started = true;
    } else {
      bar.setTotal(Math.max(total, 1));
      bar.update(finished, payload);
    }
    if (once || campaign.status === 'completed' || campaign.status === 'cancelled') break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  bar.stop();
}

/** The printable letters of one authority's campaign, or (null) its eligibility-date letters; audited with the persons they name. */
async function writeLetters(pool: ReturnType<typeof createPool>, scope: { authorityId: string; campaignId: string | null; actor: string }, dir: string): Promise<void> {
  const settings = loadOutreachSettings();
  const templates = loadOutreachTemplates(settings.templatesDir);
  const campaign = scope.campaignId ? await createOutreachCampaignQueries(pool).findCampaignByIdAndAuthority(scope.campaignId, scope.authorityId) : undefined;
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { rows } = await pool.query(
    `SELECT m.message_key, m.person_id, m.authority_id, m.kind, p.given_names, p.family_name, p.preferred_language, p.postal_address,
            to_char(d.residence_met_on, 'YYYY-MM-DD') AS residence_met_on
     FROM outreach_messages m JOIN persons p ON p.id = m.person_id AND p.authority_id = m.authority_id
       LEFT JOIN outreach_eligibility_dates d ON d.person_id = m.person_id
     WHERE m.authority_id = $2 AND ($1::uuid IS NULL AND m.campaign_id IS NULL OR m.campaign_id = $1::uuid) AND m.status = 'printable'
     ORDER BY m.message_key`,
    [scope.campaignId, scope.authorityId],
  );
  // Audited before the first file exists: who took which persons' names and addresses out.
  await createAuditQueries(pool).insertAuditEntry({
    actor: scope.actor,
    action: 'outreach.letters.export',
    authorityId: scope.authorityId,
    detail: { letters: scope.campaignId ?? 'eligibility', count: rows.length, personIds: rows.map((row) => String(row.person_id)) },
  });
  for (const row of rows) {
    const letter = await composeOutreachLetter(
      { pool, settings, templates },
      { personId: row.person_id, authorityId: row.authority_id, kind: row.kind, givenNames: row.given_names, familyName: row.family_name, preferredLanguage: row.preferred_language, residenceMetOn: row.residence_met_on },
      campaign,
    );
    const address = row.postal_address as { street: string; postalCode: string; city: string } | null;
    const pdf = await renderLetterPdf(letter, { name: `${row.given_names} ${row.family_name}`, lines: address ? [address.street, `${address.postalCode} ${address.city}`] : [] });
    // A file of an earlier run is replaced, not rewritten: a new file is created 0600 whatever the old one's mode.
    const file = path.join(dir, `${String(row.person_id)}.pdf`);
    fs.rmSync(file, { force: true });
    fs.writeFileSync(file, pdf, { mode: 0o600, flag: 'wx' });
  }
  console.log(`${rows.length} letters of ${scope.authorityId} written to ${dir}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
