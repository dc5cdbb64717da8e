import { z } from 'zod';
import { userActor, type Actor } from '../access/actor.js';
import { requireAccess } from '../access/policy.js';
import { DoctorProfile } from '../db/entities/doctor-profile.js';
import { User } from '../db/entities/user.js';
import { Invalid } from '../shared/errors.js';
import { checkPasswordPolicy, hashPassword } from '../shared/password.js';
import { diff, inTransaction, isUniqueViolation, type Work } from '../shared/unit-of-work.js';
import { anonymousActor, auditAs, emailTaken, lockUser, type ClientMeta } from './common.js';
import { shapeUser, type UserView } from './queries.js';
import { inviteStaffInput, parseInput, passwordField, type InviteStaffInput } from './schemas.js';
import { findUsableToken, issueToken, link, useToken } from './tokens.js';

/**
 * Staff accounts (SPEC rule 9): an admin creates them, the new colleague
 * sets their own password through a 72-hour invitation link. No password is
 * ever mailed. Only the superuser may invite an admin (rule 10).
 */
export async function inviteStaff(actor: Actor, input: InviteStaffInput): Promise<UserView> {
  requireAccess(actor, 'staff.manage');
  const data = parseInput(inviteStaffInput, input);
  if (data.role === 'admin') requireAccess(actor, 'admin.manage');
  if (data.role === 'doctor' && !data.specialty) throw new Invalid('Some fields are not valid.', { specialty: 'A doctor needs a specialty.' });
  try {
    return await inTransaction(actor, async (w) => {
      if (await w.manager.existsBy(User, { email: data.email })) throw emailTaken();
      const user = w.manager.create(User, {
        email: data.email, role: data.role, firstName: data.firstName, lastName: data.lastName, phone: data.phone,
        passwordHash: null, isActive: false, isBlocked: false, sessionEpoch: 0,
      });
      await w.manager.insert(User, user);
      if (data.role === 'doctor') {
        const profile = { userId: user.id, specialty: data.specialty!, acceptingBookings: true, visitMinutes: data.visitMinutes ?? 30 };
        await w.manager.insert(DoctorProfile, profile);
      }
      await w.audit({
        action: 'user.invite', resource: 'user', recordId: user.id,
        changes: diff({}, { email: data.email, role: data.role, firstName: data.firstName, lastName: data.lastName, phone: data.phone }),
      });
      await sendInvitation(w, user);
      // Re-read: after an insert TypeORM may leave driver-raw defaults (0 for false on MariaDB) on the object.
      return shapeUser(await w.manager.findOneOrFail(User, { where: { id: user.id }, relations: { doctorProfile: true } }), 'full');
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw emailTaken();
    throw err;
  }
}

export async function sendInvitation(w: Work, user: User): Promise<void> {
  const { token, tokenId } = await issueToken(w.manager, user.id, 'invitation');
  await w.notify({
    kind: 'staff_invitation',
    toEmail: user.email,
    recipientUserId: user.id,
    data: { firstName: user.firstName, role: user.role, link: link('/admin/invitation', token) },
    dedupeKey: `invitation:token:${tokenId}`,
  });
}

/** The invited colleague sets a password; the account becomes active. The link works once. */
export async function acceptInvitation(token: string, password: string, meta: ClientMeta = {}): Promise<UserView> {
  const { password: typed } = parseInput(z.object({ password: passwordField }), { password });
  const passwordHash = await hashPassword(typed);
  return inTransaction(anonymousActor(meta), async (w) => {
    const { row, user } = await findUsableToken(w.manager, token, 'invitation');
    // The password is judged before the link is used up, so a refused one can be retried.
    const problem = checkPasswordPolicy(typed, user.email);
    if (problem) throw new Invalid('Choose another password.', { password: problem });
    await useToken(w.manager, row);
    const locked = await lockUser(w.manager, user.id);
    await w.manager.update(User, { id: locked.id }, {
      passwordHash, isActive: true, sessionEpoch: locked.sessionEpoch + 1,
    });
    await auditAs(w, userActor(locked, meta), {
      action: 'user.acceptInvitation', resource: 'user', recordId: locked.id,
      changes: { ...diff({ isActive: locked.isActive }, { isActive: true }), password: { after: '(set)' } },
    });
    locked.isActive = true;
    return shapeUser(locked, 'full');
  });
}
