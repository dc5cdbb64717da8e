/**
 * Times are stored in UTC and shown in the clinic's zone (SPEC §2), whatever
 * the patient's device is set to. The zone comes from GET /api/config.
 */
export interface ClinicConfig {
  clinicName: string;
  address: string;
  timeZone: string;
  hours: { firstDay: number; lastDay: number; openMinute: number; closeMinute: number };
}

export const fallbackConfig: ClinicConfig = {
  clinicName: 'QHealth Clinic',
  address: '',
  timeZone: 'Europe/Stockholm',
  hours: { firstDay: 1, lastDay: 5, openMinute: 480, closeMinute: 1080 },
};

let zone = fallbackConfig.timeZone;
export function setClinicZone(timeZone: string): void {
  zone = timeZone;
}

export function clinicZone(): string {
  return zone;
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit',
  }).format(new Date(iso));
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat('en-GB', { timeZone: zone, day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(iso));
}

const DAYS = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const hm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

export function formatHours(c: ClinicConfig): string {
  return `${DAYS[c.hours.firstDay]}–${DAYS[c.hours.lastDay]} ${hm(c.hours.openMinute)}–${hm(c.hours.closeMinute)}`;
}
