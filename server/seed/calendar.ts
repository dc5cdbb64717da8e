import { clinicTimeToUtc } from '../shared/clinic-time.js';

/**
 * Places generated appointments the way the booking rules would (SPEC rule
 * 3): on the 15-minute grid, inside clinic hours in the clinic's zone, and
 * never two in one cell for the same doctor, diagnostic or patient (rule 2).
 * The occupied cells are what the AppointmentSlot rows record.
 */
export const CELL_MS = 15 * 60_000;
const DAY_MS = 86_400_000;

export interface ClinicHours {
  firstDay: number;
  lastDay: number;
  openMinute: number;
  closeMinute: number;
}

/** 'YYYY-MM-DD' plus n days (calendar arithmetic, no time zone involved). */
export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T12:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

export function isoWeekday(date: string): number {
  return new Date(`${date}T12:00:00Z`).getUTCDay() || 7;
}

export function cellsOf(startsAt: Date, endsAt: Date): Date[] {
  const cells: Date[] = [];
  for (let t = startsAt.getTime(); t < endsAt.getTime(); t += CELL_MS) cells.push(new Date(t));
  return cells;
}

export class Calendar {
  private readonly taken = new Set<string>();

  constructor(
    private readonly hours: ClinicHours,
    private readonly timeZone: string,
  ) {}

  isOpen(date: string): boolean {
    const d = isoWeekday(date);
    return d >= this.hours.firstDay && d <= this.hours.lastDay;
  }

  /** A free start on `date` for all `keys`, after `notBefore`, or null after a few tries. */
  place(keys: string[], date: string, minutes: number, random: () => number, notBefore?: Date): Date | null {
    if (!this.isOpen(date)) return null;
    const starts = Math.floor((this.hours.closeMinute - this.hours.openMinute - minutes) / 15) + 1;
    if (starts <= 0) return null;
    for (let attempt = 0; attempt < 12; attempt++) {
      const minute = this.hours.openMinute + 15 * Math.floor(random() * starts);
      const startsAt = clinicTimeToUtc(date, minute, this.timeZone);
      if (notBefore && startsAt.getTime() <= notBefore.getTime()) continue;
      const endsAt = new Date(startsAt.getTime() + minutes * 60_000);
      if (this.isFree(keys, startsAt, endsAt)) {
        this.claim(keys, startsAt, endsAt);
        return startsAt;
      }
    }
    return null;
  }

  isFree(keys: string[], startsAt: Date, endsAt: Date): boolean {
    return cellsOf(startsAt, endsAt).every((c) => keys.every((k) => !this.taken.has(`${k}|${c.getTime()}`)));
  }

  claim(keys: string[], startsAt: Date, endsAt: Date): void {
    for (const c of cellsOf(startsAt, endsAt)) for (const k of keys) this.taken.add(`${k}|${c.getTime()}`);
  }
}
