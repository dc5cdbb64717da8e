import { In, type EntityManager } from 'typeorm';
import { SYSTEM_ACTOR } from '../access/actor.js';
import { db } from '../db/data-source.js';
import { Appointment } from '../db/entities/appointment.js';
import { Notification } from '../db/entities/notification.js';
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
          dedupeKey: reminderKey(a.id, a.startsAt!),
        });
      }
    });
  }
  return due.length;
}

/** One reminder per appointment and start time: a moved appointment gets a new key. */
export function reminderKey(appointmentId: number, startsAt: Date): string {
  return `reminder:appointment:${appointmentId}:${startsAt.toISOString()}`;
}

/**
 * Marks the appointment's reminders that have not gone out `skipped`, in the
 * caller's transaction (a cancellation), so the worker completes their jobs
 * without sending, also one waiting for a retry after an SMTP error. A mail
 * already handed to the SMTP server at this moment cannot be called back.
 */
export async function skipReminders(manager: EntityManager, appointmentId: number): Promise<void> {
  await manager.createQueryBuilder().update(Notification).set({ status: 'skipped' })
    // The trailing colon keeps appointment 4 from matching 42; the unique key index serves the prefix.
    .where('dedupeKey LIKE :prefix AND status IN (:...open)', { prefix: `reminder:appointment:${appointmentId}:%`, open: ['pending', 'queued'] })
    .execute();
}

/**
 * Of the rows about to be delivered, the reminders that no longer hold: their
 * appointment is gone, not scheduled, or starts at another time than the
 * reminder says. The worker asks just before sending, which catches what a
 * cancellation's `skipReminders` cannot: an admin's retry of a failed
 * reminder after the cancellation, or a start moved without a cancellation.
 */
export async function staleReminders(rows: Pick<Notification, 'id' | 'kind' | 'data'>[]): Promise<Set<number>> {
  const reminders = rows.filter((r) => r.kind === 'appointment_reminder');
  if (reminders.length === 0) return new Set();
  const appointmentIds = [...new Set(reminders.map((r) => Number(r.data.appointmentId)).filter(Number.isInteger))];
  const appointments = appointmentIds.length
    ? await db().getRepository(Appointment).find({ select: { id: true, status: true, startsAt: true }, where: { id: In(appointmentIds) } })
    : [];
  const dueAt = new Map(appointments.filter((a) => a.status === 'scheduled' && a.startsAt).map((a) => [a.id, a.startsAt!.toISOString()]));
  return new Set(reminders.filter((r) => dueAt.get(Number(r.data.appointmentId)) !== r.data.startsAt).map((r) => r.id));
}
