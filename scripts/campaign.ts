import fs from 'node:fs';
import path from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { loadConfig } from '../config';
import { createPool } from '../db/pool';
import { composeOutreachLetter } from '../activities/outreach/relay';
import { renderLetterPdf } from '../activities/letters/pdfLetter';
import { loadOutreachSettings } from '../activities/outreach/settings';
import { loadOutreachTemplates } from '../activities/outreach/templates';
import { createOutreachCampaignQueries } from '../db/queries/outreachCampaigns';
import { embeddedDatabaseUrl } from './embedded/postgres';

/**
 * `npm run campaign -- status <id> [--once]`: a campaign's progress as a bar (sent, failed,
 * bounced, opted out), until it completes or is cancelled.
 * `npm run campaign -- letters <id|eligibility> <dir>`: the printable PDF letters of the
 * campaign's (or the eligibility-date messages') recipients without e-mail, one file per message.
 * Reads PostgreSQL directly (DATABASE_URL, or the embedded database of `npm start`): counts only
 * for `status`; `letters` reads names and addresses and is for the print office.
 */
async function main(): Promise<void> {
  const [command, id, arg] = process.argv.slice(2);
  if (!command || !id || !['status', 'letters'].includes(command)) {
    console.error('usage: npm run campaign -- status <campaign-id> [--once] | letters <campaign-id|eligibility> <dir>');
    process.exitCode = 2;
    return;
  }
  const config = loadConfig();
  const pool = createPool(config.DATABASE_URL ?? embeddedDatabaseUrl(config.DATA_DIR, config.EMBEDDED_DATABASE_PORT), 2);
  try {
    const queries = createOutreachCampaignQueries(pool);
    if (command === 'letters' && id === 'eligibility') {
      await writeLetters(pool, null, arg ?? '.');
      return;
    }
    const campaign = await queries.findCampaignById(id);
    if (!campaign) {
      console.error(`no campaign ${id}`);
      process.exitCode = 1;
      return;
    }
    if (command === 'letters') await writeLetters(pool, id, arg ?? '.');
    else await showStatus(queries, id, arg === '--once');
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

/** The printable letters of a campaign, or (null) the eligibility-date letters. */
async function writeLetters(pool: ReturnType<typeof createPool>, campaignId: string | null, dir: string): Promise<void> {
  const settings = loadOutreachSettings();
  const templates = loadOutreachTemplates(settings.templatesDir);
  const campaign = campaignId ? await createOutreachCampaignQueries(pool).findCampaignById(campaignId) : undefined;
  fs.mkdirSync(dir, { recursive: true });
  const { rows } = await pool.query(
    `SELECT m.message_key, m.person_id, m.authority_id, m.kind, p.given_names, p.family_name, p.preferred_language, p.postal_address,
            to_char(d.residence_met_on, 'YYYY-MM-DD') AS residence_met_on
     FROM outreach_messages m JOIN persons p ON p.id = m.person_id LEFT JOIN outreach_eligibility_dates d ON d.person_id = m.person_id
     WHERE ($1::uuid IS NULL AND m.campaign_id IS NULL OR m.campaign_id = $1::uuid) AND m.status = 'printable' ORDER BY m.message_key`,
    [campaignId],
  );
  for (const row of rows) {
    const letter = await composeOutreachLetter(
      { pool, settings, templates },
      { personId: row.person_id, authorityId: row.authority_id, kind: row.kind, givenNames: row.given_names, familyName: row.family_name, preferredLanguage: row.preferred_language, residenceMetOn: row.residence_met_on },
      campaign,
    );
    const address = row.postal_address as { street: string; postalCode: string; city: string } | null;
    const pdf = await renderLetterPdf(letter, { name: `${row.given_names} ${row.family_name}`, lines: address ? [address.street, `${address.postalCode} ${address.city}`] : [] });
    fs.writeFileSync(path.join(dir, `${String(row.person_id)}.pdf`), pdf);
  }
  console.log(`${rows.length} letters written to ${dir}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
