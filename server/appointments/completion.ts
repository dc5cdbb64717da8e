import { SYSTEM_ACTOR } from '../access/actor.js';
import { db } from '../db/data-source.js';
import { Appointment } from '../db/entities/appointment.js';
import { AuditEvent } from '../db/entities/audit-event.js';
import { clock } from '../shared/clock.js';
import { auditRow, inTransaction } from '../shared/unit-of-work.js';

const BATCH = 500;

/**
 * The scheduled job of SPEC §5 "marking past appointments completed":
 * every scheduled appointment whose end has passed becomes completed, in
 * batches so a backlog never holds one long transaction. Returns how many.
 */
export async function completePastAppointments(now: Date = clock.now()): Promise<number> {
  let done = 0;
  for (;;) {
    const due = await db().getRepository(Appointment).createQueryBuilder('a')
      .select(['a.id', 'a.patientId', 'a.doctorId'])
      .where('a.status = :status AND a.endsAt <= :now', { status: 'scheduled', now })
      .orderBy('a.endsAt', 'ASC')
      .limit(BATCH)
      .getMany();
    if (due.length === 0) return done;
    const completed = await inTransaction(SYSTEM_ACTOR, async (w) => {
      const ids = due.map((a) => a.id);
      // Only rows still scheduled: one cancelled meanwhile stays cancelled.
      const result = await w.manager.createQueryBuilder().update(Appointment)
        .set({ status: 'completed' })
        .where('id IN (:...ids) AND status = :status', { ids, status: 'scheduled' })
        .execute();
      const still = await w.manager.getRepository(Appointment).createQueryBuilder('a')
        .select(['a.id', 'a.patientId', 'a.doctorId'])
        .where('a.id IN (:...ids) AND a.status = :status', { ids, status: 'completed' })
        .getMany();
      if (still.length > 0) {
        await w.manager.insert(AuditEvent, still.map((a) => auditRow(SYSTEM_ACTOR, {
          action: 'appointment.complete', resource: 'appointment', recordId: a.id, patientId: a.patientId,
          changes: { status: { before: 'scheduled', after: 'completed' } },
        })));
      }
      for (const a of still) w.changed({ resource: 'appointment', id: a.id, action: 'updated', patientId: a.patientId, doctorId: a.doctorId });
      return result.affected ?? still.length;
    });
    done += completed;
    if (due.length < BATCH) return done;
  }
}
