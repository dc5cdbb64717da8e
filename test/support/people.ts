import type { Actor } from '../../server/access/actor.js';
import type { Role } from '../../server/access/roles.js';
import { db } from '../../server/db/data-source.js';
import { DoctorProfile, User } from '../../server/db/entities/index.js';

let counter = 0;

/**
 * A user straight in the database, for tests of services that need people to
 * exist (the users service has its own tests). Active unless told otherwise.
 */
export async function makeUser(role: Role, patch: Partial<User> = {}): Promise<User> {
  counter += 1;
  const users = db().getRepository(User);
  const user = await users.save(users.create({
    email: `${role}${counter}-${process.pid}@people.test`,
    role,
    firstName: patch.firstName ?? 'Zoë',
    lastName: patch.lastName ?? `O'Brien-${counter}`,
    isActive: true,
    dateOfBirth: role === 'patient' ? '1980-04-12' : null,
    ...patch,
  }));
  if (role === 'doctor') {
    await db().getRepository(DoctorProfile).insert({ userId: user.id, specialty: 'General practice', acceptingBookings: true, visitMinutes: 30 });
  }
  return user;
}

export function actorFor(user: Pick<User, 'id' | 'role'>): Actor {
  return { id: user.id, role: user.role, ip: '127.0.0.1', userAgent: 'vitest', requestId: `t-${user.id}` };
}

/** One active user of every role, with their actors. */
export async function makeClinic() {
  const [superuser, admin, doctor, operator, pharmacist, patient, otherPatient] = await Promise.all([
    makeUser('superuser'), makeUser('admin'), makeUser('doctor'), makeUser('operator'),
    makeUser('pharmacist'), makeUser('patient'), makeUser('patient'),
  ]);
  const users = { superuser, admin, doctor, operator, pharmacist, patient, otherPatient };
  const as = Object.fromEntries(Object.entries(users).map(([k, u]) => [k, actorFor(u)])) as Record<keyof typeof users, Actor>;
  return { ...users, as };
}

export async function countRows(table: string): Promise<number> {
  const [row] = await db().query(`SELECT COUNT(*) AS n FROM ${table}`);
  return Number(row.n);
}
