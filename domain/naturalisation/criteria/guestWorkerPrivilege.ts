import { LocalDate } from '../../calendar/localDate';
import { findDatedEntry } from '../datedHistory';
import { NaturalisationFacts } from '../facts';
import { isPrivilegedGuestWorkerEntry, livelihoodRulesHistory } from '../livelihood';

/**
 * Whether the applicant (or, for German, their spouse) entered as a recruited guest worker or a
 * GDR contract worker by the dates of § 10 Abs. 1 Satz 1 Nr. 3 Buchst. a StAG: then everyday
 * oral German suffices and no naturalisation test is needed, § 10 Abs. 4 Satz 3 StAG (verify
 * the citation).
 */
export function isGuestWorkerPrivileged(facts: NaturalisationFacts, asOf: LocalDate): boolean {
  const rules = findDatedEntry(livelihoodRulesHistory, asOf).value;
  return isPrivilegedGuestWorkerEntry(facts.livelihood.guestWorkerEntry, rules) || isPrivilegedGuestWorkerEntry(facts.language.spouseGuestWorkerEntry, rules);
}
