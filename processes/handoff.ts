import { createHandoffActivities } from '../activities/handoff';
import { handoffLetters } from '../activities/handoff/letters';
import { handoffRoutes } from '../api/handoff/routes';
import { createHandoffQueries } from '../db/queries/handoffs';
import { handoffTaskQueue } from '../workflows/handoffDefinitions';
import type { AnyRoute, ProcessModule } from './contract';

/**
 * Handoffs to case management (KIM Baustein 2): consent, the acknowledgement period in working
 * days with reminder and escalation, progress and outcomes that flow back into the person's
 * register and the originating case, system gaps for the steering group.
 */
export const handoffProcess: ProcessModule = {
  caseType: 'handoff',
  taskQueue: handoffTaskQueue,
  workflowTypes: ['handoff'],
  createActivities: (deps) => createHandoffActivities(deps),
  routes: handoffRoutes as unknown as AnyRoute[],
  letters: handoffLetters,
  finalStages: ['closed'],
  retention: {
    defaultPolicy: {
      retainDays: 3 * 365,
      action: 'anonymise',
      basis: 'Art. 5 Abs. 1 Buchst. e DSGVO',
      note: 'Default (verify): anonymise the minimal data three years after the handoff closed; the figures keep needs and outcomes.',
    },
    listClosedCasesWithPersonalData: (db) => createHandoffQueries(db).listClosedHandoffsWithPersonalData(),
    anonymise: (db, caseId) => createHandoffQueries(db).anonymiseHandoff(caseId),
    delete: (db, caseId) => createHandoffQueries(db).deleteHandoff(caseId),
  },
  async describeCase(db, caseId) {
    const handoff = await createHandoffQueries(db).findHandoffById(caseId);
    return handoff && { reference: handoff.reference, personId: handoff.personId };
  },
};
