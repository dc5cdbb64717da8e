import type { EntityManager } from 'typeorm';
import { Appointment } from '../db/entities/appointment.js';
import { NotFound } from '../shared/errors.js';

/** The audited fields of an appointment (the patient's note stays out of the trail). */
export function appointmentSnapshot(a: Partial<Appointment>) {
  return {
    kind: a.kind ?? null,
    status: a.status ?? null,
    patientId: a.patientId ?? null,
    diagnosticId: a.diagnosticId ?? null,
    doctorId: a.doctorId ?? null,
    startsAt: a.startsAt ?? null,
    endsAt: a.endsAt ?? null,
    bookedById: a.bookedById ?? null,
    cancelledById: a.cancelledById ?? null,
    cancelledAt: a.cancelledAt ?? null,
    cancelReason: a.cancelReason ?? null,
  };
}

/**
 * Reads an appointment for a change. On MariaDB the row is locked (FOR UPDATE)
 * so two operators scheduling, or a double-clicked cancel, take turns and the
 * second sees the first's outcome.
 */
export async function appointmentForUpdate(manager: EntityManager, id: number): Promise<Appointment> {
  const found = await lockAppointment(manager, id);
  if (!found) throw new NotFound('Appointment');
  return found;
}

/** As `appointmentForUpdate`, but null when there is none: for `requireVisible` to answer. */
export async function lockAppointment(manager: EntityManager, id: number): Promise<Appointment | null> {
  const qb = manager.getRepository(Appointment).createQueryBuilder('a').where('a.id = :id', { id });
  if (manager.connection.options.type === 'mariadb') qb.setLock('pessimistic_write');
  return qb.getOne();
}
