/**
 * The stages of a naturalisation application as its workflow reports them. The workflow is the
 * only writer of a case's stage; the API reads its projection.
 *
 * `in_progress` and `decided` are the stages of the first workflow version (before the
 * procedure stages): applications started then still report them until they end.
 */
export const naturalisationStages = [
  'received',
  'completeness_check',
  'waiting_for_documents',
  'inquiries',
  'decision',
  'certificate',
  'closed',
  'in_progress',
  'decided',
] as const;
export type NaturalisationStage = (typeof naturalisationStages)[number];

/**
 * The ways a naturalisation procedure ends: approval (§ 10 Abs. 1 StAG), refusal, or withdrawal
 * by the applicant.
 */
export const naturalisationDecisions = ['approved', 'refused', 'withdrawn'] as const;
export type NaturalisationDecision = (typeof naturalisationDecisions)[number];

/** Whom a case waits for, in work queues and in the applicant's status view. */
export type WaitingFor = 'authority' | 'applicant' | 'other_agency' | null;

/** Markers shown on a case, e.g. in work queues. */
export type NaturalisationFlag =
  | 'inaction_warning_sent'
  | 'lawsuit_possible'
  | 'documents_outdated'
  | 'document_deadline_expired'
  | 'inquiry_overdue'
  /** The person's register facts changed and the eligibility was evaluated again: the clerk looks. */
  | 'facts_changed'
  /** Case management reported on a handoff of this case. */
  | 'handoff_reported';

/** The inquiries to other agencies before a decision. */
export const inquiryKinds = ['regelanfrage', 'register_extract'] as const;
export type InquiryKind = (typeof inquiryKinds)[number];
