import type { PoolClient } from 'pg';
import { createOutreachRetentionQueries } from '../../db/queries/outreachRetention';
import type { RetentionAction } from '../../domain/retention/retentionPolicy';
import type { RecordRetention, RecordSweepResult } from '../../processes/contract';

const day = 86_400_000;

/**
 * The retention sweep of outreach records, for one authority (what is kept and why:
 * `processes/outreach.ts`, next to the rule).
 */
export async function sweepOutreachRecords(
  db: PoolClient,
  request: { authorityId: string; retainDays: number; action: RetentionAction; asOf: Date },
): Promise<RecordSweepResult[]> {
  const queries = createOutreachRetentionQueries(db);
  const cutoff = new Date(request.asOf.getTime() - request.retainDays * day);
  const content = await queries.deleteExpiredMessageContent(request.authorityId, cutoff);
  const recipients =
    request.action === 'delete'
      ? await queries.deleteExpiredCampaignRecipients(request.authorityId, cutoff)
      : await queries.anonymiseExpiredCampaignRecipients(request.authorityId, cutoff);
  const erased = await queries.removeRecordsOfErasedPersons(request.authorityId);
  return [
    { records: 'outreach.message_content', action: 'delete', count: content, basis: 'Art. 5 Abs. 1 Buchst. e DSGVO, Art. 17 Abs. 1 Buchst. a DSGVO' },
    { records: 'outreach.campaign_recipients', action: request.action, count: recipients, basis: 'Art. 5 Abs. 1 Buchst. e DSGVO, Art. 17 Abs. 1 Buchst. a DSGVO' },
    { records: 'outreach.erased_persons', action: 'delete', count: erased, basis: 'Art. 17 Abs. 1 Buchst. a DSGVO' },
  ];
}

export const outreachRecordRetention: RecordRetention = {
  listAuthorities: (db) => createOutreachRetentionQueries(db).listAuthoritiesWithOutreachRecords(),
  sweep: sweepOutreachRecords,
};
