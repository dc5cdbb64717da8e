import { userActor, type Actor } from '../access/actor.js';
import type { Role } from '../access/roles.js';
import { db } from '../db/data-source.js';
import { DoctorProfile } from '../db/entities/doctor-profile.js';
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
