import { afterEach, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/support/db.js';
import { login } from '../auth/login.js';
import { db } from '../db/data-source.js';
import { Appointment } from '../db/entities/appointment.js';
import { Diagnostic } from '../db/entities/diagnostic.js';
import { DoctorProfile } from '../db/entities/doctor-profile.js';
import { JournalEntry } from '../db/entities/journal-entry.js';
import { OneTimeToken } from '../db/entities/one-time-token.js';
import { Prescription } from '../db/entities/prescription.js';
import { Session } from '../db/entities/session.js';
import { User } from '../db/entities/user.js';
import { clock } from '../shared/clock.js';
import { Conflict, Forbidden, Invalid, NotFound, Unauthenticated } from '../shared/errors.js';
import { blockUser, unblockUser } from './blocking.js';
import { deleteUser } from './deletion.js';
import { setDoctorAccepting } from './doctors.js';
import { acceptInvitation, inviteStaff } from './invitations.js';
import { changePassword, confirmPasswordReset, requestPasswordReset } from './passwords.js';
import { changeRole, grantAdmin, revokeAdmin } from './roles.js';
import { actorOf, auditActions, FIXTURE_PASSWORD, makeUser, outbox, refusal, tokenFromMail } from './test-fixtures.js';

useTestDatabase();
afterEach(() => clock.reset());

const reload = (id: number) => db().getRepository(User).findOneBy({ id });
const sessionRow = (userId: number, sid = `sid-${userId}-${Math.random()}`) =>
  db().getRepository(Session).insert({ sid, userId, data: '{}', expiresAt: new Date(Date.now() + 60_000) });

async function futureVisit(patient: User, doctor: User, hoursAhead = 48, status: Appointment['status'] = 'scheduled') {
  const startsAt = new Date(clock.now().getTime() + hoursAhead * 3600_000);
  return db().getRepository(Appointment).save({
    patientId: patient.id, doctorId: doctor.id, kind: 'visit', status, startsAt,
    endsAt: new Date(startsAt.getTime() + 30 * 60_000),
  });
}

describe('blocking', () => {
  it('blocks with a reason, moves the epoch, deletes stored sessions and mails once; blocking again changes nothing', async () => {
    const admin = await makeUser('admin');
    const patient = await makeUser('patient');
    await sessionRow(patient.id);
    await blockUser(actorOf(admin), patient.id, 'Abusive calls');
    await blockUser(actorOf(admin), patient.id, 'Again');
    const row = (await reload(patient.id))!;
    expect(row).toMatchObject({ isBlocked: true, blockedById: admin.id, blockedReason: 'Abusive calls', sessionEpoch: 1 });
    expect(await db().getRepository(Session).countBy({ userId: patient.id })).toBe(0);
    expect(await outbox('account_blocked', patient.email)).toHaveLength(1);
    expect(await auditActions(patient.id)).toEqual(['user.block']);
    expect(await refusal(login({ email: patient.email, password: FIXTURE_PASSWORD }, { ip: '192.0.2.50', channel: 'portal' }))).toBeInstanceOf(Unauthenticated);

    await unblockUser(actorOf(admin), patient.id);
    await unblockUser(actorOf(admin), patient.id);
    expect(await reload(patient.id)).toMatchObject({ isBlocked: false, blockedReason: null, blockedById: null });
    expect(await outbox('account_unblocked', patient.email)).toHaveLength(1);
    expect((await login({ email: patient.email, password: FIXTURE_PASSWORD }, { ip: '192.0.2.50', channel: 'portal' })).id).toBe(patient.id);
  });

  it('requires a reason', async () => {
    const admin = await makeUser('admin');
    const patient = await makeUser('patient');
    const err = await refusal(blockUser(actorOf(admin), patient.id, '  '));
    expect(err).toBeInstanceOf(Invalid);
    expect(err.fields).toHaveProperty('reason');
    expect((await reload(patient.id))!.isBlocked).toBe(false);
  });

  it('answers 404 for an account that does not exist', async () => {
    const admin = await makeUser('admin');
    expect(await refusal(blockUser(actorOf(admin), 999_999, 'x'))).toBeInstanceOf(NotFound);
  });
});

describe('roles', () => {
  it('moves a pharmacist to doctor with a profile, ends their sessions and mails the change once', async () => {
    const admin = await makeUser('admin');
    const pharmacist = await makeUser('pharmacist');
    await sessionRow(pharmacist.id);
    await changeRole(actorOf(admin), pharmacist.id, 'doctor', 'Cardiology');
    await changeRole(actorOf(admin), pharmacist.id, 'doctor');
    expect(await reload(pharmacist.id)).toMatchObject({ role: 'doctor', sessionEpoch: 1 });
    expect(await db().getRepository(DoctorProfile).findOneBy({ userId: pharmacist.id })).toMatchObject({ specialty: 'Cardiology', acceptingBookings: true });
    expect(await db().getRepository(Session).countBy({ userId: pharmacist.id })).toBe(0);
    const mails = await outbox('role_changed', pharmacist.email);
    expect(mails).toHaveLength(1);
    expect(mails[0].data).toMatchObject({ role: 'doctor', previousRole: 'pharmacist' });
  });

  it('never turns a patient into staff', async () => {
    const superuser = await makeUser('superuser');
    const patient = await makeUser('patient');
    expect(await refusal(changeRole(actorOf(superuser), patient.id, 'operator'))).toBeInstanceOf(Conflict);
    expect(await refusal(grantAdmin(actorOf(superuser), patient.id))).toBeInstanceOf(Conflict);
    expect((await reload(patient.id))!.role).toBe('patient');
  });

  it('keeps a doctor with visits ahead a doctor until they are rebooked', async () => {
    const admin = await makeUser('admin');
    const doctor = await makeUser('doctor');
    const patient = await makeUser('patient');
    await futureVisit(patient, doctor);
    expect(await refusal(changeRole(actorOf(admin), doctor.id, 'operator'))).toBeInstanceOf(Conflict);
    expect((await reload(doctor.id))!.role).toBe('doctor');
  });

  it('lets the superuser grant and revoke admin, each mailed once', async () => {
    const superuser = await makeUser('superuser');
    const operator = await makeUser('operator');
    await grantAdmin(actorOf(superuser), operator.id);
    expect(await reload(operator.id)).toMatchObject({ role: 'admin', sessionEpoch: 1 });
    expect(await outbox('admin_granted', operator.email)).toHaveLength(1);
    await revokeAdmin(actorOf(superuser), operator.id, 'pharmacist');
    expect(await reload(operator.id)).toMatchObject({ role: 'pharmacist', sessionEpoch: 2 });
    expect((await outbox('admin_revoked', operator.email))[0].data).toMatchObject({ role: 'pharmacist' });
    expect(await refusal(revokeAdmin(actorOf(superuser), operator.id, 'operator'))).toBeInstanceOf(Conflict);
    expect(await auditActions(operator.id)).toEqual(['user.grantAdmin', 'user.revokeAdmin']);
  });

  it('does not let an admin change another admin through changeRole', async () => {
    const superuser = await makeUser('superuser');
    const admin = await makeUser('admin');
    expect(await refusal(changeRole(actorOf(superuser), admin.id, 'operator'))).toBeInstanceOf(Forbidden);
  });
});

describe("a doctor's bookings switch", () => {
  it('stops bookings, mails the doctor, and gives every active operator the visits to rebook', async () => {
    const admin = await makeUser('admin');
    const doctor = await makeUser('doctor');
    const patient = await makeUser('patient', { firstName: 'Åsa', lastName: 'Öberg' });
    const opA = await makeUser('operator');
    const opB = await makeUser('operator');
    const blockedOp = await makeUser('operator', { isBlocked: true });
    const visit = await futureVisit(patient, doctor);
    await futureVisit(patient, doctor, -48, 'scheduled');
    await setDoctorAccepting(actorOf(admin), doctor.id, false);
    await setDoctorAccepting(actorOf(admin), doctor.id, false);
    expect((await db().getRepository(DoctorProfile).findOneByOrFail({ userId: doctor.id })).acceptingBookings).toBe(false);
    expect(await outbox('doctor_blocked', doctor.email)).toHaveLength(1);
    for (const op of [opA, opB]) {
      const mails = await outbox('visits_to_rebook', op.email);
      expect(mails).toHaveLength(1);
      expect(mails[0].data.visits).toEqual([{ appointmentId: visit.id, startsAt: visit.startsAt!.toISOString(), patientName: 'Åsa Öberg' }]);
    }
    expect(await outbox('visits_to_rebook', blockedOp.email)).toHaveLength(0);
    // Visits stay.
    expect((await db().getRepository(Appointment).findOneByOrFail({ id: visit.id })).status).toBe('scheduled');

    await setDoctorAccepting(actorOf(admin), doctor.id, true);
    expect(await outbox('doctor_unblocked', doctor.email)).toHaveLength(1);
  });

  it("gives the operators the visits to rebook when a doctor's account is blocked, keeping the visits", async () => {
    const admin = await makeUser('admin');
    const doctor = await makeUser('doctor');
    const patient = await makeUser('patient', { firstName: 'Łucja', lastName: "D'Souza" });
    const operator = await makeUser('operator');
    const visit = await futureVisit(patient, doctor);
    await blockUser(actorOf(admin), doctor.id, 'Left the clinic');
    await blockUser(actorOf(admin), doctor.id, 'Left the clinic');
    const mails = await outbox('visits_to_rebook', operator.email);
    expect(mails).toHaveLength(1);
    expect(mails[0].data.visits).toEqual([{ appointmentId: visit.id, startsAt: visit.startsAt!.toISOString(), patientName: "Łucja D'Souza" }]);
    expect(await outbox('account_blocked', doctor.email)).toHaveLength(1);
    expect((await db().getRepository(Appointment).findOneByOrFail({ id: visit.id })).status).toBe('scheduled');
  });

  it('is refused to operators and answers 404 for a non-doctor', async () => {
    const operator = await makeUser('operator');
    const admin = await makeUser('admin');
    const doctor = await makeUser('doctor');
    expect(await refusal(setDoctorAccepting(actorOf(operator), doctor.id, false))).toBeInstanceOf(Forbidden);
    expect(await refusal(setDoctorAccepting(actorOf(admin), operator.id, false))).toBeInstanceOf(NotFound);
    expect((await db().getRepository(DoctorProfile).findOneByOrFail({ userId: doctor.id })).acceptingBookings).toBe(true);
  });
});

describe('deleting an account (rule 8)', () => {
  it('deletes a patient with only requests and past visits, their tokens and sessions, and mails goodbye first', async () => {
    const admin = await makeUser('admin');
    const doctor = await makeUser('doctor');
    const patient = await makeUser('patient');
    const other = await makeUser('patient');
    const diagnostics = db().getRepository(Diagnostic);
    const diagnostic = await diagnostics.save(diagnostics.create({ name: `MRI ${Math.random()}`, durationMinutes: 30 }));
    await db().getRepository(Appointment).save({ patientId: patient.id, kind: 'diagnostic', diagnosticId: diagnostic.id, status: 'requested' });
    await futureVisit(other, doctor, 72);
    await sessionRow(patient.id);
    await requestPasswordReset(patient.email);
    await deleteUser(actorOf(admin), patient.id);
    expect(await reload(patient.id)).toBeNull();
    expect(await db().getRepository(Appointment).countBy({ patientId: patient.id })).toBe(0);
    expect(await db().getRepository(Appointment).countBy({ patientId: other.id })).toBe(1);
    expect(await db().getRepository(OneTimeToken).countBy({ userId: patient.id })).toBe(0);
    expect(await db().getRepository(Session).countBy({ userId: patient.id })).toBe(0);
    expect(await outbox('account_deleted', patient.email)).toHaveLength(1);
    expect(await auditActions(patient.id)).toContain('user.delete');
  });

  it('lets a patient delete their own account', async () => {
    const patient = await makeUser('patient');
    await deleteUser(actorOf(patient), patient.id);
    expect(await reload(patient.id)).toBeNull();
  });

  it('refuses while a patient or a doctor has a scheduled appointment ahead, and deletes nothing', async () => {
    const admin = await makeUser('admin');
    const doctor = await makeUser('doctor');
    const patient = await makeUser('patient');
    await futureVisit(patient, doctor);
    for (const user of [patient, doctor]) {
      const err = await refusal(deleteUser(actorOf(admin), user.id));
      expect(err).toBeInstanceOf(Conflict);
      expect(err.message).toMatch(/Block it instead/);
      expect(await reload(user.id)).not.toBeNull();
    }
    expect(await db().getRepository(Appointment).countBy({ patientId: patient.id })).toBe(1);
    expect(await outbox('account_deleted', patient.email)).toHaveLength(0);
  });

  it('tells a patient closing their own account what they can do, not to block themselves', async () => {
    const doctor = await makeUser('doctor');
    const patient = await makeUser('patient');
    await futureVisit(patient, doctor);
    const err = await refusal(deleteUser(actorOf(patient), patient.id));
    expect(err).toBeInstanceOf(Conflict);
    expect(err.message).toBe('Your account cannot be deleted: there is 1 scheduled appointment ahead. Cancel your appointments first, or ask the clinic to close your account.');
    expect(await reload(patient.id)).not.toBeNull();
  });

  it('refuses a patient with medical records and staff who wrote them', async () => {
    const admin = await makeUser('admin');
    const doctor = await makeUser('doctor');
    const pharmacist = await makeUser('pharmacist');
    const patient = await makeUser('patient');
    const entry = await db().getRepository(JournalEntry).save({ patientId: patient.id, authorId: doctor.id, recordedById: doctor.id, diagnosis: 'J06.9', description: 'Cold' });
    await db().getRepository(Prescription).save({ patientId: patient.id, authorId: pharmacist.id, recordedById: pharmacist.id, medication: 'Paracetamol', dosage: '500 mg', instructions: 'As needed', journalEntryId: entry.id });
    for (const user of [patient, doctor, pharmacist]) {
      expect(await refusal(deleteUser(actorOf(admin), user.id))).toBeInstanceOf(Conflict);
      expect(await reload(user.id)).not.toBeNull();
    }
    expect(await refusal(deleteUser(actorOf(patient), patient.id))).toBeInstanceOf(Conflict);
  });

  it("refuses a doctor whose past visits are patients' history", async () => {
    const admin = await makeUser('admin');
    const doctor = await makeUser('doctor');
    const patient = await makeUser('patient');
    await futureVisit(patient, doctor, -24, 'completed');
    expect(await refusal(deleteUser(actorOf(admin), doctor.id))).toBeInstanceOf(Conflict);
    expect(await db().getRepository(Appointment).countBy({ doctorId: doctor.id })).toBe(1);
  });

  it("refuses an operator whose bookings are in patients' history", async () => {
    const admin = await makeUser('admin');
    const operator = await makeUser('operator');
    const doctor = await makeUser('doctor');
    const patient = await makeUser('patient');
    const visit = await futureVisit(patient, doctor, -24, 'completed');
    await db().getRepository(Appointment).update({ id: visit.id }, { bookedById: operator.id });
    expect(await refusal(deleteUser(actorOf(admin), operator.id))).toBeInstanceOf(Conflict);
    expect((await db().getRepository(Appointment).findOneByOrFail({ id: visit.id })).bookedById).toBe(operator.id);
  });

  it('refuses deleting an admin whose blocks are on record, leaving the blocked account as it was', async () => {
    const superuser = await makeUser('superuser');
    const admin = await makeUser('admin');
    const patient = await makeUser('patient');
    await blockUser(actorOf(admin), patient.id, 'Abusive calls');
    expect(await refusal(deleteUser(actorOf(superuser), admin.id))).toBeInstanceOf(Conflict);
    expect(await reload(admin.id)).not.toBeNull();
    expect(await reload(patient.id)).toMatchObject({ isBlocked: true, blockedById: admin.id, blockedReason: 'Abusive calls' });
    // Once the account is unblocked nothing of another user depends on the admin.
    await unblockUser(actorOf(superuser), patient.id);
    await deleteUser(actorOf(superuser), admin.id);
    expect(await reload(admin.id)).toBeNull();
    expect(await reload(patient.id)).toMatchObject({ isBlocked: false });
  });

  it('does not let a patient delete another patient (404)', async () => {
    const a = await makeUser('patient');
    const b = await makeUser('patient');
    expect(await refusal(deleteUser(actorOf(a), b.id))).toBeInstanceOf(NotFound);
    expect(await reload(b.id)).not.toBeNull();
  });
});

describe('staff invitations', () => {
  it('invites a doctor with a profile, mails a 72-hour link, and the doctor sets a password and logs in at the panel', async () => {
    const admin = await makeUser('admin');
    const view = await inviteStaff(actorOf(admin), {
      email: 'New.Doctor@Clinic.test', role: 'doctor', firstName: 'Ngozi', lastName: 'Okonkwo-Adébáyọ̀', specialty: 'Dermatology', visitMinutes: 45,
    });
    expect(view).toMatchObject({ role: 'doctor', isActive: false, doctorProfile: { specialty: 'Dermatology', visitMinutes: 45 } });
    const mails = await outbox('staff_invitation', 'new.doctor@clinic.test');
    expect(mails).toHaveLength(1);
    expect(String(mails[0].data.link)).toMatch(/^\/admin\/invitation\?token=/);
    const token = await tokenFromMail('staff_invitation', 'new.doctor@clinic.test');
    const weak = await refusal(acceptInvitation(token, 'password123'));
    expect(weak.fields).toHaveProperty('password');
    await acceptInvitation(token, 'a long and private phrase');
    expect(await refusal(acceptInvitation(token, 'another long private phrase'))).toBeInstanceOf(Invalid);
    const user = await login({ email: 'new.doctor@clinic.test', password: 'a long and private phrase' }, { ip: '192.0.2.60', channel: 'panel' });
    expect(user.id).toBe(view.id);
  });

  it('expires the invitation after 72 hours', async () => {
    const admin = await makeUser('admin');
    clock.set('2026-11-01T08:00:00Z');
    await inviteStaff(actorOf(admin), { email: 'late@clinic.test', role: 'operator', firstName: 'Late', lastName: 'Comer' });
    const token = await tokenFromMail('staff_invitation', 'late@clinic.test');
    clock.set('2026-11-04T08:00:01Z');
    expect(await refusal(acceptInvitation(token, 'a long and private phrase'))).toBeInstanceOf(Invalid);
  });

  it('lets only the superuser invite an admin, and nobody invite a duplicate email', async () => {
    const admin = await makeUser('admin');
    const superuser = await makeUser('superuser');
    const count = () => db().getRepository(User).count();
    const before = await count();
    expect(await refusal(inviteStaff(actorOf(admin), { email: 'boss@clinic.test', role: 'admin', firstName: 'B', lastName: 'C' }))).toBeInstanceOf(Forbidden);
    expect(await refusal(inviteStaff(actorOf(await makeUser('operator')), { email: 'x@clinic.test', role: 'operator', firstName: 'B', lastName: 'C' }))).toBeInstanceOf(Forbidden);
    expect(await refusal(inviteStaff(actorOf(admin), { email: 'doc@clinic.test', role: 'doctor', firstName: 'B', lastName: 'C' }))).toBeInstanceOf(Invalid);
    expect(await count()).toBe(before + 1); // the operator made above
    await inviteStaff(actorOf(superuser), { email: 'boss@clinic.test', role: 'admin', firstName: 'B', lastName: 'C' });
    const dup = await refusal(inviteStaff(actorOf(superuser), { email: 'BOSS@clinic.test', role: 'operator', firstName: 'B', lastName: 'C' }));
    expect(dup).toBeInstanceOf(Conflict);
    expect(dup.fields).toHaveProperty('email');
  });
});

describe('passwords', () => {
  it('answers a reset request the same for unknown emails and mails only real accounts', async () => {
    const patient = await makeUser('patient');
    await expect(requestPasswordReset('nobody@nowhere.test')).resolves.toBeUndefined();
    await expect(requestPasswordReset(patient.email.toUpperCase())).resolves.toBeUndefined();
    expect(await outbox('password_reset', 'nobody@nowhere.test')).toHaveLength(0);
    const mails = await outbox('password_reset', patient.email);
    expect(mails).toHaveLength(1);
    expect(String(mails[0].data.link)).toMatch(/^\/reset-password\?token=/);
  });

  it('activates a patient who never opened the activation link and welcomes them once, whichever link comes next', async () => {
    const patient = await makeUser('patient', { isActive: false });
    await requestPasswordReset(patient.email);
    await confirmPasswordReset(await tokenFromMail('password_reset', patient.email), 'a brand new passphrase');
    expect((await reload(patient.id))?.isActive).toBe(true);
    expect(await outbox('welcome', patient.email)).toHaveLength(1);
    // A second reset of the now active account welcomes nobody again.
    await requestPasswordReset(patient.email);
    await confirmPasswordReset(await tokenFromMail('password_reset', patient.email), 'another new passphrase');
    expect(await outbox('welcome', patient.email)).toHaveLength(1);
  });

  it('sets a new password once from the link, ends all sessions, and keeps the link usable after a refused weak password', async () => {
    const patient = await makeUser('patient');
    await sessionRow(patient.id);
    await requestPasswordReset(patient.email);
    const token = await tokenFromMail('password_reset', patient.email);
    expect((await refusal(confirmPasswordReset(token, 'short'))).fields).toHaveProperty('password');
    await confirmPasswordReset(token, 'a brand new passphrase');
    expect(await refusal(confirmPasswordReset(token, 'yet another passphrase'))).toBeInstanceOf(Invalid);
    expect((await reload(patient.id))!.sessionEpoch).toBe(1);
    expect(await db().getRepository(Session).countBy({ userId: patient.id })).toBe(0);
    const ip = { ip: '192.0.2.70', channel: 'portal' as const };
    expect(await refusal(login({ email: patient.email, password: FIXTURE_PASSWORD }, ip))).toBeInstanceOf(Unauthenticated);
    expect((await login({ email: patient.email, password: 'a brand new passphrase' }, ip)).id).toBe(patient.id);
  });

  it('lets only one of two parallel uses of a reset link through', async () => {
    const patient = await makeUser('patient');
    await requestPasswordReset(patient.email);
    const token = await tokenFromMail('password_reset', patient.email);
    const results = await Promise.allSettled([
      confirmPasswordReset(token, 'first parallel passphrase'),
      confirmPasswordReset(token, 'second parallel passphrase'),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(Invalid);
    expect((await reload(patient.id))!.sessionEpoch).toBe(1);
  });

  it('expires a reset link after 30 minutes', async () => {
    const patient = await makeUser('patient');
    clock.set('2026-11-10T10:00:00Z');
    await requestPasswordReset(patient.email);
    const token = await tokenFromMail('password_reset', patient.email);
    clock.set('2026-11-10T10:30:01Z');
    expect(await refusal(confirmPasswordReset(token, 'a brand new passphrase'))).toBeInstanceOf(Invalid);
  });

  it('changes the password only with the current one, and moves the epoch', async () => {
    const operator = await makeUser('operator');
    const wrong = await refusal(changePassword(actorOf(operator), 'not it', 'a brand new passphrase'));
    expect(wrong.fields).toHaveProperty('currentPassword');
    const user = await changePassword(actorOf(operator), FIXTURE_PASSWORD, 'a brand new passphrase');
    expect(user.sessionEpoch).toBe(1);
    expect((await login({ email: operator.email, password: 'a brand new passphrase' }, { ip: '192.0.2.71', channel: 'panel' })).id).toBe(operator.id);
    expect(JSON.stringify(await auditActions(operator.id))).toContain('user.passwordChange');
  });
});
