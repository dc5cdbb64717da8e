import { GENDERS } from '../../server/access/roles.js';
import { normalizePhone } from '../../server/shared/phone.js';
import { clinicZone } from './format.js';

/**
 * The checks the browser runs before sending a form. They mirror the server's
 * schemas (SPEC rules 14, §2) so a patient learns about a mistake at once;
 * the server still decides, and its field errors are shown the same way.
 */
export { GENDERS, normalizePhone };
export const PASSWORD_MIN_LENGTH = 10;
export const MIN_AGE_YEARS = 18;
export const NOTE_MAX_LENGTH = 2000;
export const CANCEL_NOTICE_HOURS = 24;
export const E164 = /^\+[1-9]\d{6,14}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export type Errors = Record<string, string>;

export function checkEmail(email: string): string | undefined {
  if (!email.trim()) return 'Enter your email address.';
  if (!EMAIL.test(email.trim())) return 'Enter an email address like name@example.com.';
}

export function checkPassword(password: string, email = ''): string | undefined {
  if (password.length < PASSWORD_MIN_LENGTH) return `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (email && password.trim().toLowerCase() === email.trim().toLowerCase()) return 'Your password must not be your email address.';
}

export function checkPhone(phone: string): string | undefined {
  if (phone && !E164.test(normalizePhone(phone))) return 'Use the international format, e.g. +46701234567.';
}

/** Today's date (YYYY-MM-DD) on the clinic's calendar, which decides a patient's age as the server does. */
export function clinicToday(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: clinicZone(), year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** Age in whole years on `today` (both YYYY-MM-DD). */
export function ageOn(dateOfBirth: string, today: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number);
  const [ty, tm, td] = today.split('-').map(Number);
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

export function checkDateOfBirth(dateOfBirth: string, today = clinicToday()): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(dateOfBirth)) return 'Enter your date of birth.';
  if (ageOn(dateOfBirth, today) < MIN_AGE_YEARS) return `You must be at least ${MIN_AGE_YEARS} to register.`;
  if (ageOn(dateOfBirth, today) > 130) return 'Check the year of your date of birth.';
}

export function required(value: string, label: string): string | undefined {
  if (!value.trim()) return `Enter your ${label}.`;
}

/** Keeps only the messages that are set. */
export function collect(errors: Record<string, string | undefined>): Errors {
  return Object.fromEntries(Object.entries(errors).filter(([, v]) => v)) as Errors;
}
