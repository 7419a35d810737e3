import { addDays, compareLocalDates, LocalDate } from '../calendar/localDate';
import { computeAgeOn } from '../calendar/periods';
import { computeRequiredDays } from '../residenceHistory/counting';
import { countDaysWhere, findStretchCovering } from '../residenceHistory/periods';
import { makeResidenceCriterion, ResidenceCriterion } from './criterion';
import { EducationRecord, IntegrationWaiver, MinorChildFacts, TriState } from './facts';

/**
 * Schooling:
 * - § 25a Abs. 1 Satz 1 Nr. 2 AufenthG: "in der Regel seit drei Jahren erfolgreich eine Schule
 *   besucht oder einen anerkannten Schul- oder Berufsabschluss erworben"; § 25a Abs. 1 Satz 1
 *   Nr. 2 Satz 2 AufenthG waives it for illness or disability;
 * - § 25b Abs. 1 Satz 2 Nr. 5 AufenthG: actual school attendance of the children of school age.
 */

// Legal choices made as configuration (`schoolingConfig`):
// - "In der Regel" (as a rule): three years of successful attendance in total, but not as the
//   current uninterrupted stretch, give `discretion` (the authority may accept it); the current
//   stretch itself is met from the day after three years (§ 187 Abs. 2 BGB, § 188 Abs. 2 BGB).
// - School age: from 6 to under 18 (compulsory full-time and vocational schooling in NRW,
//   § 34 SchulG NRW to § 38 SchulG NRW). (verify)
// Implementation choices:
// - Only `school` records count as attendance; a stretch allows no gap between records (school
//   holidays lie inside a school year's record). An attendance whose success is `unknown` makes
//   the criterion `unknown` where it would decide it.

export interface SchoolingConfig {
  readonly requiredYears: number;
  readonly schoolAge: { readonly fromAge: number; readonly untilAge: number; readonly basis: string; readonly note: string };
}

export const schoolingConfig: SchoolingConfig = Object.freeze({
  requiredYears: 3,
  schoolAge: Object.freeze({
    fromAge: 6,
    untilAge: 18,
    basis: '§ 34 SchulG NRW',
    note: 'Compulsory schooling in NRW (full-time, then vocational) read as ages 6 to 17. (verify)',
  }),
});

const BASIS = '§ 25a Abs. 1 Satz 1 Nr. 2 AufenthG';

function isQualification(record: EducationRecord): boolean {
  return record.kind === 'school_qualification' || record.kind === 'vocational_qualification';
}

function isAttendance(record: EducationRecord, success: TriState): boolean {
  return record.kind === 'school' && record.successful === success;
}

/**
 * § 25a Abs. 1 Satz 1 Nr. 2 AufenthG on `asOf`.
 * @returns `schooling` with `becomesMetOn`: the qualification's date, or the day after three years
 *   of the current successful stretch (projected while it continues); null if not reachable.
 */
export function evaluateSchooling(
  education: readonly EducationRecord[],
  asOf: LocalDate,
  waiver: IntegrationWaiver | undefined,
  config: SchoolingConfig = schoolingConfig,
): ResidenceCriterion {
  const lastDay = addDays(asOf, -1);
  if (waiver === 'illness_or_disability') {
    return makeResidenceCriterion('schooling', 'met', BASIS, {
      de: 'Wegen Krankheit oder Behinderung wird vom Schulbesuch abgesehen (Satz 2).',
      en: 'Waived for illness or disability (Satz 2).',
    }, { becomesMetOn: asOf, details: { waiver } });
  }
  const qualification = education
    .filter((record) => isQualification(record) && record.successful === 'yes' && compareLocalDates(record.from, asOf) <= 0)
    .sort((a, b) => compareLocalDates(a.from, b.from))[0];
  if (qualification !== undefined) {
    return makeResidenceCriterion('schooling', 'met', BASIS, {
      de: 'Anerkannter Schul- oder Berufsabschluss erworben.',
      en: 'A recognised school or vocational qualification was acquired.',
    }, { becomesMetOn: qualification.from, details: { qualification: qualification.kind, acquiredOn: qualification.from } });
  }
  const stretch = findStretchCovering(education, lastDay, (record) => isAttendance(record, 'yes'));
  const ongoing = stretch !== null && (stretch.to === undefined || compareLocalDates(stretch.to, asOf) >= 0);
  const metOn = stretch === null ? null : addDays(stretch.from, computeRequiredDays(stretch.from, config.requiredYears));
  const details = { stretchFrom: stretch?.from ?? null, requiredYears: config.requiredYears };
  if (metOn !== null && compareLocalDates(metOn, asOf) <= 0) {
    return makeResidenceCriterion('schooling', 'met', BASIS, {
      de: `Seit ${config.requiredYears} Jahren erfolgreicher Schulbesuch.`,
      en: `Successful school attendance for ${config.requiredYears} years.`,
    }, { becomesMetOn: metOn, details });
  }
  const totalDays = countDaysWhere(education, lastDay, (record) => isAttendance(record, 'yes'));
  const firstAttendance = education.filter((record) => isAttendance(record, 'yes')).map((record) => record.from).sort()[0];
  if (firstAttendance !== undefined && totalDays >= computeRequiredDays(firstAttendance, config.requiredYears)) {
    return makeResidenceCriterion('schooling', 'discretion', BASIS, {
      de: `Insgesamt ${config.requiredYears} Jahre erfolgreicher Schulbesuch, aber nicht ununterbrochen bis heute: Regelfall, Einzelfallprüfung.`,
      en: `${config.requiredYears} years of successful attendance in total, but not up to now: "as a rule", case by case.`,
    }, { becomesMetOn: ongoing ? metOn : null, details: { ...details, totalDays } });
  }
  const undecided = education.some((record) => (record.kind === 'school' || isQualification(record)) && record.successful === 'unknown' && compareLocalDates(record.from, asOf) <= 0);
  if (undecided) {
    return makeResidenceCriterion('schooling', 'unknown', BASIS, {
      de: 'Erfolg des Schulbesuchs oder Anerkennung eines Abschlusses ist nicht festgestellt.',
      en: 'Success of attendance or recognition of a qualification is not established.',
    }, { becomesMetOn: ongoing ? metOn : null, details });
  }
  return makeResidenceCriterion('schooling', 'not_met', BASIS, {
    de: `Weder ${config.requiredYears} Jahre erfolgreicher Schulbesuch noch ein anerkannter Abschluss.`,
    en: `Neither ${config.requiredYears} years of successful schooling nor a recognised qualification.`,
  }, { becomesMetOn: ongoing ? metOn : null, details });
}

/** True if a child is of school age on `date` (`schoolingConfig.schoolAge`). */
export function isOfSchoolAge(child: MinorChildFacts, date: LocalDate, config: SchoolingConfig = schoolingConfig): boolean {
  if (compareLocalDates(child.dateOfBirth, date) > 0) {
    return false;
  }
  const age = computeAgeOn(child.dateOfBirth, date);
  return age >= config.schoolAge.fromAge && age < config.schoolAge.untilAge;
}

/** § 25b Abs. 1 Satz 2 Nr. 5 AufenthG: school attendance of the children of school age on `asOf`. */
export function evaluateChildrenSchoolAttendance(
  children: readonly MinorChildFacts[],
  asOf: LocalDate,
  basis = '§ 25b Abs. 1 Satz 2 Nr. 5 AufenthG',
  config: SchoolingConfig = schoolingConfig,
): ResidenceCriterion {
  const ofSchoolAge = children.filter((child) => isOfSchoolAge(child, asOf, config));
  const details = { childrenOfSchoolAge: ofSchoolAge.length, schoolAgeBasis: config.schoolAge.basis };
  if (ofSchoolAge.some((child) => child.attendsSchool === 'no')) {
    return makeResidenceCriterion('children_school_attendance', 'not_met', basis, {
      de: 'Ein Kind im schulpflichtigen Alter besucht die Schule nicht.',
      en: 'A child of school age does not attend school.',
    }, { details });
  }
  if (ofSchoolAge.some((child) => child.attendsSchool === 'unknown')) {
    return makeResidenceCriterion('children_school_attendance', 'unknown', basis, {
      de: 'Der Schulbesuch eines Kindes im schulpflichtigen Alter ist nicht nachgewiesen.',
      en: 'School attendance of a child of school age is not proven.',
    }, { details });
  }
  return makeResidenceCriterion('children_school_attendance', 'met', basis, ofSchoolAge.length === 0
    ? { de: 'Keine Kinder im schulpflichtigen Alter.', en: 'No children of school age.' }
    : { de: 'Die Kinder im schulpflichtigen Alter besuchen die Schule.', en: 'The children of school age attend school.' }, { details });
}
