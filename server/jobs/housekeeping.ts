import { In, LessThan, LessThanOrEqual } from 'typeorm';
import { SYSTEM_ACTOR } from '../access/actor.js';
import { config } from '../config.js';
import { db } from '../db/data-source.js';
import { Appointment } from '../db/entities/appointment.js';
import { LoginAttempt } from '../db/entities/login-attempt.js';
import { OneTimeToken } from '../db/entities/one-time-token.js';
import { inTransaction } from '../shared/unit-of-work.js';

/**
 * Scheduled upkeep. Each job states its condition in its WHERE clause, so
 * running it twice or late changes nothing more than running it once.
 */

/** Scheduled appointments whose end has passed become completed; each change is audited and announced. */
export async function completePastAppointments(now: Date): Promise<number> {
  let total = 0;
  for (;;) {
    const page = await db().getRepository(Appointment).find({
      select: { id: true, patientId: true, doctorId: true },
      where: { status: 'scheduled', endsAt: LessThanOrEqual(now) },
      order: { id: 'ASC' },
      take: 500,
    });
    if (page.length === 0) return total;
    await inTransaction(SYSTEM_ACTOR, async (w) => {
      await w.manager.update(Appointment, { id: In(page.map((a) => a.id)), status: 'scheduled' }, { status: 'completed' });
      for (const a of page) {
        await w.audit({
          action: 'appointment.complete', resource: 'appointment', recordId: a.id, patientId: a.patientId,
          changes: { status: { before: 'scheduled', after: 'completed' } },
        });
        w.changed({ resource: 'appointment', id: a.id, action: 'updated', patientId: a.patientId, doctorId: a.doctorId });
      }
    });
    total += page.length;
  }
}

/** Expired one-time tokens, and login attempts older than the retention, are removed. */
export async function removeExpiredRecords(now: Date): Promise<{ tokens: number; loginAttempts: number }> {
  const tokens = await db().getRepository(OneTimeToken).delete({ expiresAt: LessThan(now) });
  const cutoff = new Date(now.getTime() - config().loginAttemptRetentionDays * 24 * 60 * 60 * 1000);
  const attempts = await db().getRepository(LoginAttempt).delete({ at: LessThan(cutoff) });
  return { tokens: tokens.affected ?? 0, loginAttempts: attempts.affected ?? 0 };
}
