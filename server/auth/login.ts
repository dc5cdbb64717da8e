import { z } from 'zod';
import { isStaff } from '../access/roles.js';
import { fromZod } from '../http/errors.js';
import { db } from '../db/data-source.js';
import { LoginAttempt } from '../db/entities/login-attempt.js';
import { User } from '../db/entities/user.js';
import { clock } from '../shared/clock.js';
import { TooManyRequests, Unauthenticated } from '../shared/errors.js';
import { dummyPasswordHash, verifyPassword } from '../shared/password.js';
import type { Channel } from './session.js';

/**
 * Login of SPEC rule 12. Every attempt is a row in login_attempts, and the
 * locks are counted from those rows: they hold across web instances and no
 * cookie, session or forged header resets them (the IP is `req.ip`, which
 * trusts X-Forwarded-For only from configured proxies).
 */
export const LOCK_AFTER_FAILURES = 5;
export const LOCK_MS = 10 * 60_000;
/**
 * Accounts one IP may fail on within LOCK_MS before it is stopped (password
 * spraying). Counted in distinct emails: many failures on one account are the
 * account lock's business, and counting them here would shut a whole clinic's
 * NAT out after a few people mistyped.
 */
export const IP_FAILURE_CEILING = 30;

export const WRONG_CREDENTIALS = 'Email or password is wrong.';

export const loginInput = z.strictObject({
  email: z.string().trim().min(1, 'Enter your email.').max(254),
  password: z.string().min(1, 'Enter your password.').max(1000),
});
export type LoginInput = z.infer<typeof loginInput>;

export interface LoginClient {
  ip: string;
  userAgent?: string | null;
  channel: Channel;
}

export type LoginReason = 'pending' | 'ok' | 'bad_credentials' | 'inactive' | 'blocked' | 'locked' | 'wrong_door';

/** Checks credentials and the locks; returns the user (the caller then calls establishSession). */
export async function login(input: LoginInput, client: LoginClient): Promise<User> {
  const parsed = loginInput.safeParse(input);
  if (!parsed.success) throw fromZod(parsed.error);
  const email = normalizeEmail(parsed.data.email);
  const ip = client.ip || 'unknown';
  const now = clock.now();

  // The attempt is written first and judged against the attempts before it,
  // so a burst of parallel guesses cannot all slip past the count: the sixth
  // of them sees five earlier rows. Its outcome is filled in below.
  const attemptId = await record(email, client, now);
  const lockedFor = (await accountLockRemaining(email, ip, now, attemptId)) ?? (await ipLockRemaining(ip, now, attemptId));
  if (lockedFor !== null) {
    await settle(attemptId, false, 'locked');
    throw new TooManyRequests('Too many failed attempts. Please wait before trying again.', lockedFor / 1000);
  }

  const user = await db()
    .getRepository(User)
    .createQueryBuilder('u')
    .addSelect('u.passwordHash')
    .where('u.email = :email', { email })
    .getOne();
  // The same argon2 work whether or not the account exists (rule 12).
  const passwordOk = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), parsed.data.password);
  if (!user || !user.passwordHash || !passwordOk) {
    await settle(attemptId, false, 'bad_credentials');
    throw new Unauthenticated(WRONG_CREDENTIALS);
  }
  // Staff may not use the portal, patients never the panel: answered like a wrong password.
  const door: Channel = isStaff(user.role) ? 'panel' : 'portal';
  if (door !== client.channel) {
    await settle(attemptId, false, 'wrong_door');
    throw new Unauthenticated(WRONG_CREDENTIALS);
  }
  // Only someone holding the right password learns about these states.
  if (user.isBlocked) {
    await settle(attemptId, false, 'blocked');
    throw new Unauthenticated('This account is blocked. Please contact the clinic.');
  }
  if (!user.isActive) {
    await settle(attemptId, false, 'inactive');
    throw new Unauthenticated('This account is not activated yet. Open the link in the email we sent you.');
  }

  await settle(attemptId, true, 'ok');
  await db().getRepository(User).update({ id: user.id }, { lastLoginAt: now });
  user.lastLoginAt = now;
  delete (user as Partial<User>).passwordHash;
  return user;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Milliseconds left on the (email, ip) lock, or null. Locked when the last
 * five attempts since the last success are failures that fell within ten
 * minutes of each other; the lock lasts ten minutes from the fifth.
 * Attempts refused while locked do not count, so waiting always ends it.
 */
async function accountLockRemaining(email: string, ip: string, now: Date, beforeId: number): Promise<number | null> {
  const recent = await db()
    .getRepository(LoginAttempt)
    .createQueryBuilder('a')
    .select(['a.at', 'a.success'])
    .where('a.email = :email AND a.ip = :ip AND a.at > :since AND a.reason <> :locked AND a.id < :beforeId', {
      email, ip, since: new Date(now.getTime() - 2 * LOCK_MS), locked: 'locked', beforeId,
    })
    .orderBy('a.at', 'DESC')
    .addOrderBy('a.id', 'DESC')
    .limit(LOCK_AFTER_FAILURES)
    .getMany();
  if (recent.length < LOCK_AFTER_FAILURES || recent.some((a) => a.success)) return null;
  const fifth = recent[0].at.getTime();
  const first = recent[LOCK_AFTER_FAILURES - 1].at.getTime();
  if (fifth - first > LOCK_MS) return null;
  const remaining = fifth + LOCK_MS - now.getTime();
  return remaining > 0 ? remaining : null;
}

/**
 * What counts as a guess for the per-IP ceiling: a wrong password or an
 * unknown email, an attempt still being checked (or whose process died), and
 * a staff account at the portal (or a patient at the panel), which is
 * answered exactly like a wrong password and so must count like one. A right
 * password on an account not activated yet or on a blocked one is no guess,
 * and its answer says so anyway: a clinic's front desk sees many of those.
 */
const SPRAY_REASONS: LoginReason[] = ['bad_credentials', 'pending', 'wrong_door'];

/**
 * Milliseconds left on the per-IP ceiling, or null: the address is stopped
 * while it has guessed wrong on IP_FAILURE_CEILING different accounts within
 * LOCK_MS, until the oldest of those accounts' last failures ages out.
 */
async function ipLockRemaining(ip: string, now: Date, beforeId: number): Promise<number | null> {
  const accounts = await db()
    .getRepository(LoginAttempt)
    .createQueryBuilder('a')
    .select('a.email', 'email')
    .addSelect('MAX(a.at)', 'lastAt')
    .where('a.ip = :ip AND a.reason IN (:...guesses) AND a.at > :since AND a.id < :beforeId', {
      ip, guesses: SPRAY_REASONS, since: new Date(now.getTime() - LOCK_MS), beforeId,
    })
    .groupBy('a.email')
    .orderBy('lastAt', 'DESC')
    .limit(IP_FAILURE_CEILING)
    .getRawMany<{ email: string; lastAt: Date | string }>();
  if (accounts.length < IP_FAILURE_CEILING) return null;
  const oldest = asDate(accounts[IP_FAILURE_CEILING - 1].lastAt);
  return Math.max(1000, oldest.getTime() + LOCK_MS - now.getTime());
}

/** A raw DATETIME: mysql2 gives a Date; SQLite gives TypeORM's UTC text 'YYYY-MM-DD HH:MM:SS.SSS'. */
function asDate(value: Date | string): Date {
  if (value instanceof Date) return value;
  return new Date(`${value.replace(' ', 'T')}${/[Zz]|[+-]\d\d:?\d\d$/.test(value) ? '' : 'Z'}`);
}

/**
 * Writes the attempt as 'pending'. Until settled it counts as a failure, and
 * so does one whose process died mid-way.
 */
async function record(email: string, client: LoginClient, at: Date): Promise<number> {
  const result = await db().getRepository(LoginAttempt).insert({
    at,
    email: email.slice(0, 254),
    ip: (client.ip || 'unknown').slice(0, 45),
    userAgent: client.userAgent?.slice(0, 400) ?? null,
    success: false,
    reason: 'pending',
    channel: client.channel,
  });
  return Number(result.identifiers[0].id);
}

async function settle(id: number, success: boolean, reason: LoginReason): Promise<void> {
  await db().getRepository(LoginAttempt).update({ id }, { success, reason });
}
