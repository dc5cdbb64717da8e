import type { Actor } from '../access/actor.js';
import { can, requireAccess, requireVisible } from '../access/policy.js';
import { Appointment } from '../db/entities/appointment.js';
import { Diagnostic } from '../db/entities/diagnostic.js';
import { User } from '../db/entities/user.js';
import { clock } from '../shared/clock.js';
import { Conflict } from '../shared/errors.js';
import { diff, inTransaction } from '../shared/unit-of-work.js';
import { notifyCancelled } from './notices.js';
import { releaseSlots } from './occupancy.js';
import { getAppointment, type AppointmentView } from './queries.js';
import { appointmentSnapshot, lockAppointment } from './records.js';
import { skipReminders } from './reminders.js';
import { cancelInput, parseInput, recordId, type CancelInput } from './schemas.js';

/** How long before its start a patient may still cancel online (rule 4). */
export const PATIENT_CANCEL_HOURS = 24;

/**
 * Rules 4 and 5. A patient withdraws an undated request at any time and
 * cancels their own appointment until 24 hours before it; operators, admins
 * and the superuser cancel any appointment before it starts. The slot rows go
 * in the same transaction, so the time is free the moment this commits, and
 * so do its reminders not yet sent: nobody is reminded of a cancelled visit.
 * Cancelling what is already cancelled changes nothing and mails nobody.
 */
export async function cancelAppointment(actor: Actor, appointmentId: number, input: CancelInput = {}): Promise<AppointmentView> {
  requireAccess(actor, 'appointment.cancel', 'appointment.requestOwn');
  const id = parseInput(recordId, appointmentId);
  const { reason } = parseInput(cancelInput, input);
  await inTransaction(actor, async (w) => {
    const appointment = await lockAppointment(w.manager, id);
    requireVisible(actor, appointment, 'Appointment', ['appointment.cancel'], 'appointment.requestOwn');
    if (appointment.status === 'cancelled') return;
    const byPatient = !can(actor, 'appointment.cancel');
    assertCancellable(appointment, byPatient);
    const now = clock.now();
    const before = appointmentSnapshot(appointment);
    Object.assign(appointment, { status: 'cancelled', cancelledById: actor.id, cancelledAt: now, cancelReason: reason } satisfies Partial<Appointment>);
    await w.manager.getRepository(Appointment).update(
      { id },
      { status: 'cancelled', cancelledById: actor.id, cancelledAt: now, cancelReason: reason },
    );
    await releaseSlots(w, id);
    if (before.status === 'scheduled') await skipReminders(w.manager, id);
    const wasRequest = before.status === 'requested';
    await w.audit({
      action: wasRequest && byPatient ? 'appointment.withdraw' : 'appointment.cancel',
      resource: 'appointment', recordId: id, patientId: appointment.patientId,
      changes: diff(before, appointmentSnapshot(appointment)),
    });
    const [patient, doctor, diagnostic] = await Promise.all([
      w.manager.getRepository(User).findOneByOrFail({ id: appointment.patientId }),
      appointment.doctorId ? w.manager.getRepository(User).findOneBy({ id: appointment.doctorId }) : null,
      appointment.diagnosticId ? w.manager.getRepository(Diagnostic).findOneBy({ id: appointment.diagnosticId }) : null,
    ]);
    await notifyCancelled(w, appointment, { patient, doctor, diagnostic, byPatient });
    w.changed({ resource: 'appointment', id, action: 'updated', patientId: appointment.patientId, doctorId: appointment.doctorId });
  });
  return getAppointment(actor, id);
}

/** Rule 5 by its own name: a patient takes back a request that has no date yet. */
export async function withdrawRequest(actor: Actor, appointmentId: number, input: CancelInput = {}): Promise<AppointmentView> {
  const current = await getAppointment(actor, parseInput(recordId, appointmentId));
  if (current.status === 'scheduled' || current.status === 'completed') {
    throw new Conflict('This request already has a date; cancel the appointment instead.');
  }
  return cancelAppointment(actor, appointmentId, input);
}

function assertCancellable(a: Appointment, byPatient: boolean): void {
  if (a.status === 'completed') throw new Conflict('This appointment has already taken place and cannot be cancelled.');
  if (a.status === 'requested') return;
  const now = clock.now().getTime();
  const startsAt = a.startsAt!.getTime();
  if (startsAt <= now) throw new Conflict('This appointment has already started and can no longer be cancelled.');
  if (byPatient && startsAt - now < PATIENT_CANCEL_HOURS * 3_600_000) {
    throw new Conflict(`Appointments can be cancelled online until ${PATIENT_CANCEL_HOURS} hours before they start. Please call the clinic to cancel this one.`);
  }
}
