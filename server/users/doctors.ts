import { MoreThan } from 'typeorm';
import { z } from 'zod';
import type { Actor } from '../access/actor.js';
import { requireAccess } from '../access/policy.js';
import { isMariaDb } from '../db/data-source.js';
import { Appointment } from '../db/entities/appointment.js';
import { DoctorProfile } from '../db/entities/doctor-profile.js';
import { User } from '../db/entities/user.js';
import { clock } from '../shared/clock.js';
import { NotFound } from '../shared/errors.js';
import { diff, inTransaction, type Work } from '../shared/unit-of-work.js';
import { fullName, parseUserId } from './common.js';
import { parseInput } from './schemas.js';

/**
 * The "block doctor" switch (rule 6): no new bookings while off; the visits
 * already booked stay, and every operator gets the list to rebook.
 * Switching to the state it is already in changes nothing and mails nobody.
 */
export async function setDoctorAccepting(actor: Actor, doctorId: number, accepting: boolean): Promise<void> {
  requireAccess(actor, 'doctor.setAccepting');
  doctorId = parseUserId(doctorId);
  accepting = parseInput(z.boolean('Say whether the doctor accepts bookings.'), accepting);
  await inTransaction(actor, async (w) => {
    const doctor = await w.manager.findOneBy(User, { id: doctorId, role: 'doctor' });
    // Locked on MariaDB: two clicks at once take turns, and the second sees the switch already moved.
    const query = w.manager.getRepository(DoctorProfile).createQueryBuilder('p').where('p.userId = :id', { id: doctorId });
    if (isMariaDb(w.manager.connection)) query.setLock('pessimistic_write');
    const profile = doctor && (await query.getOne());
    if (!doctor || !profile) throw new NotFound('Doctor');
    if (profile.acceptingBookings === accepting) return;

    await w.manager.update(DoctorProfile, { userId: doctorId }, { acceptingBookings: accepting });
    await w.audit({
      action: 'doctor.setAccepting', resource: 'doctorProfile', recordId: doctorId,
      changes: diff({ acceptingBookings: profile.acceptingBookings }, { acceptingBookings: accepting }),
    });
    const stamp = clock.now().getTime();
    await w.notify({
      kind: accepting ? 'doctor_unblocked' : 'doctor_blocked', toEmail: doctor.email, recipientUserId: doctor.id,
      data: { firstName: doctor.firstName }, dedupeKey: `${accepting ? 'doctor_unblocked' : 'doctor_blocked'}:user:${doctor.id}:${stamp}`,
    });
    if (accepting) return;
    await tellOperatorsToRebook(w, doctor, `${stamp}`);
  });
}

/**
 * Rule 6's list: every active operator gets the doctor's visits ahead, to
 * move them. Used when the bookings switch goes off and when the doctor's
 * account is blocked; `occasion` keeps each occurrence's mails apart.
 */
export async function tellOperatorsToRebook(w: Work, doctor: User, occasion: string): Promise<void> {
  const visits = await w.manager.find(Appointment, {
    where: { doctorId: doctor.id, status: 'scheduled', startsAt: MoreThan(clock.now()) },
    relations: { patient: true },
    order: { startsAt: 'ASC' },
  });
  if (!visits.length) return;
  const list = visits.map((v) => ({ appointmentId: v.id, startsAt: v.startsAt!.toISOString(), patientName: fullName(v.patient) }));
  const operators = await w.manager.findBy(User, { role: 'operator', isActive: true, isBlocked: false });
  for (const operator of operators) {
    await w.notify({
      kind: 'visits_to_rebook', toEmail: operator.email, recipientUserId: operator.id,
      data: { firstName: operator.firstName, doctorName: fullName(doctor), visits: list },
      dedupeKey: `visits_to_rebook:doctor:${doctor.id}:${occasion}:operator:${operator.id}`,
    });
  }
}
