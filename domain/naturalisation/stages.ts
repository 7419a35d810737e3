/**
 * The stages of a naturalisation application as its workflow reports them. The workflow is the
 * only writer of a case's stage; the API reads its projection.
 */
export const naturalisationStages = ['received', 'in_progress', 'decided'] as const;
export type NaturalisationStage = (typeof naturalisationStages)[number];

/**
 * The ways a naturalisation procedure ends (§ 10 Abs. 1 StAG approval; refusal; withdrawal by
 * the applicant). The fee consequences (§ 38 StAG) are a later rule.
 */
export const naturalisationDecisions = ['approved', 'refused', 'withdrawn'] as const;
export type NaturalisationDecision = (typeof naturalisationDecisions)[number];

/** Markers shown on a case, e.g. in work queues. */
export type NaturalisationFlag = 'inaction_warning_sent' | 'lawsuit_possible';
