import { compareLocalDates, LocalDate } from '../calendar/localDate';
import { makeResidenceCriterion, ResidenceCriterion } from './criterion';
import { CefrLevel, IntegrationWaiver, LanguageCertificate } from './facts';

/**
 * Sufficient oral German at level A2 of the CEFR: § 25b Abs. 1 Satz 2 Nr. 4 AufenthG (waived
 * for illness, disability or age, § 25b Abs. 3 AufenthG) and § 60d Abs. 1 Nr. 5 AufenthG.
 * A certificate dated after `asOf` is not yet proof. `waiver` applies only where the caller's
 * provision allows one (`waiver.basis`).
 * @returns `oral_german`: met from the certificate's date; unknown while nothing is proven.
 */
export function evaluateOralGermanA2(
  language: LanguageCertificate | undefined,
  asOf: LocalDate,
  basis: string,
  waiver?: { readonly waiver: IntegrationWaiver | undefined; readonly basis: string },
): ResidenceCriterion {
  const order: readonly CefrLevel[] = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2'];
  if (waiver !== undefined && waiver.waiver !== undefined) {
    return makeResidenceCriterion('oral_german', 'met', waiver.basis, {
      de: 'Wegen Krankheit, Behinderung oder Alters wird von den Sprachkenntnissen abgesehen.',
      en: 'Waived for illness, disability or age.',
    }, { details: { waiver: waiver.waiver } });
  }
  if (language === undefined || compareLocalDates(language.on, asOf) > 0) {
    return makeResidenceCriterion('oral_german', 'unknown', basis, {
      de: 'Deutschkenntnisse auf Niveau A2 sind noch nicht nachgewiesen.',
      en: 'German at level A2 is not proven yet.',
    });
  }
  const details = { level: language.level, certifiedOn: language.on };
  if (order.indexOf(language.level) >= order.indexOf('A2')) {
    return makeResidenceCriterion('oral_german', 'met', basis, { de: `Deutschkenntnisse ${language.level} nachgewiesen.`, en: `German ${language.level} proven.` }, { details });
  }
  return makeResidenceCriterion('oral_german', 'not_met', basis, {
    de: `Nachgewiesen ist nur ${language.level}; erforderlich ist A2.`,
    en: `Only ${language.level} is proven; A2 is required.`,
  }, { details });
}
