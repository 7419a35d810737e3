import { Criterion, makeCriterion } from '../criterion';
import type { EligibilityConfig } from '../eligibilityConfig';

/**
 * § 10 Abs. 1 Satz 2 StAG: for an applicant under 16 at the time of naturalisation, Nr. 1 and
 * Nr. 7 (and, as configured, Nr. 1a) do not apply; the criterion is then met as not applicable.
 * @returns the "not applicable" criterion, or null when the applicant is 16 or older or the
 *   criterion is not exempt
 */
// Legal choice (configuration): Nr. 1a is assumed to be included since 27 June 2024. (verify)
export function determineUnder16Exemption(
  id: 'declaration_basic_order' | 'historical_responsibility' | 'civic_knowledge',
  age: number,
  config: EligibilityConfig,
): Criterion | null {
  if (age >= config.under16.ageBelow || !config.under16.exempt.includes(id)) {
    return null;
  }
  return makeCriterion(
    id,
    'met',
    config.under16.basis,
    `Nicht anzuwenden: unter ${config.under16.ageBelow} Jahren zum Zeitpunkt der Einbürgerung.`,
    `Not applicable: under ${config.under16.ageBelow} at the time of naturalisation.`,
    { notApplicable: true, age },
  );
}
