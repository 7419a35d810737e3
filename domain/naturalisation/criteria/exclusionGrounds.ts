import { Criterion, makeCriterion } from '../criterion';
import { NaturalisationFacts, TriState } from '../facts';

/**
 * The exclusion grounds of § 11 Satz 1 StAG: actual indications of anti-constitutional efforts
 * unless the applicant credibly turned away from them (§ 11 Satz 1 Nr. 1 StAG), of an untrue
 * declaration of commitment (§ 11 Satz 1 Nr. 1a StAG), a particularly serious expulsion interest
 * (§ 11 Satz 1 Nr. 2 StAG). The first ground found is the reason; multiple marriage and equality
 * (§ 11 Satz 1 Nr. 3 StAG) are criteria of their own.
 */
export function evaluateExclusionGrounds(facts: NaturalisationFacts): Criterion {
  const grounds = facts.exclusionGrounds;
  const extremism: TriState = grounds.extremistActivity === 'yes' && grounds.credibleDistancing === true ? 'no' : grounds.extremistActivity;
  const checks: { value: TriState; basis: string; de: string; en: string }[] = [
    {
      value: extremism,
      basis: '§ 11 Satz 1 Nr. 1 StAG',
      de: 'Tatsächliche Anhaltspunkte für verfassungsfeindliche Bestrebungen.',
      en: 'Actual indications of anti-constitutional efforts.',
    },
    {
      value: grounds.declarationContentIncorrect,
      basis: '§ 11 Satz 1 Nr. 1a StAG',
      de: 'Tatsächliche Anhaltspunkte, dass das Bekenntnis inhaltlich unrichtig ist.',
      en: 'Actual indications that the declaration of commitment is untrue.',
    },
    {
      value: grounds.seriousExpulsionInterest,
      basis: '§ 11 Satz 1 Nr. 2 StAG',
      de: 'Besonders schwerwiegendes Ausweisungsinteresse nach § 54 Abs. 1 Nr. 2 oder 4 AufenthG.',
      en: 'Particularly serious expulsion interest under § 54 Abs. 1 Nr. 2 or 4 AufenthG.',
    },
  ];
  const details = { extremistActivity: grounds.extremistActivity, credibleDistancing: grounds.credibleDistancing ?? null, declarationContentIncorrect: grounds.declarationContentIncorrect, seriousExpulsionInterest: grounds.seriousExpulsionInterest };
  const found = checks.find((check) => check.value === 'yes');
  if (found !== undefined) {
    return makeCriterion('exclusion_grounds', 'not_met', found.basis, found.de, found.en, details);
  }
  if (checks.some((check) => check.value === 'unknown')) {
    return makeCriterion('exclusion_grounds', 'unknown', '§ 11 Satz 1 StAG', 'Ausschlussgründe noch nicht abschließend geprüft.', 'Exclusion grounds not yet fully checked.', details);
  }
  const distanced = grounds.extremistActivity === 'yes';
  return makeCriterion(
    'exclusion_grounds',
    'met',
    distanced ? '§ 11 Satz 1 Nr. 1 StAG' : '§ 11 Satz 1 StAG',
    distanced ? 'Abwendung von früheren Bestrebungen glaubhaft gemacht; keine weiteren Ausschlussgründe.' : 'Keine Ausschlussgründe.',
    distanced ? 'Turning away from earlier efforts credibly shown; no other exclusion grounds.' : 'No exclusion grounds.',
    details,
  );
}
