import { MoreThan, type EntityManager } from 'typeorm';
import type { Actor } from '../access/actor.js';
import { requireAccess } from '../access/policy.js';
import { deleteUserSessions } from '../auth/session.js';
import { Appointment } from '../db/entities/appointment.js';
import { JournalEntry } from '../db/entities/journal-entry.js';
import { OneTimeToken } from '../db/entities/one-time-token.js';
import { Prescription } from '../db/entities/prescription.js';
import { User } from '../db/entities/user.js';
import { clock } from '../shared/clock.js';
import { Conflict, NotFound } from '../shared/errors.js';
import { inTransaction, isForeignKeyViolation } from '../shared/unit-of-work.js';
import { lockUser, parseUserId, patientIdOf, requireManage } from './common.js';
import { viewLevel } from './queries.js';

/**
 * Deleting an account (rule 8). Refused while the person has visits ahead,
 * or medical records as a patient, or records they wrote or took part in as
 * staff: those must stay, so such accounts are blocked instead. What goes is
 * only the person's own: their requests and past appointments, tokens and
 * sessions; never another user's data. A patient may delete their own
 * account under the same rules (DELETE /api/me).
 */
export async function deleteUser(actor: Actor, userId: number): Promise<void> {
  requireAccess(actor, 'self.profile', 'patient.manage', 'staff.manage');
  const id = parseUserId(userId);
  try {
    await inTransaction(actor, async (w) => {
      const user = await lockUser(w.manager, id);
      if (!viewLevel(actor, user)) throw new NotFound('User');
      // A patient may close their own account; anyone else follows rule 10 (and nobody deletes themselves).
      const own = actor.id === user.id && user.role === 'patient';
      if (!own) requireManage(actor, user, 'delete');
      await refuseWhileRecordsDependOn(w.manager, user, own);

      // The outbox has no foreign key: the goodbye mail outlives the row.
      await w.notify({
        kind: 'account_deleted', toEmail: user.email, recipientUserId: null,
        data: { firstName: user.firstName }, dedupeKey: `account_deleted:user:${user.id}:${user.createdAt.getTime()}`,
      });
      await w.audit({
        action: 'user.delete', resource: 'user', recordId: user.id, patientId: patientIdOf(user),
        changes: {
          email: { before: user.email }, role: { before: user.role },
          firstName: { before: user.firstName }, lastName: { before: user.lastName },
        },
      });
      await w.manager.delete(Appointment, { patientId: user.id });
      await w.manager.delete(OneTimeToken, { userId: user.id });
      await deleteUserSessions(w.manager, user.id);
      await w.manager.delete(User, { id: user.id });
    });
  } catch (err) {
    // A reference the checks did not foresee: the database's RESTRICT keeps it, and we say why.
    if (isForeignKeyViolation(err)) throw accountKept('other records still refer to this account');
    throw err;
  }
}

async function refuseWhileRecordsDependOn(manager: EntityManager, user: User, own: boolean): Promise<void> {
  const blockInstead = (why: string, ownNext = 'Ask the clinic to close your account.') => (own ? ownAccountKept(why, ownNext) : accountKept(why));
  const now = clock.now();
  const ahead = await manager.count(Appointment, {
    where: [
      { patientId: user.id, status: 'scheduled', startsAt: MoreThan(now) },
      { doctorId: user.id, status: 'scheduled', startsAt: MoreThan(now) },
    ],
  });
  if (ahead) {
    const why = `there ${ahead === 1 ? 'is 1 scheduled appointment' : `are ${ahead} scheduled appointments`} ahead`;
    throw blockInstead(why, 'Cancel your appointments first, or ask the clinic to close your account.');
  }

  const journal = await manager.count(JournalEntry, { where: [{ patientId: user.id }, { authorId: user.id }, { recordedById: user.id }] });
  const prescriptions = await manager.count(Prescription, { where: [{ patientId: user.id }, { authorId: user.id }, { recordedById: user.id }] });
  if (journal || prescriptions) throw blockInstead('medical records (journal entries or prescriptions) are kept');

  // A doctor's past visits are their patients' history.
  const visits = await manager.countBy(Appointment, { doctorId: user.id });
  if (visits) throw blockInstead("patients' past visits with this doctor are kept");

  // Who booked or cancelled a patient's appointment is part of that patient's
  // history; deleting the staff member would blank it (the column is SET NULL).
  const handled = await manager.count(Appointment, { where: [{ bookedById: user.id }, { cancelledById: user.id }] });
  const ownHandled = await manager.count(Appointment, {
    where: [{ bookedById: user.id, patientId: user.id }, { cancelledById: user.id, patientId: user.id }],
  });
  if (handled > ownHandled) throw blockInstead("the bookings this person handled are part of patients' history");

  // Who blocked an account is part of that account's record (SPEC §2: blocked with who, when, why);
  // deleting the blocker would blank it (the column is SET NULL).
  const blocks = await manager.countBy(User, { blockedById: user.id, isBlocked: true });
  if (blocks) throw blockInstead('the accounts this person blocked record who blocked them');
}

/** For staff deleting someone: the account stays, and blocking is the way to close it. */
function accountKept(why: string): Conflict {
  return new Conflict(`This account cannot be deleted: ${why}. Block it instead.`, 'block_instead');
}

/** For a patient closing their own account: what they can do about it. */
function ownAccountKept(why: string, next: string): Conflict {
  return new Conflict(`Your account cannot be deleted: ${why}. ${next}`, 'block_instead');
}
