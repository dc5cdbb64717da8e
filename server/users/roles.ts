import { MoreThan, type EntityManager } from 'typeorm';
import type { Actor } from '../access/actor.js';
import { requireAccess } from '../access/policy.js';
import { ADMIN_MANAGED_STAFF, type Role } from '../access/roles.js';
import { deleteUserSessions } from '../auth/session.js';
import { Appointment } from '../db/entities/appointment.js';
import { DoctorProfile } from '../db/entities/doctor-profile.js';
import { User } from '../db/entities/user.js';
import { clock } from '../shared/clock.js';
import { Conflict, Forbidden, NotFound } from '../shared/errors.js';
import { diff, inTransaction, type Work } from '../shared/unit-of-work.js';
import { lockUser, parseUserId, requireManage } from './common.js';
import { viewLevel } from './queries.js';
import { changeRoleInput, parseInput } from './schemas.js';

/**
 * Roles (rule 10): only the superuser grants or revokes admin; admins move
 * staff among doctor, operator and pharmacist. A patient account never
 * becomes staff (nor the reverse): the two doors stay separate. Every role
 * change ends the user's sessions (rule 11).
 */
export type ManagedStaffRole = (typeof ADMIN_MANAGED_STAFF)[number];
const DEFAULT_SPECIALTY = 'General practice';

export async function grantAdmin(actor: Actor, userId: number): Promise<void> {
  requireAccess(actor, 'admin.manage');
  const id = parseUserId(userId);
  await inTransaction(actor, async (w) => {
    const user = await loadStaff(w, actor, id);
    if (user.role === 'admin') return;
    requireManage(actor, user, 'role');
    await refuseWhileDoctorHasVisits(w.manager, user);
    const epoch = await moveRole(w, user, 'admin');
    await w.notify({
      kind: 'admin_granted', toEmail: user.email, recipientUserId: user.id,
      data: { firstName: user.firstName }, dedupeKey: `admin_granted:user:${user.id}:${epoch}`,
    });
  });
}

export async function revokeAdmin(actor: Actor, userId: number, toRole: ManagedStaffRole, specialty?: string): Promise<void> {
  requireAccess(actor, 'admin.manage');
  const id = parseUserId(userId);
  const data = parseInput(changeRoleInput, { role: toRole, ...(specialty ? { specialty } : {}) });
  await inTransaction(actor, async (w) => {
    const user = await loadStaff(w, actor, id);
    requireManage(actor, user, 'role');
    if (user.role !== 'admin') throw new Conflict('This account is not an admin.', 'not_admin');
    const epoch = await moveRole(w, user, data.role, data.specialty);
    await w.notify({
      kind: 'admin_revoked', toEmail: user.email, recipientUserId: user.id,
      data: { firstName: user.firstName, role: data.role }, dedupeKey: `admin_revoked:user:${user.id}:${epoch}`,
    });
  });
}

/** Doctor ↔ operator ↔ pharmacist. Admins and the superuser change through grant/revoke. */
export async function changeRole(actor: Actor, userId: number, role: ManagedStaffRole, specialty?: string): Promise<void> {
  requireAccess(actor, 'staff.manage');
  const id = parseUserId(userId);
  const data = parseInput(changeRoleInput, { role, ...(specialty ? { specialty } : {}) });
  await inTransaction(actor, async (w) => {
    const user = await loadStaff(w, actor, id);
    requireManage(actor, user, 'role');
    if (user.role === 'admin') throw new Forbidden('Admin rights are revoked by the superuser (revoke admin).');
    if (user.role === data.role) return;
    await refuseWhileDoctorHasVisits(w.manager, user);
    const previousRole = user.role;
    const epoch = await moveRole(w, user, data.role, data.specialty);
    await w.notify({
      kind: 'role_changed', toEmail: user.email, recipientUserId: user.id,
      data: { firstName: user.firstName, role: data.role, previousRole }, dedupeKey: `role_changed:user:${user.id}:${epoch}`,
    });
  });
}

async function loadStaff(w: Work, actor: Actor, userId: number): Promise<User> {
  const user = await lockUser(w.manager, userId);
  if (!viewLevel(actor, user)) throw new NotFound('User');
  if (user.role === 'patient') throw new Conflict('A patient account cannot become staff; invite the person with another email.', 'patient_account');
  return user;
}

/** A doctor with visits ahead keeps the role until they are rebooked: the visits need their doctor. */
async function refuseWhileDoctorHasVisits(manager: EntityManager, user: User): Promise<void> {
  if (user.role !== 'doctor') return;
  const visits = await manager.countBy(Appointment, { doctorId: user.id, status: 'scheduled', startsAt: MoreThan(clock.now()) });
  if (visits > 0) {
    throw new Conflict(`This doctor has ${visits} scheduled visit(s) ahead; rebook or cancel them first.`, 'doctor_has_visits');
  }
}

/** Sets the role, moves the epoch, ends sessions, audits; returns the new epoch. */
async function moveRole(w: Work, user: User, role: Role, specialty?: string): Promise<number> {
  const after = { role, sessionEpoch: user.sessionEpoch + 1 };
  await w.manager.update(User, { id: user.id }, after);
  if (role === 'doctor' && !(await w.manager.existsBy(DoctorProfile, { userId: user.id }))) {
    await w.manager.insert(DoctorProfile, { userId: user.id, specialty: specialty ?? DEFAULT_SPECIALTY, acceptingBookings: true, visitMinutes: 30 });
  }
  await deleteUserSessions(w.manager, user.id);
  await w.audit({ action: `user.${role === 'admin' ? 'grantAdmin' : user.role === 'admin' ? 'revokeAdmin' : 'changeRole'}`, resource: 'user', recordId: user.id, changes: diff(user, after) });
  return after.sessionEpoch;
}
