import { userActor, type Actor } from '../access/actor.js';
import type { Role } from '../access/roles.js';
import { db } from '../db/data-source.js';
import { AuditEvent } from '../db/entities/audit-event.js';
import { DoctorProfile } from '../db/entities/doctor-profile.js';
import { Notification } from '../db/entities/notification.js';
import { User } from '../db/entities/user.js';
import { hashPassword } from '../shared/password.js';

/**
 * Test-only: inserts a user straight into the database (tests need users in
 * every state, including ones the services refuse to create).
 */
let counter = 0;
let cachedHash: Promise<string> | undefined;
export const FIXTURE_PASSWORD = 'correct horse battery';

export async function makeUser(role: Role, overrides: Partial<User> = {}): Promise<User> {
  counter += 1;
  cachedHash ??= hashPassword(FIXTURE_PASSWORD);
  const user = db().getRepository(User).create({
    email: `${role}${counter}-${Math.random().toString(36).slice(2, 7)}@fixture.test`,
    role,
    firstName: `First${counter}`,
    lastName: `Last${counter}`,
    phone: '+46701234567',
    dateOfBirth: '1980-05-17',
    isActive: true,
    isBlocked: false,
    sessionEpoch: 0,
    passwordHash: await cachedHash,
    ...overrides,
  });
  await db().getRepository(User).insert(user);
  if (role === 'doctor') {
    await db().getRepository(DoctorProfile).insert({ userId: user.id, specialty: 'General practice', acceptingBookings: true, visitMinutes: 30 });
  }
  return db().getRepository(User).findOneByOrFail({ id: user.id });
}

export function actorOf(user: User): Actor {
  return userActor(user, { ip: '203.0.113.9', userAgent: 'vitest', requestId: 'test' });
}

/** Outbox rows of one kind to one address (what would be mailed). */
export async function outbox(kind: string, toEmail?: string): Promise<Notification[]> {
  return db().getRepository(Notification).find({ where: { kind, ...(toEmail ? { toEmail } : {}) }, order: { id: 'ASC' } });
}

/** The token from the link in the newest outbox row of a kind, as the recipient would click it. */
export async function tokenFromMail(kind: string, toEmail: string): Promise<string> {
  const rows = await outbox(kind, toEmail);
  const link = String(rows.at(-1)?.data.link ?? '');
  const token = new URL(link, 'http://x').searchParams.get('token');
  if (!token) throw new Error(`no ${kind} mail with a link to ${toEmail}`);
  return token;
}

export async function auditActions(recordId: number): Promise<string[]> {
  const rows = await db().getRepository(AuditEvent).find({ where: { resource: 'user', recordId: String(recordId) }, order: { id: 'ASC' } });
  return rows.map((r) => r.action);
}

/** Runs `promise`, expecting a refusal; returns the error. */
export async function refusal(promise: Promise<unknown>): Promise<Error & { status?: number; fields?: Record<string, string> }> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a refusal');
}
