import { makeResidenceCriterion, ResidenceCriterion, toStatus } from './criterion';
import { TriState } from './facts';

/**
 * Identity, passport and the person's own conduct towards the end of their stay:
 * - § 5 Abs. 1 Nr. 4 AufenthG: passport requirement; the authority may depart from it in
 *   humanitarian cases (§ 5 Abs. 3 Satz 2 AufenthG), so a missing passport is `discretion`;
 * - § 5 Abs. 1 Nr. 1a AufenthG: identity clarified;
 * - § 25a Abs. 1 Satz 3 AufenthG: refused if deportation is suspended because of the person's OWN
 *   false statements or deception about identity or nationality (a parent's deception is not
 *   held against a minor);
 * - § 25b Abs. 2 Nr. 1 AufenthG: refused if the person prevents or delays the end of the stay by
 *   false statements, deception about identity or nationality, or non-cooperation.
 */

/** § 5 Abs. 1 Nr. 4 AufenthG, § 5 Abs. 3 Satz 2 AufenthG. */
export function evaluatePassport(passportHeld: TriState): ResidenceCriterion {
  if (passportHeld === 'no') {
    return makeResidenceCriterion('passport', 'discretion', '§ 5 Abs. 3 Satz 2 AufenthG', {
      de: 'Kein gültiger Pass: Ausnahme nach Ermessen möglich (z. B. wenn die Passbeschaffung unmöglich oder unzumutbar ist).',
      en: 'No valid passport: an exception is possible at discretion (e.g. if obtaining one is impossible or unreasonable).',
    });
  }
  return makeResidenceCriterion(
    'passport',
    toStatus(passportHeld),
    '§ 5 Abs. 1 Nr. 4 AufenthG',
    passportHeld === 'yes'
      ? { de: 'Gültiger Pass liegt vor.', en: 'A valid passport is held.' }
      : { de: 'Passbesitz ist nicht festgestellt.', en: 'Passport possession is not established.' },
  );
}

/** § 5 Abs. 1 Nr. 1a AufenthG (and § 60d Abs. 1 Nr. 1 AufenthG, § 60c Abs. 2 AufenthG when `basis` says so). */
export function evaluateIdentityClarified(identityClarified: TriState, basis = '§ 5 Abs. 1 Nr. 1a AufenthG'): ResidenceCriterion {
  const reasons = {
    yes: { de: 'Identität ist geklärt.', en: 'Identity is clarified.' },
    no: { de: 'Identität ist nicht geklärt.', en: 'Identity is not clarified.' },
    unknown: { de: 'Klärung der Identität ist nicht festgestellt.', en: 'Clarification of identity is not established.' },
  };
  return makeResidenceCriterion('identity_clarified', toStatus(identityClarified), basis, reasons[identityClarified]);
}

/** § 25a Abs. 1 Satz 3 AufenthG: exclusion for the person's own deception. */
export function evaluateOwnDeception(ownDeceptionAboutIdentity: TriState): ResidenceCriterion {
  const basis = '§ 25a Abs. 1 Satz 3 AufenthG';
  if (ownDeceptionAboutIdentity === 'yes') {
    return makeResidenceCriterion('identity_deception', 'not_met', basis, {
      de: 'Die Abschiebung ist wegen eigener falscher Angaben oder Täuschung über Identität oder Staatsangehörigkeit ausgesetzt.',
      en: 'Deportation is suspended because of own false statements or deception about identity or nationality.',
    });
  }
  return makeResidenceCriterion(
    'identity_deception',
    ownDeceptionAboutIdentity === 'no' ? 'met' : 'unknown',
    basis,
    ownDeceptionAboutIdentity === 'no'
      ? { de: 'Kein Ausschluss wegen eigener Täuschung.', en: 'No exclusion for own deception.' }
      : { de: 'Ob eine eigene Täuschung vorliegt, ist nicht festgestellt.', en: 'Whether there was own deception is not established.' },
  );
}

/** § 25b Abs. 2 Nr. 1 AufenthG: exclusion for deception or non-cooperation. */
export function evaluateObstruction(ownDeceptionAboutIdentity: TriState, nonCooperation: TriState): ResidenceCriterion {
  const basis = '§ 25b Abs. 2 Nr. 1 AufenthG';
  const details = { ownDeceptionAboutIdentity, nonCooperation };
  if (ownDeceptionAboutIdentity === 'yes' || nonCooperation === 'yes') {
    return makeResidenceCriterion('obstruction', 'not_met', basis, {
      de: 'Die Aufenthaltsbeendigung wird durch Täuschung oder fehlende Mitwirkung verhindert oder verzögert.',
      en: 'The end of the stay is prevented or delayed by deception or non-cooperation.',
    }, { details });
  }
  if (ownDeceptionAboutIdentity === 'no' && nonCooperation === 'no') {
    return makeResidenceCriterion('obstruction', 'met', basis, { de: 'Keine Täuschung und keine fehlende Mitwirkung.', en: 'No deception and no non-cooperation.' }, { details });
  }
  return makeResidenceCriterion('obstruction', 'unknown', basis, {
    de: 'Täuschung oder fehlende Mitwirkung ist nicht ausgeschlossen.',
    en: 'Deception or non-cooperation has not been ruled out.',
  }, { details });
}
