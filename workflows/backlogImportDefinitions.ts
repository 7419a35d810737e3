/**
 * Ids, task queue and inputs of the backlog import, shared by the API, the worker and the tests.
 * No imports: the workflow bundle and the API read the same constants.
 */

/**
 * Imports run on their own task queue: a long chunk activity never takes a slot the case
 * workflows need, and the import worker can be scaled or stopped on its own.
 */
export const backlogImportTaskQueue = 'backlog-imports';

export function backlogImportWorkflowId(jobId: string): string {
  return `backlog-import/${jobId}`;
}

/** Rows per chunk activity, and chunks per workflow run before it continues as new. */
export const defaultBacklogImportSizing = { chunkSize: 250, chunksPerRun: 40 } as const;

/** What the workflow starts (and continues) with: ids and counts only, no row data. */
export interface BacklogImportInput {
  jobId: string;
  /** Rows are numbered 1..total. */
  total: number;
  /** The first row this run processes. */
  nextRow: number;
  chunkSize: number;
  chunksPerRun: number;
}

export interface BacklogChunkRequest {
  jobId: string;
  fromRow: number;
  size: number;
}

/** Rows of the chunk that this attempt moved out of `pending` (0 for an already processed chunk). */
export interface BacklogChunkResult {
  processed: number;
  accepted: number;
  rejected: number;
}

export interface BacklogImportResult {
  jobId: string;
  total: number;
}
