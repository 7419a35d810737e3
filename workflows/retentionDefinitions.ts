/** The one retention sweep of a deployment. */
export const retentionWorkflowId = 'retention/sweep';

export interface RetentionSweepInput {
  /** Sweeps done by earlier runs of this workflow (it continues as new to keep its history small). */
  sweepsSoFar: number;
}
