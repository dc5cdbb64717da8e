import type { ActionContext } from 'adminjs';
import type { Actor } from '../../server/access/actor.js';
import { db } from '../../server/db/data-source.js';
import { DoctorProfile } from '../../server/db/entities/doctor-profile.js';
import { config } from '../../server/config.js';
import { clinicParts, clinicZoneCaption, formatClinicTime, formatClinicTimeWithZone } from '../../server/shared/clinic-time.js';
import { clock } from '../../server/shared/clock.js';
import { numberField, serviceAction, recordHref, type FormData } from '../action-kit.js';
import { services } from '../services.js';

/**
 * Booking actions: the slot picker asks the booking service for free slots
 * (GET, changes nothing); the POST books through the same service that
 * guards against double booking.
 */
function recordIdOf(context: ActionContext): number {
  return Number(context.record?.id());
}

/**
 * The day picker offers clinic days from today to 180 days ahead (SPEC rule
 * 3), counted on the clinic's calendar; the chosen day ("2026-12-01") is a
 * clinic day whatever zone the browser is in, and the service reads it so.
 */
function clinicDays(): NonNullable<FormData['days']> {
  const today = clinicParts(clock.now()).date;
  const last = new Date(`${today}T12:00:00Z`);
  last.setUTCDate(last.getUTCDate() + 180);
  const zone = config().clinic.timeZone;
  return { min: today, max: last.toISOString().slice(0, 10), zone: `${clinicZoneCaption(zone)} (${zone})` };
}

async function slotsFor(actor: Actor, query: { doctorId?: number; diagnosticId?: number; date?: string; patientId?: number }): Promise<Pick<FormData, 'slots' | 'slotHint' | 'days'>> {
  const days = clinicDays();
  if (!query.date || (!query.doctorId && !query.diagnosticId)) return { days, slots: [], slotHint: 'Pick a day to see the free times.' };
  try {
    const free = await services.freeSlots(actor, query as never);
    const slots = normaliseSlots(free).map((startsAt) => ({ startsAt: startsAt.toISOString(), label: formatClinicTime(startsAt).slice(-5) }));
    return { days, slots, slotHint: slots.length ? undefined : 'No free times that day.' };
  } catch (err) {
    return { days, slots: [], slotHint: err instanceof Error ? err.message : 'No free times that day.' };
  }
}

/** The booking service answers with dates or {startsAt} objects; the picker needs dates. */
function normaliseSlots(free: unknown): Date[] {
  const list = Array.isArray(free) ? free : ((free as { slots?: unknown[] })?.slots ?? []);
  return list
    .map((s) => (s instanceof Date || typeof s === 'string' ? new Date(s) : new Date((s as { startsAt: string | Date }).startsAt)))
    .filter((d) => !Number.isNaN(d.getTime()));
}

async function doctorChoices(): Promise<{ value: string; label: string }[]> {
  const profiles = await db().getRepository(DoctorProfile).createQueryBuilder('p')
    .innerJoinAndSelect('p.user', 'u')
    .where('p.acceptingBookings = :yes AND u.isBlocked = :no AND u.isActive = :yes', { yes: true, no: false })
    .orderBy('u.lastName', 'ASC')
    .getMany();
  return profiles.map((p) => ({ value: String(p.userId), label: `Dr ${p.user.firstName} ${p.user.lastName} · ${p.specialty}` }));
}

/** On a patient: book a doctor visit into a free slot. */
export function bookVisitAction() {
  return serviceAction({
    actionType: 'record', label: 'Book a doctor visit', icon: 'Calendar', access: 'appointment.schedule',
    audit: { action: 'appointment.book', resource: 'appointment', forPatient: true },
    appliesTo: (r) => r.isBlocked !== true,
    fields: [
      { name: 'doctorId', label: 'Doctor', type: 'select', required: true, refreshes: true },
      { name: 'date', label: 'Day', type: 'date', required: true, refreshes: true },
      { name: 'startsAt', label: 'Free times', type: 'slot', required: true },
      { name: 'note', label: 'Note', type: 'textarea' },
    ],
    form: async (actor, q, c) => ({
      choices: { doctorId: await doctorChoices() },
      ...(await slotsFor(actor, { doctorId: Number(q.doctorId) || undefined, date: q.date, patientId: recordIdOf(c) })),
    }),
    run: async (actor, p, c) => {
      const visit = await services.bookVisit(actor, {
        patientId: recordIdOf(c), doctorId: numberField(p, 'doctorId', 'Choose a doctor from the list.') as number, startsAt: p.startsAt ?? '', note: p.note || undefined,
      });
      return { message: 'The visit is booked.', redirectUrl: recordHref('Appointments', visit.id) };
    },
  });
}

/** On a request: give it a date from the diagnostic's free slots. */
export function scheduleRequestAction() {
  return serviceAction({
    actionType: 'record', label: 'Schedule', icon: 'Clock', access: 'appointment.schedule',
    audit: { action: 'appointment.schedule', resource: 'appointment' },
    appliesTo: (r) => r.status === 'requested',
    fields: [
      { name: 'date', label: 'Day', type: 'date', required: true, refreshes: true },
      { name: 'startsAt', label: 'Free times', type: 'slot', required: true },
    ],
    form: async (actor, q, c) => {
      const params = c.record?.params ?? {};
      return {
        info: requestSummary(c),
        ...(await slotsFor(actor, { diagnosticId: Number(params.diagnosticId), date: q.date, patientId: Number(params.patientId) })),
      };
    },
    run: async (actor, p, c) => {
      await services.scheduleRequest(actor, recordIdOf(c), { startsAt: p.startsAt ?? '' });
      return { message: 'The request is scheduled.', redirectUrl: recordHref('Appointments', recordIdOf(c)) };
    },
  });
}

/** "MRI for Åsa Lind, asked for Sun 15 Nov 2026, 03:44 CET": what is being scheduled, in the clinic's words. */
function requestSummary(context: ActionContext): string {
  const record = context.record;
  if (!record) return '';
  const title = (path: string) => {
    const populated = record.populated[path];
    return populated ? String(populated.get('name') ?? '') : '';
  };
  const created = record.get('createdAt');
  const asked = created ? `, asked for ${formatClinicTimeWithZone(new Date(created as string))}` : '';
  const patient = title('patientId');
  return `${title('diagnosticId') || 'Diagnostic'}${patient ? ` for ${patient}` : ''}${asked}`;
}

/** Cancel a dated appointment, or withdraw an undated request, with a reason. */
export function cancelAction(label: 'Cancel' | 'Withdraw') {
  return serviceAction({
    actionType: 'record', label, icon: 'XCircle', variant: 'danger', access: 'appointment.cancel',
    audit: { action: 'appointment.cancel', resource: 'appointment' },
    appliesTo: (r) => (label === 'Withdraw' ? r.status === 'requested' : r.status === 'scheduled'),
    intro: label === 'Withdraw'
      ? 'The request leaves the waiting list and the patient is told by email.'
      : 'The patient (and the doctor) are told by email; the time is free for others at once.',
    fields: [{ name: 'reason', label: 'Reason', type: 'textarea' }],
    run: async (actor, p, c) => {
      const cancel = label === 'Withdraw' ? services.withdrawRequest : services.cancelAppointment;
      await cancel(actor, recordIdOf(c), { reason: p.reason || null });
      // A withdrawn request is no longer waiting: its page is under Appointments, with every booking.
      return { message: label === 'Withdraw' ? 'The request is withdrawn.' : 'The appointment is cancelled.', redirectUrl: recordHref('Appointments', recordIdOf(c)) };
    },
  });
}
