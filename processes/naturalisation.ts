import { createBacklogImportActivities } from '../activities/backlogImport';
import { createNaturalisationActivities } from '../activities/naturalisation/eligibility';
import { naturalisationLetters } from '../activities/naturalisation/letters';
import type { ApiDependencies } from '../api/deps';
import { ensureWorkflowStarted, startMissingWorkflows } from '../api/naturalisation/applicationService';
import { resumeUnfinishedBacklogImports } from '../api/naturalisation/backlogImportService';
import { applicantDocumentRoutes } from '../api/routes/applicantDocuments';
import { applicantStatusRoutes } from '../api/routes/applicantStatus';
import { backlogImportRoutes } from '../api/routes/backlogImports';
import { eligibilityRoutes } from '../api/routes/eligibility';
import { naturalisationApplicationRoutes } from '../api/routes/naturalisationApplications';
import { workQueueRoutes } from '../api/routes/workQueue';
import { createApplicationQueries } from '../db/queries/applications';
import { createRetentionQueries } from '../db/queries/retention';
import { naturalisationRetentionPolicy } from '../domain/retention/retentionPolicy';
import { backlogImportTaskQueue } from '../workflows/backlogImportDefinitions';
import { taskQueues } from '../workflows/naturalisationDefinitions';
import type { AnyRoute, ProcessModule } from './contract';

/** Naturalisation applications (EBH, StAG): intake to certificate, the § 75 VwGO clock, backlog import. */
export const naturalisationProcess: ProcessModule = {
  caseType: 'naturalisation',
  taskQueue: taskQueues.naturalisation,
  staffRoles: ['ebh_clerk'],
  workflowTypes: ['naturalisationApplication', 'backlogImport'],
  routes: [
    ...naturalisationApplicationRoutes,
    ...applicantStatusRoutes,
    ...applicantDocumentRoutes,
    ...eligibilityRoutes,
    ...workQueueRoutes,
    ...backlogImportRoutes,
  ] as AnyRoute[],
  createActivities: (deps) => createNaturalisationActivities(deps),
  letters: naturalisationLetters,
  // `decided` is where the first workflow version ended.
  finalStages: ['closed', 'decided'],
  retention: {
    defaultPolicy: naturalisationRetentionPolicy,
    async listClosedCasesWithPersonalData(db) {
      const rows = await createRetentionQueries(db).listClosedNaturalisationCasesWithPersonalData();
      return rows.map((row) => ({ caseId: row.case_id, authorityId: row.authority_id, closedAt: row.decided_at }));
    },
    anonymise: (db, caseId) => createRetentionQueries(db).anonymiseNaturalisationCase(caseId),
    delete: (db, caseId) => createRetentionQueries(db).deleteNaturalisationCase(caseId),
  },
  async describeCase(db, caseId) {
    const application = await createApplicationQueries(db).findApplicationById(caseId);
    return application && { reference: application.reference, personId: application.person_id };
  },
  async recover(deps) {
    const full = deps as ApiDependencies;
    return (await startMissingWorkflows(full)) + (await resumeUnfinishedBacklogImports(full));
  },
  auxiliaryQueues: [
    {
      taskQueue: backlogImportTaskQueue,
      runsWorkflows: true,
      optional: true,
      createActivities: (deps) =>
        createBacklogImportActivities({
          pool: deps.pool,
          startCaseWorkflow: (application) => ensureWorkflowStarted({ temporal: deps.temporal, settings: deps.settings }, application),
        }),
    },
  ],
};
