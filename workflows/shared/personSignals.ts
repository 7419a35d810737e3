import { defineSignal } from '@temporalio/workflow';

/**
 * Sent to every open case of a person after the person's register entry changed (their data, a
 * residence period or a fact): the case re-reads what it needs and re-evaluates.
 */
export interface PersonFactsChanged {
  personId: string;
  /** What changed: `person`, `residence_period`, or a fact kind such as `language_certificate`. */
  changed: string[];
  /** The person's version after the change. */
  version: number;
  /** ISO instant of the change. */
  at: string;
}

export const personFactsChangedSignal = defineSignal<[PersonFactsChanged]>('personFactsChanged');
