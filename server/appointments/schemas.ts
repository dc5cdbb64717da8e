import { z } from 'zod';
import { APPOINTMENT_KINDS, APPOINTMENT_STATUSES } from '../db/entities/appointment.js';
import { clinicTimeToUtc } from '../shared/clinic-time.js';
import { fromZod } from '../http/errors.js';
import { isWellFormedText, NOT_TEXT, wholeId } from '../shared/input.js';
import { pageQuery, sortParam } from '../shared/pagination.js';

/** Control characters are junk in text; tabs and line breaks stay. */
// eslint-disable-next-line no-control-regex
const TEXT = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/;

/**
 * Request shapes for requests and bookings; the panel and the portal parse
 * with these, and the services parse again before touching the database.
 */
export const recordId = wholeId('Choose one.');

/** An instant with its zone ("2026-12-01T09:00:00Z" or "+01:00"), or a Date. */
export const instant = z.union([
  z.date(),
  z.iso.datetime({ offset: true, message: 'Give a date and time with its time zone, e.g. 2026-12-01T09:00:00Z.' }),
]).transform((v) => new Date(v));

const DAY_OR_INSTANT = 'Give a day as YYYY-MM-DD, or a date and time with its time zone.';

/** `from`: a clinic day (its first moment in the clinic's zone) or an exact instant. */
export const dayStartOrInstant = z.union([
  z.iso.date().transform((d) => clinicTimeToUtc(d, 0)),
  instant,
], DAY_OR_INSTANT);

/** `to` (exclusive): a clinic day counts whole, so from=to=one day lists that day; or an exact instant. */
export const dayEndOrInstant = z.union([
  z.iso.date().transform((d) => clinicTimeToUtc(nextDay(d), 0)),
  instant,
], DAY_OR_INSTANT);

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

const note = z.string().trim().max(2000, 'At most 2000 characters.').regex(TEXT, 'Remove control characters.').refine(isWellFormedText, NOT_TEXT).nullish().transform((v) => (v ? v : null));

export const requestDiagnosticInput = z.object({ diagnosticId: recordId, note }).strict();
export type RequestDiagnosticInput = z.input<typeof requestDiagnosticInput>;

export const scheduleRequestInput = z.object({ startsAt: instant }).strict();
export type ScheduleRequestInput = z.input<typeof scheduleRequestInput>;

export const bookDiagnosticInput = z.object({ patientId: recordId, diagnosticId: recordId, startsAt: instant, note }).strict();
export type BookDiagnosticInput = z.input<typeof bookDiagnosticInput>;

export const bookVisitInput = z.object({ patientId: recordId, doctorId: recordId, startsAt: instant, note }).strict();
export type BookVisitInput = z.input<typeof bookVisitInput>;

export const cancelInput = z.object({
  reason: z.string().trim().max(500, 'At most 500 characters.').regex(TEXT, 'Remove control characters.').refine(isWellFormedText, NOT_TEXT).nullish().transform((v) => (v ? v : null)),
}).strict();
export type CancelInput = z.input<typeof cancelInput>;

export const freeSlotsQuery = z.object({
  doctorId: recordId.optional(),
  diagnosticId: recordId.optional(),
  date: z.iso.date({ message: 'Give a day as YYYY-MM-DD.' }),
  patientId: recordId.optional(),
}).strict().refine((q) => (q.doctorId === undefined) !== (q.diagnosticId === undefined), {
  message: 'Choose either a doctor or a diagnostic.',
  path: ['doctorId'],
});
export type FreeSlotsQuery = z.input<typeof freeSlotsQuery>;

const STATUS_CHOICE = `Use ${APPOINTMENT_STATUSES.join(', ')}, or several separated by commas.`;

export const APPOINTMENT_SORT_KEYS = ['startsAt', 'createdAt', 'status'] as const;

const statuses = z.preprocess(
  (v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v),
  z.array(z.enum(APPOINTMENT_STATUSES)).min(1),
);

export const appointmentListQuery = pageQuery.extend({
  status: z.union([z.enum(APPOINTMENT_STATUSES).transform((s) => [s]), statuses], STATUS_CHOICE).optional(),
  kind: z.enum(APPOINTMENT_KINDS).optional(),
  from: dayStartOrInstant.optional(),
  to: dayEndOrInstant.optional(),
  doctorId: recordId.optional(),
  diagnosticId: recordId.optional(),
  patientId: recordId.optional(),
  sort: sortParam(APPOINTMENT_SORT_KEYS, '-createdAt'),
});
export type AppointmentListQuery = z.input<typeof appointmentListQuery>;

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input ?? {});
  if (!parsed.success) throw fromZod(parsed.error);
  return parsed.data;
}
