import { userActor, type Actor } from '../access/actor.js';
import { requireAccess } from '../access/policy.js';
import { db } from '../db/data-source.js';
import { User } from '../db/entities/user.js';
import { deleteUserSessions } from '../auth/session.js';
import { Invalid, Unauthenticated } from '../shared/errors.js';
import { checkPasswordPolicy, hashPassword, verifyPassword } from '../shared/password.js';
import { inTransaction, type Work } from '../shared/unit-of-work.js';
import { anonymousActor, auditAs, patientIdOf, type ClientMeta } from './common.js';
import {
  changePasswordInput, parseInput, passwordResetConfirmInput, passwordResetRequestInput,
} from './schemas.js';
import { findUsableToken, issueToken, link, useToken } from './tokens.js';

/**
 * Password reset (rule 13) and change. A new password ends every session of
 * the account (rule 11): the epoch moves and stored sessions are deleted.
 */
export async function requestPasswordReset(email: string, meta: ClientMeta = {}): Promise<void> {
  const { email: address } = parseInput(passwordResetRequestInput, { email });
  await inTransaction(anonymousActor(meta), async (w) => {
    const user = await w.manager.findOneBy(User, { email: address });
    // The caller answers the same either way; only a real, usable account gets mail.
    if (!user || user.isBlocked || (!user.isActive && user.role !== 'patient')) return;
    const { token, tokenId } = await issueToken(w.manager, user.id, 'password_reset');
    await w.notify({
      kind: 'password_reset', toEmail: user.email, recipientUserId: user.id,
      data: { firstName: user.firstName, link: link('/reset-password', token) },
      dedupeKey: `password_reset:token:${tokenId}`,
    });
    await auditAs(w, anonymousActor(meta), {
      action: 'user.passwordResetRequest', resource: 'user', recordId: user.id, patientId: patientIdOf(user),
    });
  });
}

/**
 * Sets the new password from a reset link (30 minutes, single use). Opening
 * the mailed link proves the address, so an inactive patient is activated too.
 */
export async function confirmPasswordReset(token: string, password: string, meta: ClientMeta = {}): Promise<void> {
  const data = parseInput(passwordResetConfirmInput, { token, password });
  // Length and the common list need no account: a weak password is named even when the link is bad too.
  const weak = checkPasswordPolicy(data.password);
  if (weak) throw new Invalid('Choose another password.', { password: weak });
  const passwordHash = await hashPassword(data.password);
  await inTransaction(anonymousActor(meta), async (w) => {
    const { row, user } = await findUsableToken(w.manager, data.token, 'password_reset');
    const problem = checkPasswordPolicy(data.password, user.email);
    if (problem) throw new Invalid('Choose another password.', { password: problem });
    await useToken(w.manager, row);
    await setPassword(w, user, passwordHash, { isActive: true });
    await auditAs(w, userActor(user, meta), {
      action: 'user.passwordReset', resource: 'user', recordId: user.id, patientId: patientIdOf(user),
      changes: { password: { after: '(changed)' }, ...(user.isActive ? {} : { isActive: { before: false, after: true } }) },
    });
    // Activated by this link rather than the activation one: the welcome of SPEC §5 is due all the same
    // (its key is the activation's, so a patient is welcomed once whichever link came first).
    if (!user.isActive) {
      await w.notify({
        kind: 'welcome', toEmail: user.email, recipientUserId: user.id,
        data: { firstName: user.firstName }, dedupeKey: `welcome:user:${user.id}`,
      });
    }
  });
}

/**
 * The logged-in user changes their own password. All their sessions end,
 * this one included: the caller re-establishes the current session with the
 * returned user if it wants the user to stay logged in here.
 */
export async function changePassword(actor: Actor, currentPassword: string, newPassword: string): Promise<User> {
  requireAccess(actor, 'self.profile', 'staff.read', 'staff.readDoctors', 'patient.readBasic');
  if (actor.id === null) throw new Unauthenticated();
  const data = parseInput(changePasswordInput, { currentPassword, newPassword });
  const user = await db()
    .getRepository(User)
    .createQueryBuilder('u')
    .addSelect('u.passwordHash')
    .where('u.id = :id', { id: actor.id })
    .getOne();
  if (!user) throw new Unauthenticated();
  if (!user.passwordHash || !(await verifyPassword(user.passwordHash, data.currentPassword))) {
    throw new Invalid('Your current password is not right.', { currentPassword: 'This is not your current password.' });
  }
  const problem = checkPasswordPolicy(data.newPassword, user.email);
  if (problem) throw new Invalid('Choose another password.', { newPassword: problem });
  if (data.newPassword === data.currentPassword) {
    throw new Invalid('Choose another password.', { newPassword: 'Choose a password different from the current one.' });
  }
  const passwordHash = await hashPassword(data.newPassword);
  return inTransaction(actor, async (w) => {
    await setPassword(w, user, passwordHash, {});
    await w.audit({
      action: 'user.passwordChange', resource: 'user', recordId: user.id, patientId: patientIdOf(user),
      changes: { password: { after: '(changed)' } },
    });
    const fresh = await w.manager.findOneByOrFail(User, { id: user.id });
    return fresh;
  });
}

async function setPassword(w: Work, user: User, passwordHash: string, extra: Partial<User>): Promise<void> {
  await w.manager
    .createQueryBuilder()
    .update(User)
    .set({ ...extra, passwordHash, sessionEpoch: () => 'sessionEpoch + 1' })
    .where('id = :id', { id: user.id })
    .execute();
  await deleteUserSessions(w.manager, user.id);
}
