import { startOfDayInBerlin, toBerlinLocalDate } from '../calendar/berlinTime';
import { addDays, type LocalDate } from '../calendar/localDate';
import { isWorkingDay } from '../calendar/publicHolidays';

/**
 * How long case management has to answer a handoff, counted in working days (Monday to Friday,
 * not an NRW public holiday, `§ 2 Abs. 1 FTG NW`). No statute sets these lengths: they are the
 * local KIM agreement between the authority and its case management (KIM Baustein 2, the
 * "Förderrichtlinie KIM NRW" leaves them to the municipality — verify locally), so they are
 * configuration (`HANDOFF_ACCEPTANCE_WORKING_DAYS`, `HANDOFF_ESCALATION_WORKING_DAYS`,
 * `HANDOFF_EXPIRY_WORKING_DAYS`), recorded in each workflow when it starts.
 */
export interface AcknowledgementSettings {
  /** Working days after the day of sending within which a case manager accepts or declines. */
  acceptanceWorkingDays: number;
  /** Further working days after the acceptance deadline until the KIM coordinator is told. */
  escalationWorkingDays: number;
  /** Further working days after the escalation until the handoff expires and goes back. */
  expiryWorkingDays: number;
}

export const defaultAcknowledgementSettings: AcknowledgementSettings = { acceptanceWorkingDays: 5, escalationWorkingDays: 2, expiryWorkingDays: 5 };

export interface AcknowledgementDeadlines {
  /** The last working day on which an answer is in time. */
  acceptBy: LocalDate;
  /** The instant the reminder goes out: 00:00 (Berlin) of the day after `acceptBy`. */
  reminderAt: number;
  escalateBy: LocalDate;
  /** The instant the KIM coordinator is told. */
  escalationAt: number;
  expireBy: LocalDate;
  /** The instant the handoff expires and goes back to the sender. */
  expiryAt: number;
}

/**
 * The `count`-th working day after `date` (the day itself does not count, as the day of an event
 * does not count under § 187 Abs. 1 BGB). Weekends and NRW public holidays (`§ 2 Abs. 1 FTG NW`)
 * are skipped.
 * @returns a local date; `date` itself for count 0
 */
export function addWorkingDays(date: LocalDate, count: number): LocalDate {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`working days must be a whole number ≥ 0, got ${count}`);
  let day = date;
  for (let left = count; left > 0; ) {
    day = addDays(day, 1);
    if (isWorkingDay(day)) left--;
  }
  return day;
}

/**
 * The acknowledgement deadlines of a handoff sent at `sentAt`: the acceptance period ends with
 * the N-th working day after the day of sending (§ 187 Abs. 1 BGB, § 188 Abs. 1 BGB applied to
 * working days; weekends and NRW public holidays per `§ 2 Abs. 1 FTG NW` do not count); the
 * reminder goes out when that day is over, the escalation when the further M working days are
 * over, the expiry after K more.
 * @returns dates (Europe/Berlin) and epoch-millisecond instants
 */
export function determineAcknowledgementDeadlines(sentAt: number, settings: AcknowledgementSettings): AcknowledgementDeadlines {
  const sentOn = toBerlinLocalDate(sentAt);
  const acceptBy = addWorkingDays(sentOn, settings.acceptanceWorkingDays);
  const escalateBy = addWorkingDays(acceptBy, settings.escalationWorkingDays);
  const expireBy = addWorkingDays(escalateBy, settings.expiryWorkingDays);
  const endOf = (day: LocalDate) => startOfDayInBerlin(addDays(day, 1));
  return { acceptBy, reminderAt: endOf(acceptBy), escalateBy, escalationAt: endOf(escalateBy), expireBy, expiryAt: endOf(expireBy) };
}

/** Whether an answer given at `answeredAt` came within the acceptance period. */
export function isAnsweredInTime(answeredAt: number, deadlines: Pick<AcknowledgementDeadlines, 'reminderAt'>): boolean {
  return answeredAt < deadlines.reminderAt;
}
