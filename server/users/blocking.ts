import type { Actor } from '../access/actor.js';
import { requireAccess } from '../access/policy.js';
import { deleteUserSessions } from '../auth/session.js';
import { User } from '../db/entities/user.js';
import { clock } from '../shared/clock.js';
import { NotFound } from '../shared/errors.js';
import { diff, inTransaction } from '../shared/unit-of-work.js';
import { lockUser, parseUserId, patientIdOf, requireManage } from './common.js';
import { tellOperatorsToRebook } from './doctors.js';
import { viewLevel } from './queries.js';
import { blockInput, parseInput } from './schemas.js';

/**
 * Blocking (rule 10 and 11): the account stops working at once. The epoch
 * moves, so every session ends on its next request wherever it is stored,
 * and rows of the embedded store go in the same transaction.
 * Blocking an already blocked account changes nothing and mails nobody.
 */
export async function blockUser(actor: Actor, userId: number, reason: string): Promise<void> {
  requireAccess(actor, 'patient.manage', 'staff.manage');
  const id = parseUserId(userId);
  const data = parseInput(blockInput, { reason });
  await inTransaction(actor, async (w) => {
    const user = await lockUser(w.manager, id);
    if (!viewLevel(actor, user)) throw new NotFound('User');
    requireManage(actor, user, 'block');
    if (user.isBlocked) return;
    const now = clock.now();
    const after = { isBlocked: true, blockedAt: now, blockedById: actor.id, blockedReason: data.reason, sessionEpoch: user.sessionEpoch + 1 };
    await w.manager.update(User, { id: user.id }, after);
    await deleteUserSessions(w.manager, user.id);
    await w.audit({ action: 'user.block', resource: 'user', recordId: user.id, patientId: patientIdOf(user), changes: diff(user, after) });
    await w.notify({
      kind: 'account_blocked', toEmail: user.email, recipientUserId: user.id,
      data: { firstName: user.firstName }, dedupeKey: `blocked:user:${user.id}:${after.sessionEpoch}`,
    });
    // Rule 6: a blocked doctor's visits stay booked, and the operators learn which ones to move.
    if (user.role === 'doctor') await tellOperatorsToRebook(w, user, `account-blocked:${after.sessionEpoch}`);
  });
}

export async function unblockUser(actor: Actor, userId: number): Promise<void> {
  requireAccess(actor, 'patient.manage', 'staff.manage');
  const id = parseUserId(userId);
  await inTransaction(actor, async (w) => {
    const user = await lockUser(w.manager, id);
    if (!viewLevel(actor, user)) throw new NotFound('User');
    requireManage(actor, user, 'block');
    if (!user.isBlocked) return;
    const after = { isBlocked: false, blockedAt: null, blockedById: null, blockedReason: null };
    await w.manager.update(User, { id: user.id }, after);
    await w.audit({ action: 'user.unblock', resource: 'user', recordId: user.id, patientId: patientIdOf(user), changes: diff(user, after) });
    await w.notify({
      kind: 'account_unblocked', toEmail: user.email, recipientUserId: user.id,
      data: { firstName: user.firstName }, dedupeKey: `unblocked:user:${user.id}:${user.blockedAt?.getTime() ?? 0}`,
    });
  });
}
