import { Forbidden, NotFound, NotVisible, Unauthenticated } from '../shared/errors.js';
import type { Actor } from './actor.js';
import type { Role } from './roles.js';

/**
 * SPEC §4 in one table. Services ask `requireAccess(actor, permission)` first;
 * record-level visibility ("own") is `requireVisible`. Nothing else decides
 * who may do what.
 */
export const PERMISSIONS = [
  // staff accounts
  'staff.read', // list/read staff accounts
  'staff.readDoctors', // operator: doctors only
  'staff.manage', // create, edit, block doctors/operators/pharmacists, change their role
  'admin.manage', // grant/revoke admin, manage admins and the superuser's peers
  // patients
  'patient.read', // full record
  'patient.readContact', // name, email, phone, birth date
  'patient.readBasic', // name and birth date
  'patient.manage', // edit, block, delete patients; resend activation
  'self.profile', // a patient edits their own profile
  // catalogue
  'diagnostic.read', // whole catalogue, inactive too
  'diagnostic.readActive',
  'diagnostic.manage',
  // appointments
  'appointment.read',
  'appointment.schedule', // schedule requests, book visits
  'appointment.cancel', // cancel any before it starts
  'appointment.requestOwn', // a patient's request / withdraw / cancel ≥24 h
  'appointment.readOwn',
  'doctor.setAccepting', // stop / resume a doctor's bookings
  // journal
  'journal.read',
  'journal.readDiagnosis',
  'journal.add', // as the author
  'journal.addOnBehalf',
  'journal.readOwn',
  // prescriptions
  'prescription.read',
  'prescription.add',
  'prescription.addOnBehalf',
  'prescription.readOwn',
  // oversight
  'audit.read',
  'loginAttempt.read',
  'notification.read', // the mail log and failed deliveries
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const ADMIN_COMMON: Permission[] = [
  'staff.read', 'staff.readDoctors', 'staff.manage',
  'patient.read', 'patient.readContact', 'patient.readBasic', 'patient.manage',
  'diagnostic.read', 'diagnostic.readActive', 'diagnostic.manage',
  'appointment.read', 'appointment.schedule', 'appointment.cancel', 'doctor.setAccepting',
  'journal.read', 'journal.readDiagnosis', 'journal.addOnBehalf',
  'prescription.read', 'prescription.addOnBehalf',
  'audit.read', 'loginAttempt.read', 'notification.read',
];

export const MATRIX: Record<Role | 'system', ReadonlySet<Permission>> = {
  superuser: new Set<Permission>([...ADMIN_COMMON, 'admin.manage']),
  admin: new Set<Permission>(ADMIN_COMMON),
  doctor: new Set<Permission>([
    'staff.read', 'staff.readDoctors',
    'patient.read', 'patient.readContact', 'patient.readBasic',
    'diagnostic.read', 'diagnostic.readActive',
    'appointment.read',
    'journal.read', 'journal.readDiagnosis', 'journal.add',
    'prescription.read',
  ]),
  operator: new Set<Permission>([
    'staff.readDoctors',
    'patient.readContact', 'patient.readBasic',
    'diagnostic.read', 'diagnostic.readActive',
    'appointment.read', 'appointment.schedule', 'appointment.cancel',
  ]),
  pharmacist: new Set<Permission>([
    'staff.read', 'staff.readDoctors',
    'patient.readBasic',
    'diagnostic.read', 'diagnostic.readActive',
    'journal.readDiagnosis',
    'prescription.read', 'prescription.add',
  ]),
  patient: new Set<Permission>([
    'self.profile', 'diagnostic.readActive',
    'appointment.requestOwn', 'appointment.readOwn',
    'journal.readOwn', 'prescription.readOwn',
  ]),
  // Scheduled jobs act as the clinic itself.
  system: new Set<Permission>(PERMISSIONS),
};

export function can(actor: Actor | null | undefined, permission: Permission): boolean {
  return !!actor && MATRIX[actor.role].has(permission);
}

export function canAny(actor: Actor | null | undefined, ...permissions: Permission[]): boolean {
  return permissions.some((p) => can(actor, p));
}

/** Throws Unauthenticated without an actor, Forbidden without any of the permissions. */
export function requireAccess(actor: Actor | null | undefined, ...permissions: Permission[]): Actor {
  if (!actor) throw new Unauthenticated();
  if (!canAny(actor, ...permissions)) throw new Forbidden();
  return actor;
}

/**
 * Record-level visibility: staff with `staffPermission` see it; a patient with
 * `ownPermission` sees it when it is theirs. Anything else is "not found", so
 * ids cannot be probed (SPEC §4).
 */
export function requireVisible<T extends { patientId: number | null }>(
  actor: Actor | null | undefined,
  record: T | null | undefined,
  what: string,
  staffPermissions: Permission[],
  ownPermission?: Permission,
): asserts record is T {
  if (!actor) throw new Unauthenticated();
  if (canAny(actor, ...staffPermissions)) {
    if (!record) throw new NotFound(what);
    return;
  }
  if (record && ownPermission && can(actor, ownPermission) && record.patientId === actor.id) return;
  // Absent or someone else's: one answer, and one audited refusal, so not even the time the audit write takes tells them apart.
  throw new NotVisible(what);
}

export function isPatient(actor: Actor): boolean {
  return actor.role === 'patient';
}
