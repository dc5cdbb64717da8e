import { SYSTEM_ACTOR } from '../access/actor.js';
import { config } from '../config.js';
import { db } from '../db/data-source.js';
import { Appointment } from '../db/entities/appointment.js';
import type { NotificationData } from '../notifications/kinds.js';
import { inTransaction } from '../shared/unit-of-work.js';
import { notifyMany } from './outbox.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The 24-hour reminder (SPEC §5): every scheduled appointment that starts
 * within the next 24 hours and has not started yet gets one reminder. The
 * job runs every 15 minutes; the dedupe key names the appointment and its
 * start, so running twice or late sends nothing twice, and a moved
 * appointment is reminded of its new time.
 */
export async function queueAppointmentReminders(now: Date): Promise<number> {
  const due = await db()
    .getRepository(Appointment)
    .createQueryBuilder('a')
    .innerJoin('a.patient', 'p')
    .leftJoin('a.diagnostic', 'd')
    .leftJoin('a.doctor', 'doc')
    .select(['a.id', 'a.kind', 'a.startsAt', 'p.id', 'p.email', 'p.firstName', 'd.name', 'doc.lastName'])
    .where('a.status = :status', { status: 'scheduled' })
    .andWhere('a.startsAt > :now AND a.startsAt <= :until', { now, until: new Date(now.getTime() + DAY_MS) })
    .getMany();
  if (due.length === 0) return 0;
  const c = config().clinic;
  await inTransaction(SYSTEM_ACTOR, (w) => notifyMany(w.manager, due.map((a) => {
    const data: NotificationData['appointment_reminder'] = {
      firstName: a.patient.firstName,
      what: a.kind === 'visit' && a.doctor ? `a visit with Dr. ${a.doctor.lastName}` : (a.diagnostic?.name ?? 'an appointment'),
      startsAt: a.startsAt!.toISOString(),
      where: `${c.name}, ${c.address}`,
      appointmentId: a.id,
    };
    return {
      kind: 'appointment_reminder',
      toEmail: a.patient.email,
      recipientUserId: a.patient.id,
      data: { ...data },
      dedupeKey: `reminder:appointment:${a.id}:${a.startsAt!.toISOString()}`,
    };
  })));
  return due.length;
}
