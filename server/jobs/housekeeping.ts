import { LessThan } from 'typeorm';
import { config } from '../config.js';
import { db } from '../db/data-source.js';
import { LoginAttempt } from '../db/entities/login-attempt.js';
import { OneTimeToken } from '../db/entities/one-time-token.js';

/**
 * Scheduled upkeep. Each job states its condition in its WHERE clause, so
 * running it twice or late changes nothing more than running it once.
 * (Marking past appointments completed is the bookings' own
 * `completePastAppointments`; the worker only schedules it.)
 */

/** Expired one-time tokens, and login attempts older than the retention, are removed. */
export async function removeExpiredRecords(now: Date): Promise<{ tokens: number; loginAttempts: number }> {
  const tokens = await db().getRepository(OneTimeToken).delete({ expiresAt: LessThan(now) });
  const cutoff = new Date(now.getTime() - config().loginAttemptRetentionDays * 24 * 60 * 60 * 1000);
  const attempts = await db().getRepository(LoginAttempt).delete({ at: LessThan(cutoff) });
  return { tokens: tokens.affected ?? 0, loginAttempts: attempts.affected ?? 0 };
}
