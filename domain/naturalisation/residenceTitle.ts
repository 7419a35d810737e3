import { addDays, compareLocalDates, LocalDate } from '../calendar/localDate';
import { Criterion, makeCriterion } from './criterion';
import { DatedHistory, findDatedEntry } from './datedHistory';
import { findResidencePeriodOn } from '../residenceHistory/periods';
import { formatPermitBasis, parsePermitBasis, PermitBasis } from '../residenceHistory/permitPurposes';
import { ResidenceHistory, ResidencePeriodFact } from '../residenceHistory/statuses';

/**
 * The residence right held at the time of naturalisation, § 10 Abs. 1 Satz 1 Nr. 2 StAG:
 * free movement as a Union citizen, EEA or Swiss national; a permanent right of residence
 * (Niederlassungserlaubnis, Erlaubnis zum Daueraufenthalt – EU); a Blue Card; or a residence
 * permit (Aufenthaltserlaubnis) for a purpose NOT listed as excluded.
 */

// Legal choices made as configuration:
// - The excluded purposes are a dated list (`excludedPermitPurposesHistory`), as in domain.md:
//   AufenthG §§ 16a, 16b, 16d, 16e, 16f, 17, 18f, 19, 19b, 19e, 20, 22, 23a, 24, 25 Abs. 3–5, 104c.
// - `additionalExclusions` (§ 18d, § 20a, § 23 Abs. 1 AufenthG) are applied by some authorities
//   and marked (verify) in domain.md. DEFAULT: APPLIED. Reason: to our knowledge § 18d and
//   § 23 Abs. 1 AufenthG also appear in the statutory list itself (they did before 2024), so
//   not applying them risks telling an applicant "met" wrongly; an authority that does not
//   apply them sets `apply: false`. § 20a AufenthG is the least certain of the three.
// - "25 Abs. 3 bis 5" is read to include the lettered subsections in between (§ 25 Abs. 4a,
//   § 25 Abs. 4b AufenthG). (verify)
// - A permit whose basis is missing or unreadable gives `unknown` — the purpose decides.
// - Fiktion: under § 81 Abs. 4 AufenthG the previous title continues, so the previous recorded
//   period (ending the day before) decides; under § 81 Abs. 3 Satz 1 AufenthG no title is held
//   yet (not met until the permit is granted); § 81 Abs. 3 Satz 2 AufenthG is a Duldung.

/** One excluded purpose: a section, optionally limited to a range of subsections. */
export interface ExcludedPurpose {
  readonly section: string;
  /** Inclusive range of subsection numbers; absent: the whole section. */
  readonly subsections?: { readonly from: number; readonly to: number };
}

export interface ExcludedPermitPurposes {
  readonly purposes: readonly ExcludedPurpose[];
  readonly additionalExclusions: {
    readonly apply: boolean;
    readonly purposes: readonly ExcludedPurpose[];
    readonly basis: string;
    readonly note: string;
  };
}

const STATUTORY_EXCLUSIONS_2024: readonly ExcludedPurpose[] = Object.freeze([
  { section: '16a' },
  { section: '16b' },
  { section: '16d' },
  { section: '16e' },
  { section: '16f' },
  { section: '17' },
  { section: '18f' },
  { section: '19' },
  { section: '19b' },
  { section: '19e' },
  { section: '20' },
  { section: '22' },
  { section: '23a' },
  { section: '24' },
  { section: '25', subsections: { from: 3, to: 5 } },
  { section: '104c' },
]);

/**
 * Dated list of permit purposes (AufenthG) excluded by § 10 Abs. 1 Satz 1 Nr. 2 StAG, in force
 * from 27 June 2024. A date before the first entry is an error.
 */
export const excludedPermitPurposesHistory: DatedHistory<ExcludedPermitPurposes> = Object.freeze([
  {
    validFrom: '2024-06-27',
    basis: '§ 10 Abs. 1 Satz 1 Nr. 2 StAG',
    value: {
      purposes: STATUTORY_EXCLUSIONS_2024,
      additionalExclusions: {
        apply: true,
        purposes: Object.freeze([{ section: '18d' }, { section: '20a' }, { section: '23', subsections: { from: 1, to: 1 } }]),
        basis: '§ 10 Abs. 1 Satz 1 Nr. 2 StAG',
        note:
          'Applied by some authorities (domain.md, verify): § 18d, § 20a, § 23 Abs. 1 AufenthG. Default: applied, ' +
          'because § 18d and § 23 Abs. 1 AufenthG are believed to be in the statutory list itself. (verify)',
      },
    },
  },
]);

export type PurposeCheck =
  | { readonly outcome: 'excluded'; readonly additional: boolean; readonly purpose: string }
  | { readonly outcome: 'allowed'; readonly purpose: string }
  | { readonly outcome: 'unreadable' };

function describePurpose(purpose: ExcludedPurpose): string {
  if (purpose.subsections === undefined) {
    return `§ ${purpose.section} AufenthG`;
  }
  const { from, to } = purpose.subsections;
  return from === to ? `§ ${purpose.section} Abs. ${from} AufenthG` : `§ ${purpose.section} Abs. ${from} bis ${to} AufenthG`;
}

type Match = 'yes' | 'no' | 'undetermined';

function matchPurpose(basis: PermitBasis, purpose: ExcludedPurpose): Match {
  if (basis.section !== purpose.section) {
    return 'no';
  }
  if (purpose.subsections === undefined) {
    return 'yes';
  }
  if (basis.subsection === undefined) {
    return 'undetermined';
  }
  return basis.subsection >= purpose.subsections.from && basis.subsection <= purpose.subsections.to ? 'yes' : 'no';
}

/**
 * Whether a permit's basis is an excluded purpose on `asOf` (§ 10 Abs. 1 Satz 1 Nr. 2 StAG).
 * Throws `RangeError` before 27 June 2024.
 */
export function checkPermitPurpose(
  permitBasis: string | undefined,
  asOf: LocalDate,
  history: DatedHistory<ExcludedPermitPurposes> = excludedPermitPurposesHistory,
): PurposeCheck {
  const config = findDatedEntry(history, asOf).value;
  const basis = parsePermitBasis(permitBasis);
  if (basis === null || basis.statute !== 'AufenthG') {
    return { outcome: 'unreadable' };
  }
  const lists: { purposes: readonly ExcludedPurpose[]; additional: boolean }[] = [{ purposes: config.purposes, additional: false }];
  if (config.additionalExclusions.apply) {
    lists.push({ purposes: config.additionalExclusions.purposes, additional: true });
  }
  for (const list of lists) {
    for (const purpose of list.purposes) {
      const match = matchPurpose(basis, purpose);
      if (match === 'yes') {
        return { outcome: 'excluded', additional: list.additional, purpose: describePurpose(purpose) };
      }
      if (match === 'undetermined') {
        return { outcome: 'unreadable' };
      }
    }
  }
  return { outcome: 'allowed', purpose: formatPermitBasis(basis) };
}

/** True if the permit purpose is excluded on `asOf` (§ 10 Abs. 1 Satz 1 Nr. 2 StAG); unreadable → false. */
export function isExcludedPermitPurpose(permitBasis: string, asOf: LocalDate): boolean {
  return checkPermitPurpose(permitBasis, asOf).outcome === 'excluded';
}

const BASIS = '§ 10 Abs. 1 Satz 1 Nr. 2 StAG';

function evaluateHeldTitle(
  entry: ResidencePeriodFact,
  asOf: LocalDate,
  history: DatedHistory<ExcludedPermitPurposes>,
  continuedByFiktion: boolean,
): Criterion {
  const via = continuedByFiktion
    ? { de: ' (fortgeltend nach § 81 Abs. 4 AufenthG)', en: ' (continued under § 81 Abs. 4 AufenthG)' }
    : { de: '', en: '' };
  const details = { status: entry.status, permitBasis: entry.permitBasis ?? null, continuedByFiktion };
  switch (entry.status) {
    case 'settlement_permit':
      return makeCriterion('residence_title', 'met', BASIS, `Unbefristetes Aufenthaltsrecht${via.de}.`, `Permanent right of residence${via.en}.`, details);
    case 'eu_free_movement':
      return makeCriterion('residence_title', 'met', BASIS, 'Freizügigkeitsberechtigt (EU/EWR/Schweiz).', 'Free movement (EU/EEA/Switzerland).', details);
    case 'blue_card':
      return makeCriterion('residence_title', 'met', BASIS, `Blaue Karte EU${via.de}.`, `EU Blue Card${via.en}.`, details);
    case 'permit': {
      const check = checkPermitPurpose(entry.permitBasis, asOf, history);
      if (check.outcome === 'unreadable') {
        return makeCriterion(
          'residence_title',
          'unknown',
          BASIS,
          'Rechtsgrundlage der Aufenthaltserlaubnis fehlt oder ist nicht eindeutig; der Aufenthaltszweck entscheidet.',
          'The legal basis of the residence permit is missing or ambiguous; the purpose decides.',
          details,
        );
      }
      if (check.outcome === 'excluded') {
        return makeCriterion(
          'residence_title',
          'not_met',
          BASIS,
          `Aufenthaltserlaubnis nach ${check.purpose} ist ein ausgeschlossener Aufenthaltszweck${check.additional ? ' (behördliche Zusatzliste)' : ''}${via.de}.`,
          `A residence permit under ${check.purpose} is an excluded purpose${check.additional ? ' (authority’s additional list)' : ''}${via.en}.`,
          { ...details, excludedPurpose: check.purpose, additionalExclusion: check.additional },
        );
      }
      return makeCriterion(
        'residence_title',
        'met',
        BASIS,
        `Aufenthaltserlaubnis nach ${check.purpose} (kein ausgeschlossener Zweck)${via.de}.`,
        `Residence permit under ${check.purpose} (not an excluded purpose)${via.en}.`,
        details,
      );
    }
    default:
      return makeCriterion('residence_title', 'not_met', BASIS, 'Kein Aufenthaltstitel.', 'No residence title.', details);
  }
}

/**
 * The residence right held on `asOf`, the time of naturalisation (§ 10 Abs. 1 Satz 1 Nr. 2 StAG).
 * @returns a `residence_title` criterion.
 */
export function evaluateResidenceTitle(
  history: ResidenceHistory,
  asOf: LocalDate,
  excludedPurposes: DatedHistory<ExcludedPermitPurposes> = excludedPermitPurposesHistory,
): Criterion {
  findDatedEntry(excludedPurposes, asOf); // reject dates outside the rule's history early
  const entry = findResidencePeriodOn(history, asOf);
  if (entry === null) {
    return makeCriterion(
      'residence_title',
      'not_met',
      BASIS,
      'Zum Zeitpunkt der Einbürgerung ist kein Aufenthaltsrecht erfasst.',
      'No residence right is recorded for the time of naturalisation.',
      { status: null },
    );
  }
  switch (entry.status) {
    case 'duldung':
      return makeCriterion('residence_title', 'not_met', BASIS, 'Eine Duldung ist kein Aufenthaltstitel.', 'A Duldung is not a residence title.', { status: entry.status });
    case 'gestattung':
      return makeCriterion('residence_title', 'not_met', BASIS, 'Eine Gestattung ist kein Aufenthaltstitel.', 'A Gestattung is not a residence title.', { status: entry.status });
    case 'none':
      return makeCriterion('residence_title', 'not_met', BASIS, 'Kein Aufenthaltsrecht.', 'No right of residence.', { status: entry.status });
    case 'fiktion': {
      const basis = parsePermitBasis(entry.permitBasis);
      if (basis === null || basis.section !== '81' || basis.statute !== 'AufenthG' || (basis.subsection !== 3 && basis.subsection !== 4)) {
        return makeCriterion(
          'residence_title',
          'unknown',
          BASIS,
          'Art der Fiktion (§ 81 Abs. 3 oder Abs. 4 AufenthG) ist nicht erfasst.',
          'The kind of Fiktion (§ 81 Abs. 3 or Abs. 4 AufenthG) is not recorded.',
          { status: entry.status, permitBasis: entry.permitBasis ?? null },
        );
      }
      if (basis.subsection === 3) {
        return makeCriterion(
          'residence_title',
          'not_met',
          BASIS,
          'Während der Fiktion nach § 81 Abs. 3 AufenthG wird noch kein Aufenthaltstitel besessen; erfüllbar, sobald er erteilt ist.',
          'During a Fiktion under § 81 Abs. 3 AufenthG no residence title is held yet; can be met once it is granted.',
          { status: entry.status, permitBasis: formatPermitBasis(basis) },
        );
      }
      const previous = findResidencePeriodOn(history, addDays(entry.from, -1));
      if (previous === null || previous.status === 'fiktion' || compareLocalDates(addDays(entry.from, -1), previous.to ?? entry.from) !== 0) {
        return makeCriterion(
          'residence_title',
          'unknown',
          BASIS,
          'Fortgeltung nach § 81 Abs. 4 AufenthG: der fortgeltende Titel ist nicht erfasst.',
          'Continuation under § 81 Abs. 4 AufenthG: the continued title is not recorded.',
          { status: entry.status, permitBasis: formatPermitBasis(basis) },
        );
      }
      return evaluateHeldTitle(previous, asOf, excludedPurposes, true);
    }
    default:
      return evaluateHeldTitle(entry, asOf, excludedPurposes, false);
  }
}
