import type { ProcessModule } from './contract';
import { handoffProcess } from './handoff';
import { naturalisationProcess } from './naturalisation';
import { residenceProcess } from './residence';
import { outreachProcess } from './outreach';

/**
 * The list of processes. The worker, the API, `npm start`, retention, the digest and the
 * statistics read it; adding a process is creating its folders and one line here.
 */
export const processes: readonly ProcessModule[] = [naturalisationProcess, handoffProcess, residenceProcess, outreachProcess];

export const caseTypes = processes.map((p) => p.caseType) as [string, ...string[]];

/** The process of a case type; an unknown type is a programming error. */
export function findProcess(caseType: string): ProcessModule {
  const process = processes.find((p) => p.caseType === caseType);
  if (!process) throw new Error(`no process for case type ${caseType}`);
  return process;
}

/** Stages at which a case of any process is over. */
export const finalStages = [...new Set(processes.flatMap((p) => p.finalStages))];

/** Per case type, the stages at which its cases are over. */
export const finalStagesByCaseType = processes.flatMap((p) => p.finalStages.map((stage) => ({ caseType: p.caseType, stage })));

/** Whether a case of this type is over at this stage (an unknown type or no stage yet: not over). */
export function isFinalStage(caseType: string, stage: string | null): boolean {
  return stage !== null && finalStagesByCaseType.some((f) => f.caseType === caseType && f.stage === stage);
}
