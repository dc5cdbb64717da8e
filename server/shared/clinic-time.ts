import { config } from '../config.js';

/**
 * Times are stored in UTC and meant in the clinic's zone (SPEC §2).
 * Conversions use Intl only: no time-zone library needed.
 */
export interface ClinicParts {
  date: string; // YYYY-MM-DD in the clinic's zone
  isoWeekday: number; // 1 = Monday … 7 = Sunday
  minuteOfDay: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone, hourCycle: 'h23', weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

export function clinicParts(at: Date, timeZone = config().clinic.timeZone): ClinicParts {
  const p = Object.fromEntries(partsFormatter(timeZone).formatToParts(at).map((x) => [x.type, x.value]));
  const hour = Number(p.hour);
  const minute = Number(p.minute);
  return {
    date: `${p.year}-${p.month}-${p.day}`,
    isoWeekday: WEEKDAYS[p.weekday as string],
    minuteOfDay: hour * 60 + minute,
    hour,
    minute,
  };
}

/** Offset of the zone from UTC at `at`, in minutes. */
function offsetMinutes(at: Date, timeZone: string): number {
  const p = Object.fromEntries(partsFormatter(timeZone).formatToParts(at).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60000);
}

/** The UTC instant of a wall-clock time in the clinic's zone ('2026-12-01', 9*60 → 08:00Z in winter Stockholm). */
export function clinicTimeToUtc(date: string, minuteOfDay: number, timeZone = config().clinic.timeZone): Date {
  const [y, m, d] = date.split('-').map(Number);
  const guess = Date.UTC(y, m - 1, d, 0, minuteOfDay);
  // Two passes settle the offset across a daylight-saving change.
  let utc = guess - offsetMinutes(new Date(guess), timeZone) * 60000;
  utc = guess - offsetMinutes(new Date(utc), timeZone) * 60000;
  return new Date(utc);
}

export function formatClinicTime(at: Date, timeZone = config().clinic.timeZone): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit',
  }).format(at);
}

export function isValidDate(date: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  const d = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === date;
}

/**
 * "Mon 30 Nov 2026, 14:30 CET": a moment as staff read it, in the clinic's
 * zone and naming it, so nobody takes it for their own computer's time.
 */
export function formatClinicTimeWithZone(at: Date, timeZone = config().clinic.timeZone): string {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric',
    hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short',
  }).formatToParts(at).map((x) => [x.type, x.value]));
  return `${p.weekday} ${p.day} ${p.month} ${p.year}, ${p.hour}:${p.minute} ${p.timeZoneName}`;
}

/** "Stockholm time": the zone as a caption beside time pickers and columns. */
export function clinicZoneCaption(timeZone = config().clinic.timeZone): string {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return 'UTC';
  return `${timeZone.split('/').pop()!.replace(/_/g, ' ')} time`;
}
