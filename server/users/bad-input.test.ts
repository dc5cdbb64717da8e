import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/support/db.js';
import { db } from '../db/data-source.js';
import { AuditEvent } from '../db/entities/audit-event.js';
import { Notification } from '../db/entities/notification.js';
import { User } from '../db/entities/user.js';
import { Invalid } from '../shared/errors.js';
import {
  acceptInvitation, activateAccount, inviteStaff, blockUser, changeRole, deleteUser, getUser, grantAdmin, resendActivation,
  revokeAdmin, setDoctorAccepting, unblockUser, updateProfile, verifyEmailChange,
} from './index.js';
import { actorOf, makeUser } from './test-fixtures.js';

useTestDatabase();

/**
 * The panel passes ids from URLs and forms (`Number('abc')` is NaN), and
 * JSON bodies can carry anything. NaN reached SQL as a column name (a 500 on
 * both drivers) and an undefined id made TypeORM drop the condition, so the
 * first account of the table answered. Each must be a 400 naming the field.
 */
const BAD_IDS: unknown[] = [Number.NaN, 'abc', '', undefined, null, -1, 0, 1.5, 1e20, [1], true, { id: 1 }, '0x1', ' 1'];

async function rowCounts() {
  return {
    users: await db().getRepository(User).count(),
    audits: await db().getRepository(AuditEvent).count(),
    mails: await db().getRepository(Notification).count(),
  };
}

describe('account ids that are not ids', () => {
  it('answers 400 on the id field, never a database error or somebody else\'s account, and changes nothing', async () => {
    const superuser = actorOf(await makeUser('superuser'));
    const admin = actorOf(await makeUser('admin'));
    const services: Record<string, (id: never) => Promise<unknown>> = {
      getUser: (id) => getUser(admin, id),
      updateProfile: (id) => updateProfile(admin, id, { firstName: 'Changed' }),
      blockUser: (id) => blockUser(admin, id, 'testing'),
      unblockUser: (id) => unblockUser(admin, id),
      deleteUser: (id) => deleteUser(admin, id),
      changeRole: (id) => changeRole(admin, id, 'operator'),
      grantAdmin: (id) => grantAdmin(superuser, id),
      revokeAdmin: (id) => revokeAdmin(superuser, id, 'doctor'),
      setDoctorAccepting: (id) => setDoctorAccepting(admin, id, false),
      resendActivation: (id) => resendActivation(admin, id),
    };
    const before = await rowCounts();
    for (const [name, call] of Object.entries(services)) {
      for (const id of BAD_IDS) {
        const err = await call(id as never).then(() => null, (e: unknown) => e);
        expect(err, `${name}(${String(id)})`).toBeInstanceOf(Invalid);
        expect((err as Invalid).fields, `${name}(${String(id)})`).toHaveProperty('id');
      }
    }
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses a block reason with control characters, leaving the account unblocked', async () => {
    const admin = actorOf(await makeUser('admin'));
    const patient = await makeUser('patient');
    const err = await blockUser(admin, patient.id, 'spam\u0000').then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(Invalid);
    expect((err as Invalid).fields).toHaveProperty('reason');
    expect((await db().getRepository(User).findOneByOrFail({ id: patient.id })).isBlocked).toBe(false);
  });

  it('refuses a doctor\'s specialty with control characters or a lone surrogate, inviting nobody and changing no role', async () => {
    const superuser = actorOf(await makeUser('superuser'));
    const admin = actorOf(await makeUser('admin'));
    const pharmacist = await makeUser('pharmacist');
    const before = await rowCounts();
    for (const specialty of ['Cardio\u0000logy', 'Cardio\nlogy', 'Cardio\ud800logy']) {
      const invited = await inviteStaff(admin, { email: 'dr.new@example.com', role: 'doctor', firstName: 'New', lastName: 'Doctor', specialty })
        .then(() => null, (e: unknown) => e);
      expect((invited as Invalid).fields, JSON.stringify(specialty)).toHaveProperty('specialty');
      const moved = await changeRole(admin, pharmacist.id, 'doctor', specialty).then(() => null, (e: unknown) => e);
      expect((moved as Invalid).fields, JSON.stringify(specialty)).toHaveProperty('specialty');
      const revoked = await revokeAdmin(superuser, admin.id!, 'doctor', specialty).then(() => null, (e: unknown) => e);
      expect((revoked as Invalid).fields, JSON.stringify(specialty)).toHaveProperty('specialty');
    }
    expect(await rowCounts()).toEqual(before);
    expect((await db().getRepository(User).findOneByOrFail({ id: pharmacist.id })).role).toBe('pharmacist');
  });

  it('refuses a doctor-bookings switch that is not true or false', async () => {
    const admin = actorOf(await makeUser('admin'));
    const doctor = await makeUser('doctor');
    await expect(setDoctorAccepting(admin, doctor.id, 'no' as never)).rejects.toBeInstanceOf(Invalid);
  });
});

describe('accepting an invitation without a password', () => {
  it('names the password field', async () => {
    const err = await acceptInvitation('any-token', undefined as never).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(Invalid);
    expect((err as Invalid).fields).toHaveProperty('password');
  });
});

describe('links whose token is not text', () => {
  it('answers the bad-link 400 for a missing, empty or non-string token on every kind of link', async () => {
    for (const token of [undefined, null, 123, {}, '', '   ']) {
      for (const open of [
        () => activateAccount(token as never),
        () => acceptInvitation(token as never, 'a long enough passphrase'),
        () => verifyEmailChange(token as never),
      ]) {
        const err = await open().then(() => null, (e: unknown) => e);
        expect(err, String(token)).toBeInstanceOf(Invalid);
        expect((err as Invalid).fields).toHaveProperty('token');
      }
    }
  });
});
