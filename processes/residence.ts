import { ScheduleAlreadyRunning, type Client } from '@temporalio/client';
import { createResidenceActivities } from '../activities/residence';
import { residenceLetters } from '../activities/residence/letters';
import { residenceRoutes } from '../api/residence/routes';
import { startCheckWorkflow } from '../api/residence/service';
import { createResidenceCheckQueries } from '../db/queries/residenceChecks';
import { residenceSweepScheduleId, residenceTaskQueues } from '../workflows/residenceDefinitions';
import type { AnyRoute, ProcessModule } from './contract';

const finalStages = ['decided', 'completed'] as const;

/**
 * Creates the Temporal schedule of the daily residence sweep (05:30 German time, every day)
 * unless it exists already: it starts the permit-expiry watches and § 104c transition checks.
 */
export async function ensureResidenceSweepScheduled(client: Client): Promise<void> {
  try {
    await client.schedule.create({
      scheduleId: residenceSweepScheduleId,
      spec: { calendars: [{ hour: 5, minute: 30 }], timezone: 'Europe/Berlin' },
      action: { type: 'startWorkflow', workflowType: 'residenceSweep', taskQueue: residenceTaskQueues.residence, args: [{}] },
      policies: { overlap: 'SKIP', catchupWindow: '1 day' },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
}

/**
 * Residence-law checks (ABH, AufenthG): § 25a/§ 25b eligibility checks with evidence and the
 * clerk's decision, § 104c transition checks, and the permit-expiry watch (§ 81 Abs. 4).
 */
export const residenceProcess: ProcessModule = {
  caseType: 'residence',
  taskQueue: residenceTaskQueues.residence,
  staffRoles: ['abh_clerk'],
  workflowTypes: ['residenceCheck', 'permitExpiryWatch', 'residenceSweep'],
  createActivities: (deps) => createResidenceActivities({ pool: deps.pool, temporal: deps.temporal, clock: deps.clock }),
  routes: residenceRoutes as AnyRoute[],
  letters: residenceLetters,
  finalStages,
  retention: {
    defaultPolicy: {
      retainDays: 3650,
      action: 'anonymise',
      basis: 'Aktenordnung of the authority (placeholder)',
      note: 'Ten years after the check closed, as for naturalisation cases; set from the records schedule.',
    },
    listClosedCasesWithPersonalData: (db) => createResidenceCheckQueries(db).listClosedChecksWithPersonalData(finalStages),
    anonymise: (db, caseId) => createResidenceCheckQueries(db).anonymiseCheckById(caseId),
    delete: (db, caseId) => createResidenceCheckQueries(db).deleteCheckById(caseId),
  },
  async describeCase(db, caseId) {
    const check = await createResidenceCheckQueries(db).findCheckById(caseId);
    return check && { reference: check.reference, personId: check.personId };
  },
  async recover(deps) {
    await ensureResidenceSweepScheduled(deps.temporal);
    const checks = await createResidenceCheckQueries(deps.pool).listChecksWithoutProjection();
    for (const check of checks) await startCheckWorkflow(deps, check);
    return checks.length;
  },
};
