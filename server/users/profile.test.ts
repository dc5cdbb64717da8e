import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/support/db.js';
import { db } from '../db/data-source.js';
import { User } from '../db/entities/user.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../shared/errors.js';
import { getProfile, requestEmailChange, updateProfile, verifyEmailChange } from './profile.js';
import { getUser, listUsers } from './queries.js';
import { actorOf, auditActions, makeUser, outbox, refusal, tokenFromMail } from './test-fixtures.js';

useTestDatabase();

describe('profiles', () => {
  it('lets a patient edit their own profile and audits before and after', async () => {
    const patient = await makeUser('patient', { addressCity: 'Lund' });
    const { profile, emailVerificationSentTo } = await updateProfile(actorOf(patient), patient.id, {
      firstName: 'Søren', addressCity: 'Göteborg', phone: '+45 12 34 56 78', weightKg: 80.5,
    });
    expect(profile).toMatchObject({ firstName: 'Søren', addressCity: 'Göteborg', phone: '+4512345678', weightKg: 80.5 });
    expect(emailVerificationSentTo).toBeNull();
    expect(await auditActions(patient.id)).toEqual(['user.update']);
    expect(profile).not.toHaveProperty('passwordHash');
  });

  it('keeps a patient 18 or older and refuses unknown fields, changing nothing', async () => {
    const patient = await makeUser('patient');
    expect((await refusal(updateProfile(actorOf(patient), patient.id, { dateOfBirth: '2015-01-01' }))).fields).toHaveProperty('dateOfBirth');
    const unknown = await refusal(updateProfile(actorOf(patient), patient.id, { role: 'admin' } as never));
    expect(unknown).toBeInstanceOf(Invalid);
    expect(unknown.fields).toHaveProperty('role');
    expect(await db().getRepository(User).findOneByOrFail({ id: patient.id })).toMatchObject({ role: 'patient', dateOfBirth: patient.dateOfBirth });
  });

  it('refuses a birth date in the future or more than 130 years back, for patients and staff alike', async () => {
    const patient = await makeUser('patient');
    const doctor = await makeUser('doctor');
    for (const [who, dateOfBirth] of [[patient, '1850-03-01'], [doctor, '1850-03-01'], [doctor, '2999-01-01']] as const) {
      const err = await refusal(updateProfile(actorOf(who), who.id, { dateOfBirth }));
      expect(err).toBeInstanceOf(Invalid);
      expect(err.fields).toHaveProperty('dateOfBirth');
      expect((await db().getRepository(User).findOneByOrFail({ id: who.id })).dateOfBirth).toBe(who.dateOfBirth);
    }
  });

  it("hides another patient's profile behind 404", async () => {
    const a = await makeUser('patient');
    const b = await makeUser('patient');
    expect(await refusal(getProfile(actorOf(a), b.id))).toBeInstanceOf(NotFound);
    expect(await refusal(updateProfile(actorOf(a), b.id, { firstName: 'Hacked' }))).toBeInstanceOf(NotFound);
    expect((await db().getRepository(User).findOneByOrFail({ id: b.id })).firstName).toBe(b.firstName);
  });

  it('changes the email only after the link sent to the new address is opened', async () => {
    const patient = await makeUser('patient');
    const { emailVerificationSentTo } = await updateProfile(actorOf(patient), patient.id, { email: 'New.Address@Example.com' });
    expect(emailVerificationSentTo).toBe('new.address@example.com');
    expect((await db().getRepository(User).findOneByOrFail({ id: patient.id })).email).toBe(patient.email);
    const mails = await outbox('email_change', 'new.address@example.com');
    expect(mails).toHaveLength(1);
    expect(String(mails[0].data.link)).toMatch(/^\/verify-email\?token=/);
    const token = await tokenFromMail('email_change', 'new.address@example.com');
    expect((await verifyEmailChange(token)).email).toBe('new.address@example.com');
    expect(await refusal(verifyEmailChange(token))).toBeInstanceOf(Invalid);
  });

  it('refuses an email change to an address another account uses', async () => {
    const a = await makeUser('patient');
    const b = await makeUser('patient');
    const err = await refusal(requestEmailChange(actorOf(a), b.email.toUpperCase()));
    expect(err).toBeInstanceOf(Conflict);
    expect(err.fields).toHaveProperty('email');
    expect(await outbox('email_change', b.email)).toHaveLength(0);
  });

  it("lets an admin edit a doctor's specialty but not another admin", async () => {
    const admin = await makeUser('admin');
    const doctor = await makeUser('doctor');
    const other = await makeUser('admin');
    const { profile } = await updateProfile(actorOf(admin), doctor.id, { specialty: 'Neurology', visitMinutes: 45 });
    expect(profile.doctorProfile).toMatchObject({ specialty: 'Neurology', visitMinutes: 45 });
    expect(await refusal(updateProfile(actorOf(admin), other.id, { lastName: 'X' }))).toBeInstanceOf(Forbidden);
    expect(await refusal(updateProfile(actorOf(doctor), doctor.id, { specialty: 'Surgery' }))).toBeInstanceOf(Forbidden);
  });
});

describe('reading people, shaped per role', () => {
  it.each([
    ['admin', ['email', 'phone', 'addressCity', 'isBlocked', 'lastLoginAt']],
    ['doctor', ['email', 'phone', 'addressCity']],
    ['operator', ['email', 'phone', 'dateOfBirth']],
    ['pharmacist', ['dateOfBirth']],
  ] as const)('shows a patient to a %s with exactly what they may see', async (role, visible) => {
    const viewer = await makeUser(role);
    const patient = await makeUser('patient', { addressCity: 'Uppsala' });
    const view = await getUser(actorOf(viewer), patient.id);
    expect(view).not.toHaveProperty('passwordHash');
    expect(view).not.toHaveProperty('sessionEpoch');
    for (const key of visible) expect(view).toHaveProperty(key);
    if (role === 'operator') expect(Object.keys(view).sort()).toEqual(['dateOfBirth', 'email', 'firstName', 'id', 'lastName', 'phone', 'role']);
    if (role === 'pharmacist') expect(Object.keys(view).sort()).toEqual(['dateOfBirth', 'firstName', 'id', 'lastName', 'role']);
  });

  it('shows an operator doctors but no other staff', async () => {
    const operator = await makeUser('operator');
    const doctor = await makeUser('doctor');
    const pharmacist = await makeUser('pharmacist');
    expect((await getUser(actorOf(operator), doctor.id)).doctorProfile).toMatchObject({ specialty: 'General practice' });
    expect(await refusal(getUser(actorOf(operator), pharmacist.id))).toBeInstanceOf(NotFound);
    const page = await listUsers(actorOf(operator), { perPage: 100 });
    expect(new Set(page.items.map((u) => u.role))).toEqual(new Set(['doctor', 'patient']));
  });

  it('refuses patients the staff list and pages, filters and sorts for staff', async () => {
    const patient = await makeUser('patient');
    expect(await refusal(listUsers(actorOf(patient), {}))).toBeInstanceOf(Forbidden);
    const admin = await makeUser('admin');
    await makeUser('patient', { lastName: 'Zzyzx_%' });
    await makeUser('patient', { lastName: 'Zzyzxa' });
    const page = await listUsers(actorOf(admin), { role: 'patient', q: 'zzyzx_%', perPage: 10, sort: '-lastName' });
    expect(page.items.map((u) => u.lastName)).toEqual(['Zzyzx_%']);
    expect(page).toMatchObject({ total: 1, page: 1, perPage: 10 });
    const both = await listUsers(actorOf(admin), { q: 'zzyzx', sort: '-lastName' });
    expect(both.items.map((u) => u.lastName)).toEqual(['Zzyzxa', 'Zzyzx_%']);
    expect(await refusal(listUsers(actorOf(admin), { sort: 'passwordHash' } as never))).toBeInstanceOf(Invalid);
  });
});
