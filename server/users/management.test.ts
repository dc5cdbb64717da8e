import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/support/db.js';
import { ROLES, type Role } from '../access/roles.js';
import { db } from '../db/data-source.js';
import { Notification } from '../db/entities/notification.js';
import { User } from '../db/entities/user.js';
import { blockUser } from './blocking.js';
import { deleteUser } from './deletion.js';
import { updateProfile } from './profile.js';
import { changeRole, grantAdmin } from './roles.js';
import { actorOf, auditActions, makeUser } from './test-fixtures.js';

useTestDatabase();

/**
 * Rule 10 as a table: who may block, delete, change the role of, grant admin
 * to and edit whom. `self` is the actor's own account. Every refusal must
 * leave the target exactly as it was: no change, no audit, no mail.
 */
type Target = Role | 'self';
type Action = 'block' | 'delete' | 'changeRole' | 'grantAdmin' | 'edit';
const TARGETS: Target[] = [...ROLES, 'self'];

const MANAGED_BY_ADMIN: Target[] = ['doctor', 'operator', 'pharmacist', 'patient'];
const allowed: Record<Action, Partial<Record<Role, Target[]>>> = {
  block: { superuser: ['admin', ...MANAGED_BY_ADMIN], admin: MANAGED_BY_ADMIN },
  delete: { superuser: ['admin', ...MANAGED_BY_ADMIN], admin: MANAGED_BY_ADMIN, patient: ['self'] },
  changeRole: { superuser: ['doctor', 'operator', 'pharmacist'], admin: ['doctor', 'operator', 'pharmacist'] },
  grantAdmin: { superuser: ['doctor', 'operator', 'pharmacist'] },
  edit: {
    superuser: ['admin', ...MANAGED_BY_ADMIN, 'self'],
    admin: [...MANAGED_BY_ADMIN, 'self'],
    doctor: ['self'], operator: ['self'], pharmacist: ['self'], patient: ['self'],
  },
};

const run: Record<Action, (actor: ReturnType<typeof actorOf>, target: User) => Promise<unknown>> = {
  block: (a, t) => blockUser(a, t.id, 'table test'),
  delete: (a, t) => deleteUser(a, t.id),
  changeRole: (a, t) => changeRole(a, t.id, t.role === 'pharmacist' ? 'operator' : 'pharmacist'),
  grantAdmin: (a, t) => grantAdmin(a, t.id),
  edit: (a, t) => updateProfile(a, t.id, { lastName: 'Changed' }),
};

/** Allowed, and nothing to do: the answer is success and nothing changes. */
const noop = (action: Action, actorRole: Role, target: Target) => action === 'grantAdmin' && actorRole === 'superuser' && target === 'admin';

const cases = (Object.keys(allowed) as Action[]).flatMap((action) =>
  ROLES.flatMap((actorRole) =>
    TARGETS.map((target) => ({
      action, actorRole, target,
      ok: noop(action, actorRole, target) ? 'no-op' : (allowed[action][actorRole]?.includes(target) ?? false),
    })),
  ),
);

async function snapshot(id: number) {
  const user = await db().getRepository(User).findOneBy({ id });
  const mails = await db().getRepository(Notification).countBy({ recipientUserId: id });
  return { user, mails, audit: await auditActions(id) };
}

describe('rule 10: who manages whom', () => {
  it.each(cases)('$actorRole → $action on $target: allowed=$ok', async ({ action, actorRole, target, ok }) => {
    const actorUser = await makeUser(actorRole);
    const targetUser = target === 'self' ? actorUser : await makeUser(target);
    const before = await snapshot(targetUser.id);
    let error: unknown;
    try {
      await run[action](actorOf(actorUser), targetUser);
    } catch (err) {
      error = err;
    }
    if (ok === 'no-op') {
      expect(error).toBeUndefined();
      expect(await snapshot(targetUser.id)).toEqual(before);
    } else if (ok) {
      expect(error).toBeUndefined();
      const after = await snapshot(targetUser.id);
      expect(after).not.toEqual(before);
    } else {
      expect(error, 'expected a refusal').toBeDefined();
      expect([403, 404, 409]).toContain((error as { status?: number }).status);
      expect(await snapshot(targetUser.id)).toEqual(before);
    }
  });
});
