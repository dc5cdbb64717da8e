import { userActor, type Actor } from '../access/actor.js';
import type { Role } from '../access/roles.js';
import { db } from '../db/data-source.js';
import { Appointment } from '../db/entities/appointment.js';
import { AppointmentSlot } from '../db/entities/appointment-slot.js';
import { AuditEvent } from '../db/entities/audit-event.js';
import { Diagnostic } from '../db/entities/diagnostic.js';
import { DoctorProfile } from '../db/entities/doctor-profile.js';
import { Notification } from '../db/entities/notification.js';
import { User } from '../db/entities/user.js';
import { clinicTimeToUtc } from '../shared/clinic-time.js';

/**
 * Test data for the bookings tests, written straight to the real test
 * database (no service of another feature needed). Not a test file itself.
 */
let serial = 0;

export async function makeUser(role: Role, extra: Partial<User> = {}): Promise<{ user: User; actor: Actor }> {
  serial += 1;
  const repo = db().getRepository(User);
  const user = await repo.save(repo.create({
    email: `${role}${serial}-${Math.random().toString(36).slice(2, 7)}@qhealth.test`,
    role, firstName: `First${serial}`, lastName: `${role[0].toUpperCase()}${role.slice(1)}${serial}`,
    isActive: true, isBlocked: false, ...extra,
  }));
  return { user, actor: userActor(user) };
}

export async function makeDoctor(profile: Partial<DoctorProfile> = {}, extra: Partial<User> = {}) {
  const made = await makeUser('doctor', extra);
  await db().getRepository(DoctorProfile).insert({ userId: made.user.id, specialty: 'Cardiology', acceptingBookings: true, visitMinutes: 30, ...profile });
  return made;
}

export async function makeDiagnostic(extra: Partial<Diagnostic> = {}): Promise<Diagnostic> {
  serial += 1;
  const repo = db().getRepository(Diagnostic);
  return repo.save(repo.create({ name: `Scan ${serial}`, durationMinutes: 30, isActive: true, ...extra }));
}

/** Monday 7 December 2026, 08:00 in Stockholm: the tests' "now". */
export const MONDAY_MORNING = clinicTimeToUtc('2026-12-07', 8 * 60);
/** Clinic wall-clock time on a date, e.g. at('2026-12-08', '10:00'). */
export function at(date: string, time: string): Date {
  const [h, m] = time.split(':').map(Number);
  return clinicTimeToUtc(date, h * 60 + m);
}
export const TUESDAY = '2026-12-08';

export async function counts() {
  return {
    appointments: await db().getRepository(Appointment).count(),
    slots: await db().getRepository(AppointmentSlot).count(),
    notifications: await db().getRepository(Notification).count(),
    // A refused attempt leaves its own 'denied' or 'failed' row; what a change writes is a 'success'.
    audits: await db().getRepository(AuditEvent).countBy({ outcome: 'success' }),
  };
}
