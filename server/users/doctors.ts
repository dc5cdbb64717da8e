import { MoreThan } from 'typeorm';
import { z } from 'zod';
import type { Actor } from '../access/actor.js';
import { requireAccess } from '../access/policy.js';
import { Appointment } from '../db/entities/appointment.js';
import { DoctorProfile } from '../db/entities/doctor-profile.js';
import { User } from '../db/entities/user.js';
import { clock } from '../shared/clock.js';
import { NotFound } from '../shared/errors.js';
import { diff, inTransaction } from '../shared/unit-of-work.js';
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
    const profile = doctor && (await w.manager.findOneBy(DoctorProfile, { userId: doctorId }));
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

    const visits = await w.manager.find(Appointment, {
      where: { doctorId, status: 'scheduled', startsAt: MoreThan(clock.now()) },
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
        dedupeKey: `visits_to_rebook:doctor:${doctor.id}:${stamp}:operator:${operator.id}`,
      });
    }
  });
}
