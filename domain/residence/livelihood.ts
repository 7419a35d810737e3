import { makeResidenceCriterion, ResidenceCriterion } from './criterion';
import { LivelihoodSituation } from './facts';

/**
 * Livelihood for the residence titles of well-integrated people:
 * - § 25a Abs. 1 Satz 2 AufenthG: while in school, vocational training or study, receiving public
 *   benefits does not bar the permit; otherwise the general rule § 5 Abs. 1 Nr. 1 AufenthG
 *   applies, from which the authority may depart at its discretion (§ 5 Abs. 3 Satz 2 AufenthG);
 * - § 25b Abs. 1 Satz 2 Nr. 3 AufenthG: livelihood predominantly (more than half) from work, or
 *   expected to be secured; Wohngeld is harmless; § 25b Abs. 1 Satz 3 AufenthG: temporary benefits
 *   are "as a rule" harmless for students and trainees, families with minor children, single
 *   parents, carers — a case-by-case `discretion` here; § 25b Abs. 3 AufenthG waives the
 *   requirement for illness, disability or age;
 * - § 60d Abs. 1 Nr. 4 AufenthG: livelihood secured by the employment.
 */

// Legal choices made as configuration (`livelihoodConfig`): "überwiegend" = a share from work
// strictly greater than the threshold (0.5). The share is a fact the clerk records; it is not
// computed from amounts here.

export interface LivelihoodConfig {
  readonly predominantShare: number;
  readonly predominantBasis: string;
  readonly note: string;
}

export const livelihoodConfig: LivelihoodConfig = Object.freeze({
  predominantShare: 0.5,
  predominantBasis: '§ 25b Abs. 1 Satz 2 Nr. 3 AufenthG',
  note: '"Überwiegend" read as more than 50 % of the livelihood from work (domain.md: over 50 %).',
});

/** § 25a Abs. 1 Satz 2 AufenthG with § 5 Abs. 1 Nr. 1 AufenthG and § 5 Abs. 3 Satz 2 AufenthG. */
export function evaluateYoungPersonLivelihood(livelihood: LivelihoodSituation): ResidenceCriterion {
  const details = { inEducation: livelihood.inEducation, receivesBenefits: livelihood.receivesBenefits };
  if (livelihood.inEducation === 'yes') {
    return makeResidenceCriterion(
      'livelihood',
      'met',
      '§ 25a Abs. 1 Satz 2 AufenthG',
      {
        de: 'In Schule, Ausbildung oder Studium: der Bezug öffentlicher Leistungen steht nicht entgegen.',
        en: 'In school, training or study: receiving public benefits is no bar.',
      },
      { details },
    );
  }
  if (livelihood.receivesBenefits === 'no') {
    return makeResidenceCriterion('livelihood', 'met', '§ 5 Abs. 1 Nr. 1 AufenthG', { de: 'Lebensunterhalt ist gesichert.', en: 'Livelihood is secured.' }, { details });
  }
  if (livelihood.receivesBenefits === 'yes' && livelihood.inEducation === 'no') {
    return makeResidenceCriterion(
      'livelihood',
      'discretion',
      '§ 5 Abs. 3 Satz 2 AufenthG',
      {
        de: 'Lebensunterhalt nicht gesichert und nicht in Ausbildung: die Behörde kann nach Ermessen davon absehen.',
        en: 'Livelihood not secured and not in education: the authority may waive it at its discretion.',
      },
      { details },
    );
  }
  return makeResidenceCriterion(
    'livelihood',
    'unknown',
    '§ 25a Abs. 1 Satz 2 AufenthG',
    { de: 'Ob der Lebensunterhalt gesichert ist oder eine Ausbildung besteht, ist nicht festgestellt.', en: 'Whether the livelihood is secured or the person is in education is not established.' },
    { details },
  );
}

/** § 25b Abs. 1 Satz 2 Nr. 3 AufenthG, § 25b Abs. 1 Satz 3 AufenthG, § 25b Abs. 3 AufenthG. */
export function evaluatePredominantLivelihood(
  livelihood: LivelihoodSituation,
  waived: boolean,
  config: LivelihoodConfig = livelihoodConfig,
): ResidenceCriterion {
  const share = livelihood.shareFromWork;
  if (share !== undefined && (!Number.isFinite(share) || share < 0 || share > 1)) {
    throw new RangeError(`Share of livelihood from work must be between 0 and 1: ${share}`);
  }
  const details = { shareFromWork: share ?? null, threshold: config.predominantShare, securedExpected: livelihood.securedExpected };
  const basis = config.predominantBasis;
  if (waived) {
    return makeResidenceCriterion('livelihood', 'met', '§ 25b Abs. 3 AufenthG', {
      de: 'Wegen Krankheit, Behinderung oder Alters wird von der Lebensunterhaltssicherung abgesehen.',
      en: 'Waived for illness, disability or age.',
    }, { details });
  }
  if (share !== undefined && share > config.predominantShare) {
    return makeResidenceCriterion('livelihood', 'met', basis, {
      de: 'Lebensunterhalt überwiegend durch Erwerbstätigkeit gesichert.',
      en: 'Livelihood predominantly secured by work.',
    }, { details });
  }
  if (livelihood.securedExpected === 'yes') {
    return makeResidenceCriterion('livelihood', 'met', basis, {
      de: 'Die Sicherung des Lebensunterhalts ist zu erwarten.',
      en: 'The livelihood is expected to be secured.',
    }, { details });
  }
  if (livelihood.temporaryBenefitGround !== undefined) {
    return makeResidenceCriterion('livelihood', 'discretion', '§ 25b Abs. 1 Satz 3 AufenthG', {
      de: 'Vorübergehender Leistungsbezug ist in der Regel unschädlich (Studium/Ausbildung, Familie, Alleinerziehende, Pflege): Einzelfallprüfung.',
      en: 'Temporary benefits are as a rule harmless (study/training, family, single parent, carer): case by case.',
    }, { details: { ...details, temporaryBenefitGround: livelihood.temporaryBenefitGround } });
  }
  if (share !== undefined && livelihood.securedExpected === 'no') {
    return makeResidenceCriterion('livelihood', 'not_met', basis, {
      de: 'Lebensunterhalt nicht überwiegend durch Erwerbstätigkeit gesichert und auch nicht zu erwarten.',
      en: 'Livelihood is not predominantly secured by work, nor is that expected.',
    }, { details });
  }
  return makeResidenceCriterion('livelihood', 'unknown', basis, {
    de: 'Anteil der Erwerbstätigkeit am Lebensunterhalt oder Prognose ist nicht festgestellt.',
    en: 'The share of work in the livelihood, or the prognosis, is not established.',
  }, { details });
}
