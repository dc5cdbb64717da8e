import { SYSTEM_ACTOR } from '../access/actor.js';
import { db } from '../db/data-source.js';
import { Appointment } from '../db/entities/appointment.js';
import type { NotificationData } from '../notifications/kinds.js';
import { clock } from '../shared/clock.js';
import { inTransaction } from '../shared/unit-of-work.js';
import { appointmentWhat } from './notices.js';
import { clinicPlace } from './participants.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The 24-hour reminder of SPEC §5. The worker runs this often (e.g. every
 * 5 minutes); each scheduled appointment starting in (now, now + 24 h] gets
 * one outbox row whose dedupe key carries the start time, so later runs
 * write nothing new, and a moved appointment is reminded of its new time.
 * Returns how many appointments were in the window.
 */
export async function queueReminders(now: Date = clock.now()): Promise<number> {
  const until = new Date(now.getTime() + DAY_MS);
  const due = await db().getRepository(Appointment).createQueryBuilder('a')
    .innerJoin('a.patient', 'patient').addSelect(['patient.id', 'patient.email', 'patient.firstName'])
    .leftJoin('a.doctor', 'doctor').addSelect(['doctor.id', 'doctor.lastName'])
    .leftJoin('a.diagnostic', 'diagnostic').addSelect(['diagnostic.id', 'diagnostic.name'])
    .where('a.status = :status AND a.startsAt > :now AND a.startsAt <= :until', { status: 'scheduled', now, until })
    .orderBy('a.startsAt', 'ASC')
    .getMany();
  for (let i = 0; i < due.length; i += 200) {
    await inTransaction(SYSTEM_ACTOR, async (w) => {
      for (const a of due.slice(i, i + 200)) {
        const data: NotificationData['appointment_reminder'] = {
          firstName: a.patient.firstName, what: appointmentWhat(a, a.diagnostic, a.doctor),
          startsAt: a.startsAt!.toISOString(), where: clinicPlace(), appointmentId: a.id,
        };
        await w.notify({
          kind: 'appointment_reminder', toEmail: a.patient.email, recipientUserId: a.patient.id, data: { ...data },
          dedupeKey: `reminder:appointment:${a.id}:${a.startsAt!.toISOString()}`,
        });
      }
    });
  }
  return due.length;
}
