import { config } from '../config.js';
import { clinicParts, clinicTimeToUtc, isValidDate } from '../shared/clinic-time.js';
import { Invalid } from '../shared/errors.js';

/**
 * SPEC rule 3 as pure functions: the 15-minute grid, clinic hours (in the
 * clinic's zone, end included), not in the past, at most 180 days ahead.
 * Both booking and the free-slot list use them, so what is offered is what
 * can be booked.
 */
export const SLOT_MINUTES = 15;
export const MAX_DAYS_AHEAD = 180;

const WEEKDAY_NAMES = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export function hhmm(minuteOfDay: number): string {
  return `${String(Math.floor(minuteOfDay / 60)).padStart(2, '0')}:${String(minuteOfDay % 60).padStart(2, '0')}`;
}

/** "10:00–10:30" in clinic time. */
export function clinicSpan(startsAt: Date, endsAt: Date): string {
  return `${hhmm(clinicParts(startsAt).minuteOfDay)}–${hhmm(clinicParts(endsAt).minuteOfDay)}`;
}

export function openingHoursText(): string {
  const h = config().clinic.hours;
  const days = h.firstDay === h.lastDay ? WEEKDAY_NAMES[h.firstDay] : `${WEEKDAY_NAMES[h.firstDay]}–${WEEKDAY_NAMES[h.lastDay]}`;
  return `${days} ${hhmm(h.openMinute)}–${hhmm(h.closeMinute)}`;
}

/** A YYYY-MM-DD day `days` later on the calendar. */
function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function endOf(startsAt: Date, minutes: number): Date {
  return new Date(startsAt.getTime() + minutes * 60_000);
}

/** The reason `startsAt` cannot hold an appointment of `minutes`, or null when it can. */
export function startProblem(startsAt: Date, minutes: number, now: Date): string | null {
  if (Number.isNaN(startsAt.getTime())) return 'Give a valid date and time.';
  const start = clinicParts(startsAt);
  if (startsAt.getUTCSeconds() !== 0 || startsAt.getUTCMilliseconds() !== 0 || start.minute % SLOT_MINUTES !== 0) {
    return 'Appointments start on the quarter hour (:00, :15, :30 or :45).';
  }
  if (startsAt.getTime() <= now.getTime()) return 'That time has already passed.';
  // Days on the clinic's calendar: the whole 180th day is bookable, whatever the hour now or a summer-time change between.
  if (start.date > addDays(clinicParts(now).date, MAX_DAYS_AHEAD)) {
    return `Appointments can be booked at most ${MAX_DAYS_AHEAD} days ahead.`;
  }
  const hours = config().clinic.hours;
  const end = clinicParts(endOf(startsAt, minutes));
  const endMinute = end.date === start.date ? end.minuteOfDay : end.minuteOfDay + 24 * 60;
  const openDay = start.isoWeekday >= hours.firstDay && start.isoWeekday <= hours.lastDay;
  if (!openDay || start.minuteOfDay < hours.openMinute || endMinute > hours.closeMinute) {
    return `The clinic is open ${openingHoursText()}; the whole appointment (${minutes} min) must fit inside those hours.`;
  }
  return null;
}

/** Throws Invalid with fields.startsAt when rule 3 refuses the time. */
export function assertBookableStart(startsAt: Date, minutes: number, now: Date): void {
  const problem = startProblem(startsAt, minutes, now);
  if (problem) throw new Invalid(problem, { startsAt: problem });
}

/** The 15-minute cells [startsAt, endsAt) covers; two bookings overlap exactly when they share one. */
export function cellsOf(startsAt: Date, endsAt: Date): Date[] {
  const cells: Date[] = [];
  for (let t = startsAt.getTime(); t < endsAt.getTime(); t += SLOT_MINUTES * 60_000) cells.push(new Date(t));
  return cells;
}

/** Every start on `date` (clinic day) that rule 3 allows for an appointment of `minutes`. */
export function candidateStarts(date: string, minutes: number, now: Date): Date[] {
  if (!isValidDate(date)) return [];
  const hours = config().clinic.hours;
  const starts: Date[] = [];
  for (let m = hours.openMinute; m + minutes <= hours.closeMinute; m += SLOT_MINUTES) {
    const at = clinicTimeToUtc(date, m);
    if (startProblem(at, minutes, now) === null) starts.push(at);
  }
  return starts;
}
