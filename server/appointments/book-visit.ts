import type { Actor } from '../access/actor.js';
import { requireAccess } from '../access/policy.js';
import { Appointment } from '../db/entities/appointment.js';
import { clock } from '../shared/clock.js';
import { diff } from '../shared/unit-of-work.js';
import { notifyVisitBooked } from './notices.js';
import { bookingTransaction } from './occupancy.js';
import { bookableDoctor, bookablePatient } from './participants.js';
import { getAppointment, type AppointmentView } from './queries.js';
import { appointmentSnapshot } from './records.js';
import { assertBookableStart, endOf } from './rules.js';
import { bookVisitInput, parseInput, type BookVisitInput } from './schemas.js';

/**
 * An operator (or admin) books a doctor visit for a patient (rule 1). Its
 * length is the doctor's visit length; the doctor must be active, unblocked
 * and accepting bookings (rules 3 and 6); rule 2 is claimed in occupancy.ts.
 */
export async function bookVisit(actor: Actor, input: BookVisitInput): Promise<AppointmentView> {
  requireAccess(actor, 'appointment.schedule');
  const data = parseInput(bookVisitInput, input);
  const now = clock.now();
  const id = await bookingTransaction(actor, async (w, claim) => {
    const patient = await bookablePatient(w.manager, data.patientId);
    const doctor = await bookableDoctor(w.manager, data.doctorId);
    assertBookableStart(data.startsAt, doctor.profile.visitMinutes, now);
    const repo = w.manager.getRepository(Appointment);
    const visit = await repo.save(repo.create({
      patientId: patient.id, kind: 'visit', diagnosticId: null, doctorId: doctor.user.id,
      startsAt: data.startsAt, endsAt: endOf(data.startsAt, doctor.profile.visitMinutes), status: 'scheduled',
      patientNote: data.note, bookedById: actor.id, bookedAt: now,
    }));
    await claim({
      appointmentId: visit.id, startsAt: visit.startsAt!, endsAt: visit.endsAt!,
      keys: [`doctor:${doctor.user.id}`, `patient:${patient.id}`],
    });
    await w.audit({
      action: 'appointment.book', resource: 'appointment', recordId: visit.id, patientId: patient.id,
      changes: diff({}, appointmentSnapshot(visit)),
    });
    await notifyVisitBooked(w, visit, patient, doctor.user);
    w.changed({ resource: 'appointment', id: visit.id, action: 'created', patientId: patient.id, doctorId: doctor.user.id });
    return visit.id;
  });
  return getAppointment(actor, id);
}
