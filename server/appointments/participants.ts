import type { EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { config } from '../config.js';
import { Diagnostic } from '../db/entities/diagnostic.js';
import { DoctorProfile } from '../db/entities/doctor-profile.js';
import { User } from '../db/entities/user.js';
import { Invalid } from '../shared/errors.js';

/**
 * Loads the people and the catalogue item a booking names, refusing the ones
 * rule 3 does not allow. On MariaDB the rows are read with a shared lock, so
 * blocking a doctor or patient at the same moment waits for this booking
 * (and the next booking sees the block) instead of slipping past it.
 */
function shared<T extends ObjectLiteral>(manager: EntityManager, qb: SelectQueryBuilder<T>): SelectQueryBuilder<T> {
  return manager.connection.options.type === 'mariadb' ? qb.setLock('pessimistic_read') : qb;
}

function refuse(field: string, message: string): Invalid {
  return new Invalid(message, { [field]: message });
}

export function doctorName(doctor: Pick<User, 'lastName'>): string {
  return `Dr. ${doctor.lastName}`;
}

export function personName(user: Pick<User, 'firstName' | 'lastName'>): string {
  return `${user.firstName} ${user.lastName}`;
}

/** Where appointments take place, for the mails (no medical details). */
export function clinicPlace(): string {
  const c = config().clinic;
  return c.address ? `${c.name}, ${c.address}` : c.name;
}

export async function bookablePatient(manager: EntityManager, patientId: number): Promise<User> {
  const patient = await shared(manager, manager.getRepository(User).createQueryBuilder('u'))
    .where('u.id = :id', { id: patientId }).getOne();
  if (!patient || patient.role !== 'patient') throw refuse('patientId', 'No such patient.');
  if (patient.isBlocked) throw refuse('patientId', "The patient's account is blocked.");
  if (!patient.isActive) throw refuse('patientId', "The patient's account is not activated yet.");
  return patient;
}

export interface BookableDoctor {
  user: User;
  profile: DoctorProfile;
}

export async function bookableDoctor(manager: EntityManager, doctorId: number): Promise<BookableDoctor> {
  const user = await shared(manager, manager.getRepository(User).createQueryBuilder('u'))
    .where('u.id = :id', { id: doctorId }).getOne();
  const profile = user && user.role === 'doctor'
    ? await shared(manager, manager.getRepository(DoctorProfile).createQueryBuilder('p'))
      .where('p.userId = :id', { id: doctorId }).getOne()
    : null;
  if (!user || !profile) throw refuse('doctorId', 'No such doctor.');
  if (user.isBlocked || !user.isActive) throw refuse('doctorId', `${doctorName(user)} is not available for bookings.`);
  if (!profile.acceptingBookings) throw refuse('doctorId', `${doctorName(user)} is not accepting bookings at the moment.`);
  return { user, profile };
}

/**
 * `activeOnly`: the caller sees only the active catalogue (a patient, SPEC §4),
 * so an inactive item is refused as if it did not exist, without its name.
 */
export async function bookableDiagnostic(manager: EntityManager, diagnosticId: number, { activeOnly = false } = {}): Promise<Diagnostic> {
  const diagnostic = await shared(manager, manager.getRepository(Diagnostic).createQueryBuilder('d'))
    .where('d.id = :id', { id: diagnosticId }).getOne();
  if (!diagnostic || (activeOnly && !diagnostic.isActive)) throw refuse('diagnosticId', 'No such diagnostic.');
  if (!diagnostic.isActive) throw refuse('diagnosticId', `${diagnostic.name} is not offered at the moment.`);
  return diagnostic;
}
