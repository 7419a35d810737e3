import { randomBytes } from 'node:crypto';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { Pool } from 'pg';
import { ensureWorkflowStarted } from '../../api/naturalisation/applicationService';
import { toBerlinLocalDate } from '../../domain/calendar/berlinTime';
import { addDays } from '../../domain/calendar/localDate';
import {
  completeCheckUpdate,
  confirmDecisionUpdate,
  getNaturalisationStateQuery,
  naturalisationWorkflowId,
  proposeDecisionUpdate,
  recordHandoverUpdate,
  recordInquiryAnswerUpdate,
  scheduleAppointmentUpdate,
  type NaturalisationState,
} from '../../workflows/naturalisationDefinitions';
import { runConcurrently, waitFor } from '.';

/** `count` applications of their own authority, straight into the register (no import). */
async function insertApplications(pool: Pool, authorityId: string, count: number): Promise<Array<{ id: string; authority_id: string; filed_on: string; reference: string }>> {
  const { rows } = await pool.query<{ id: string; authority_id: string; filed_on: string; reference: string }>(
    `INSERT INTO naturalisation_applications (id, authority_id, reference, given_names, family_name, date_of_birth, email, preferred_language, filed_on)
     SELECT gen_random_uuid(), $1, upper($1) || '-' || g, 'Vorname', 'Nachname ' || g, '1990-01-01', 'intake' || g || '@example.org', 'de', current_date
       FROM generate_series(1, $2) g
     RETURNING id, authority_id, filed_on::text AS filed_on, reference`,
    [authorityId, count],
  );
  return rows;
}

/**
 * Intake at full speed, as the ceiling measures bare workflows: `count` naturalisation workflows
 * started by the client (`concurrency` in flight), until every case is projected in the
 * completeness check — the intake done (its acknowledgement is in the outbox, for the relay).
 */
export async function measureIntake(
  deps: { pool: Pool; temporal: Client; leadTimesMs: number[] },
  count: number,
  concurrency: number,
  options: { timeoutMs: number; onProgress?: (projected: number) => void },
) {
  const authorityId = `intake${randomBytes(3).toString('hex')}`;
  const applications = await insertApplications(deps.pool, authorityId, count);
  const apiDeps = { temporal: deps.temporal, settings: { inactionWarningLeadTimesMs: deps.leadTimesMs } } as Parameters<typeof ensureWorkflowStarted>[0];
  const projected = async () =>
    Number((await deps.pool.query(`SELECT count(*) AS n FROM case_projections WHERE authority_id = $1 AND stage = 'completeness_check'`, [authorityId])).rows[0].n);
  const started = performance.now();
  // Progress every 30 s, starts included (a run at N = 100,000 takes most of an hour).
  const report = options.onProgress;
  const reporter = report ? setInterval(() => void projected().then(report, () => undefined), 30_000) : undefined;
  let startMs: number;
  try {
    await runConcurrently(applications, concurrency, (application) => ensureWorkflowStarted(apiDeps, application));
    startMs = performance.now() - started;
    if (!(await waitFor(async () => (await projected()) >= count, options.timeoutMs))) throw new Error(`intake did not complete within ${options.timeoutMs / 1000} s`);
  } finally {
    clearInterval(reporter);
  }
  const intakeMs = performance.now() - started;
  // History events per intake, from real histories.
  const sample = applications.filter((_, i) => i % Math.max(1, Math.floor(count / 50)) === 0).slice(0, 50);
  const events = await Promise.all(sample.map(async (a) => (await deps.temporal.workflow.getHandle(naturalisationWorkflowId(a.id)).fetchHistory()).events?.length ?? 0));
  return { count, authorityId, startsPerSecond: count / (startMs / 1000), intakesPerSecond: count / (intakeMs / 1000), eventsPerIntake: { min: Math.min(...events), max: Math.max(...events), sampled: events.length } };
}

async function act<R extends { expectedVersion: number }>(handle: WorkflowHandle, update: UpdateDefinition<NaturalisationState, [R]>, request: Omit<R, 'expectedVersion'>): Promise<NaturalisationState> {
  const { version } = await handle.query(getNaturalisationStateQuery);
  return handle.executeUpdate(update, { args: [{ ...request, expectedVersion: version } as R] });
}

/**
 * One case of the intake driven to the handover of its certificate, as clerks would: complete
 * documents, both inquiries answered, a decision proposed and confirmed (four eyes), the
 * appointment, the handover. @returns the events of its history once closed
 */
export async function driveToHandover(temporal: Client, applicationId: string): Promise<number> {
  const handle = temporal.workflow.getHandle(naturalisationWorkflowId(applicationId));
  const today = toBerlinLocalDate(Date.now());
  await act(handle, completeCheckUpdate, {
    actor: 'clerk.a@bench.localhost',
    checklist: [
      { type: 'passport', status: 'present' },
      { type: 'income_proof', status: 'present', issuedOn: addDays(today, -30) },
      { type: 'language_certificate', status: 'present', expires: false },
    ],
  });
  await act(handle, recordInquiryAnswerUpdate, { actor: 'clerk.a@bench.localhost', inquiry: 'regelanfrage', result: 'no_findings', answeredOn: today });
  await act(handle, recordInquiryAnswerUpdate, { actor: 'clerk.a@bench.localhost', inquiry: 'register_extract', result: 'no_findings', answeredOn: today });
  await act(handle, proposeDecisionUpdate, { outcome: 'approved', reason: '§ 10 Abs. 1 StAG erfüllt', decidedBy: 'clerk.b@bench.localhost' });
  await act(handle, confirmDecisionUpdate, { actor: 'clerk.c@bench.localhost' });
  await act(handle, scheduleAppointmentUpdate, { actor: 'clerk.a@bench.localhost', at: new Date(Date.now() + 2_000).toISOString(), place: 'Rathaus' });
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  const closed = await act(handle, recordHandoverUpdate, { actor: 'clerk.a@bench.localhost', handedOverOn: toBerlinLocalDate(Date.now()) });
  if (closed.stage !== 'closed') throw new Error(`case ${applicationId} is in stage ${closed.stage}, not closed`);
  await handle.result();
  return (await handle.fetchHistory()).events?.length ?? 0;
}
