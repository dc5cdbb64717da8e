import type { Actor } from '../access/actor.js';
import { requireAccess } from '../access/policy.js';
import { Appointment } from '../db/entities/appointment.js';
import { clock } from '../shared/clock.js';
import { Conflict } from '../shared/errors.js';
import { diff } from '../shared/unit-of-work.js';
import { notifyDiagnosticScheduled } from './notices.js';
import { bookingTransaction } from './occupancy.js';
import { bookableDiagnostic, bookablePatient } from './participants.js';
import { getAppointment, type AppointmentView } from './queries.js';
import { appointmentForUpdate, appointmentSnapshot } from './records.js';
import { assertBookableStart, endOf } from './rules.js';
import {
  bookDiagnosticInput, parseInput, scheduleRequestInput, recordId,
  type BookDiagnosticInput, type ScheduleRequestInput,
} from './schemas.js';

const NOT_WAITING: Record<string, string> = {
  scheduled: 'This request has already been scheduled.',
  cancelled: 'This request was withdrawn or cancelled.',
  completed: 'This appointment has already taken place.',
};

/**
 * Rule 1, second half: an operator (or admin) gives a patient's request its
 * date. The request row becomes the scheduled appointment, so the patient's
 * list shows one item moving from "requested" to "scheduled".
 */
export async function scheduleRequest(actor: Actor, appointmentId: number, input: ScheduleRequestInput): Promise<AppointmentView> {
  requireAccess(actor, 'appointment.schedule');
  const id = parseInput(recordId, appointmentId);
  const { startsAt } = parseInput(scheduleRequestInput, input);
  const now = clock.now();
  await bookingTransaction(actor, async (w, claim) => {
    const request = await appointmentForUpdate(w.manager, id);
    if (request.status !== 'requested') throw new Conflict(NOT_WAITING[request.status] ?? 'This request is not waiting for a date.');
    const patient = await bookablePatient(w.manager, request.patientId);
    const diagnostic = await bookableDiagnostic(w.manager, request.diagnosticId!);
    assertBookableStart(startsAt, diagnostic.durationMinutes, now);
    const before = appointmentSnapshot(request);
    Object.assign(request, {
      status: 'scheduled', startsAt, endsAt: endOf(startsAt, diagnostic.durationMinutes), bookedById: actor.id, bookedAt: now,
    } satisfies Partial<Appointment>);
    await w.manager.getRepository(Appointment).update(
      { id },
      { status: request.status, startsAt: request.startsAt, endsAt: request.endsAt, bookedById: request.bookedById, bookedAt: request.bookedAt },
    );
    await claim({
      appointmentId: id, startsAt, endsAt: request.endsAt!,
      keys: [`diagnostic:${diagnostic.id}`, `patient:${patient.id}`],
    });
    await w.audit({
      action: 'appointment.schedule', resource: 'appointment', recordId: id, patientId: patient.id,
      changes: diff(before, appointmentSnapshot(request)),
    });
    await notifyDiagnosticScheduled(w, request, patient, diagnostic);
    w.changed({ resource: 'appointment', id, action: 'updated', patientId: patient.id, doctorId: null });
  });
  return getAppointment(actor, id);
}

/** Staff book a diagnostic directly, without a waiting request (a phone call, a referral). */
export async function bookDiagnostic(actor: Actor, input: BookDiagnosticInput): Promise<AppointmentView> {
  requireAccess(actor, 'appointment.schedule');
  const data = parseInput(bookDiagnosticInput, input);
  const now = clock.now();
  const id = await bookingTransaction(actor, async (w, claim) => {
    const patient = await bookablePatient(w.manager, data.patientId);
    const diagnostic = await bookableDiagnostic(w.manager, data.diagnosticId);
    assertBookableStart(data.startsAt, diagnostic.durationMinutes, now);
    const repo = w.manager.getRepository(Appointment);
    const booking = await repo.save(repo.create({
      patientId: patient.id, kind: 'diagnostic', diagnosticId: diagnostic.id, doctorId: null,
      startsAt: data.startsAt, endsAt: endOf(data.startsAt, diagnostic.durationMinutes), status: 'scheduled',
      patientNote: data.note, bookedById: actor.id, bookedAt: now,
    }));
    await claim({
      appointmentId: booking.id, startsAt: booking.startsAt!, endsAt: booking.endsAt!,
      keys: [`diagnostic:${diagnostic.id}`, `patient:${patient.id}`],
    });
    await w.audit({
      action: 'appointment.book', resource: 'appointment', recordId: booking.id, patientId: patient.id,
      changes: diff({}, appointmentSnapshot(booking)),
    });
    await notifyDiagnosticScheduled(w, booking, patient, diagnostic);
    w.changed({ resource: 'appointment', id: booking.id, action: 'created', patientId: patient.id, doctorId: null });
    return booking.id;
  });
  return getAppointment(actor, id);
}
