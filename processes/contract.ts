import type { Client } from '@temporalio/client';
import type { Transporter } from 'nodemailer';
import type { Pool, PoolClient } from 'pg';
import type { ZodObject, ZodType } from 'zod';
import type { ApiDependencies } from '../api/deps';
import type { RouteDefinition } from '../api/route';
import type { RetentionAction } from '../domain/retention/retentionPolicy';
import type { Role } from '../security/roles';

/**
 * The contract of one process family (naturalisation, residence checks, handoffs, outreach).
 * A family is a folder in each layer — `domain/<family>/`, `workflows/<family>…`,
 * `activities/<family>/`, `api/<family>/` — and one `ProcessModule` in `processes/index.ts`.
 * The worker, the API, `npm start`, retention, the digest and the statistics read that list;
 * none of them names a process.
 */
export interface ProcessModule {
  /** The family's name; also its case type in the projection and its audit prefix. */
  caseType: string;
  /** One task queue per family, so each scales on its own. */
  taskQueue: string;
  /** Staff roles that work the family's cases (its work queue). */
  staffRoles?: readonly Role[];
  /** Workflow types the family starts (all are exported from `workflows/index.ts`). */
  workflowTypes: readonly string[];
  /**
   * The family's own activities (beyond the shared projection and message activities), built
   * from the worker's parts. Every one is idempotent.
   */
  createActivities?: (deps: ProcessActivityDependencies) => Record<string, (...args: never[]) => Promise<unknown>>;
  /** The family's API routes. */
  routes: readonly AnyRoute[];
  /** What the family's letters need and how they read. */
  letters: LetterComposer;
  /** Stages at which a case is over: no work queue, no digest, retention may apply. */
  finalStages: readonly string[];
  /** How long closed cases keep personal data, and how it is removed. */
  retention: RetentionRule;
  /**
   * The reference of a case and the person it is about, for projections written by workflows
   * that do not carry them (started before they were passed, or linked to a person later).
   */
  describeCase?: (db: Pool | PoolClient, caseId: string) => Promise<{ reference?: string; personId?: string | null } | undefined>;
  /** Run at start-up: starts the workflows of cases stored without one. @returns how many. */
  recover?: (deps: RecoveryDependencies) => Promise<number>;
  /**
   * Further task queues of the family with activities only or workflows too (e.g. the backlog
   * import). `optional` queues are left out by worker processes started without them.
   */
  auxiliaryQueues?: readonly AuxiliaryQueue[];
}

export interface AuxiliaryQueue {
  taskQueue: string;
  /** Whether the queue runs workflows (the shared bundle) besides its activities. */
  runsWorkflows: boolean;
  optional?: boolean;
  createActivities: (deps: ProcessActivityDependencies) => Record<string, (...args: never[]) => Promise<unknown>>;
}

export type AnyRoute = RouteDefinition<ZodObject, ZodObject, ZodObject, ZodType>;

export interface ProcessActivityDependencies {
  pool: Pool;
  clock: () => Date;
  mail: MailSettings;
  /** The worker's SMTP transport, for a process that sends in bulk itself (outreach's relay). */
  mailer?: Transporter;
  /** A Temporal client, for activities that start or signal other workflows. */
  temporal: Client;
  /** Settings the processes' workflows start with. */
  settings: ApiDependencies['settings'];
}

export interface MailSettings {
  from: string;
  /** The domain of every stable Message-ID. */
  domain: string;
  /**
   * The fallback for staff notices and digests of a team without a mailbox in the staff directory
   * (`staff_mailboxes`, per authority and team); its use is logged and flagged on the outbox row.
   */
  teamMailbox: string;
}

export type RecoveryDependencies = Pick<ApiDependencies, 'pool' | 'temporal' | 'settings' | 'logger'>;

/**
 * To whom a message goes. `team`: the mailbox of the case's authority and team (staff directory);
 * `staff`: that and the assigned clerk's address. `case_management`, `kim_coordinator`: the
 * directory's mailbox of that team of the authority, else the process's configured one.
 */
export type RecipientKind = 'person' | 'team' | 'staff' | 'case_management' | 'kim_coordinator';

/** One message a workflow asks for: the process supplies the letter, the outbox sends it once. */
export interface MessageRequest {
  /** Unique per case, kind and sequence: a retry cannot enqueue twice. */
  messageKey: string;
  caseType: string;
  caseId: string;
  recipient: RecipientKind;
  /** For `staff`: the assigned clerk (an e-mail address receives the notice too). */
  assignee?: string | null;
  /** For `person`: without an e-mail address, keep the letter "to print" instead of failing. */
  printIfNoEmail?: boolean;
  /** The letter: its kind (the outbox records `<caseType>.<kind>`) and the data it shows. */
  letter: { kind: string } & Record<string, unknown>;
}

/** What a letter of a case needs from the register: the person's address and language. */
export interface LetterContext {
  /** The person's e-mail address; null where there is none (then a letter is printed). */
  email: string | null;
  /** The person's preferred language (ISO 639-1); letters are German first, then this. */
  language: string;
  /** Family data the renderer reads (reference, names, dates). */
  data: Record<string, unknown>;
  /**
   * Configured addresses of staff recipient kinds, used only where the staff directory has no
   * mailbox for the case's authority and team (e.g. `CASE_MANAGEMENT_MAILBOX[ES]`).
   */
  mailboxes?: Partial<Record<RecipientKind, string[]>>;
  /** The case's authority, where its projection is not written yet. */
  authorityId?: string;
  /** The team whose mailbox gets `team` and `staff` notices, when it is not the case's own (a handoff's sender). */
  staffTeam?: string;
}

export interface LetterComposer {
  /** Loads what the case's letters need; undefined when the case is gone. */
  load(db: Pool | PoolClient, caseId: string): Promise<LetterContext | undefined>;
  /** Renders one letter (pure). */
  render(context: LetterContext, request: MessageRequest): { subject: string; text: string };
}

export interface ClosedCase {
  caseId: string;
  authorityId: string;
  /** When the case was closed (decision or last stage), ISO instant. */
  closedAt: string;
}

export interface RetentionRule {
  /** The default until an authority sets its own (PUT /api/v1/admin/retention/:caseType). */
  defaultPolicy: { retainDays: number; action: RetentionAction; basis: string; note: string };
  /** Closed cases that still hold personal data. */
  listClosedCasesWithPersonalData(db: Pool | PoolClient): Promise<ClosedCase[]>;
  /** Removes what identifies the person; keeps what the steering figures need. */
  anonymise(db: PoolClient, caseId: string): Promise<void>;
  /** Removes the case entirely. */
  delete(db: PoolClient, caseId: string): Promise<void>;
  /** Personal data the process keeps outside cases (outreach: messages, opt-outs), swept in bulk. */
  records?: RecordRetention;
}

/**
 * Records that are not cases (one row per message or person, many per day) are swept per
 * authority: one transaction and one audit entry per kind of record removed, with counts only.
 */
export interface RecordRetention {
  /** Authorities that hold such records. */
  listAuthorities(db: Pool | PoolClient): Promise<string[]>;
  /**
   * Removes, in the sweep's transaction, what the authority's policy makes due at `asOf`.
   * @returns per kind of record what was done and how many (no personal data: it goes to the audit trail)
   */
  sweep(db: PoolClient, request: { authorityId: string; retainDays: number; action: RetentionAction; asOf: Date }): Promise<RecordSweepResult[]>;
}

export interface RecordSweepResult {
  /** What kind of record, e.g. `outreach.message_content`. */
  records: string;
  action: RetentionAction;
  count: number;
  /** Why the records go now (its legal basis). */
  basis: string;
}
