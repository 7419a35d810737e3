import { WorkflowNotFoundError } from '@temporalio/client';
import { createPersonCaseQueries } from '../../db/queries/personCases';
import { finalStagesByCaseType } from '../../processes';
import { personFactsChangedSignal, type PersonFactsChanged } from '../../workflows/shared/personSignals';
import type { ApiDependencies } from '../deps';

/**
 * Tells every open case of the persons that changed (a signal to its workflow), after the change
 * was committed. A workflow that is gone (closed since its projection was written) is skipped;
 * any other failure is logged — the change stands, and the case re-reads the register anyway
 * whenever it evaluates.
 * @returns the workflows signalled
 */
export async function signalOpenCasesOfPersons(
  deps: Pick<ApiDependencies, 'pool' | 'temporal' | 'logger'>,
  changes: PersonFactsChanged[],
): Promise<number> {
  if (changes.length === 0) return 0;
  const byPerson = new Map(changes.map((change) => [change.personId, change]));
  const cases = await createPersonCaseQueries(deps.pool, finalStagesByCaseType).listOpenCaseWorkflowsByPersons([...byPerson.keys()]);
  let signalled = 0;
  for (const { personId, workflowId } of cases) {
    try {
      await deps.temporal.workflow.getHandle(workflowId).signal(personFactsChangedSignal, byPerson.get(personId)!);
      signalled++;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) {
        deps.logger.info({ personId, workflowId }, 'person changed: case workflow is gone, skipped');
      } else {
        deps.logger.warn({ err: error, personId, workflowId }, 'person changed: could not signal the case');
      }
    }
  }
  return signalled;
}
