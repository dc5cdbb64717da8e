import { afterEach, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/support/db.js';
import { login } from '../auth/login.js';
import { db } from '../db/data-source.js';
import { OneTimeToken } from '../db/entities/one-time-token.js';
import { User } from '../db/entities/user.js';
import { clock } from '../shared/clock.js';
import { Conflict, Forbidden, Invalid, Unauthenticated } from '../shared/errors.js';
import type { RegisterPatientInput } from './schemas.js';
import { activateAccount, registerPatient, resendActivation } from './registration.js';
import { actorOf, auditActions, makeUser, outbox, refusal, tokenFromMail } from './test-fixtures.js';

useTestDatabase();
afterEach(() => clock.reset());

let n = 0;
/** A valid registration; overrides may be invalid on purpose, hence the cast. */
function registration(overrides: Record<string, unknown> = {}): RegisterPatientInput {
  n += 1;
  return {
    email: `Zoe.OBrien${n}@Example.com`,
    password: 'a quiet meadow at dawn',
    firstName: 'Zoë',
    lastName: "O'Brien-Łukasiewicz",
    dateOfBirth: '1990-02-14',
    phone: '+46 70-123 45 67',
    gender: 'female',
    heightCm: 168,
    weightKg: 61.5,
    addressStreet: 'Rue de l’Église',
    addressHouse: '12 bis',
    addressCity: 'Malmö',
    addressCountry: 'Sverige',
    ...overrides,
  } as RegisterPatientInput;
}

const users = () => db().getRepository(User).count();

describe('registering a patient', () => {
  it('creates an inactive patient with real-world names, an E.164 phone and a hashed password, and mails one activation link', async () => {
    const input = registration();
    const view = await registerPatient(input, { ip: '192.0.2.1', userAgent: 'test' });
    const row = await db().getRepository(User).createQueryBuilder('u').addSelect('u.passwordHash').where('u.id = :id', { id: view.id }).getOneOrFail();
    expect(row).toMatchObject({
      email: input.email.toLowerCase(), role: 'patient', isActive: false, firstName: 'Zoë',
      lastName: "O'Brien-Łukasiewicz", phone: '+46701234567', addressCity: 'Malmö',
    });
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(view).not.toHaveProperty('passwordHash');
    const mails = await outbox('activation', row.email);
    expect(mails).toHaveLength(1);
    expect(String(mails[0].data.link)).toMatch(/^\/activate\?token=/);
    expect(JSON.stringify(mails[0].data)).not.toContain(input.password);
    const token = await db().getRepository(OneTimeToken).findOneByOrFail({ userId: row.id });
    expect(token.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(String(mails[0].data.link)).not.toContain(token.tokenHash);
    expect(await auditActions(row.id)).toEqual(['user.register']);
  });

  it('refuses an email that exists in another case with 409 on the email field, and writes nothing', async () => {
    const first = registration();
    await registerPatient(first);
    const before = await users();
    const err = await refusal(registerPatient(registration({ email: first.email.toUpperCase() })));
    expect(err).toBeInstanceOf(Conflict);
    expect(err.fields).toHaveProperty('email');
    expect(await users()).toBe(before);
    expect(await outbox('activation', first.email.toLowerCase())).toHaveLength(1);
  });

  it.each([
    ['a patient younger than 18', { dateOfBirth: '2010-01-01' }, 'dateOfBirth'],
    ['a phone not in international form', { phone: '070-123 45 67' }, 'phone'],
    ['a name made of digits', { firstName: '12345' }, 'firstName'],
    ['a short password', { password: 'short' }, 'password'],
    ['a common password', { password: 'password123' }, 'password'],
    ['the email as password', { email: 'anna.long@example.com', password: 'anna.long@example.com' }, 'password'],
    ['an invalid email', { email: 'not-an-email' }, 'email'],
    ['an unknown field', { isActive: true }, 'isActive'],
    ['an impossible date', { dateOfBirth: '1990-02-30' }, 'dateOfBirth'],
  ])('refuses %s with a field error and writes nothing', async (_what, overrides, field) => {
    const before = await users();
    const err = await refusal(registerPatient(registration(overrides)));
    expect(err).toBeInstanceOf(Invalid);
    expect(err.fields).toHaveProperty(field);
    expect(await users()).toBe(before);
  });

  it.each([
    ['Zoë', "O'Brien-Łukasiewicz"], ['José María', 'Núñez'], ['Nguyễn', 'Thị Hương'], ['Ægir', 'Sørensen'],
    ['Đorđe', 'Đorđević'], ['Anne-Marie', "d'Arcy"], ['Gerard', '’t Hooft'], ['محمد', 'العلي'], ['Jo\u0301se', 'St. John'],
  ])('accepts the real-world name %s %s as typed', async (firstName, lastName) => {
    const view = await registerPatient(registration({ firstName, lastName }));
    expect(view).toMatchObject({ firstName, lastName });
  });

  it.each([
    ['markup', { lastName: '<script>' }, 'lastName'],
    ['SQL', { firstName: "Robert'); DROP TABLE users;--" }, 'firstName'],
    ['only spaces', { firstName: '   ' }, 'firstName'],
    ['a leading hyphen', { lastName: '-Smith' }, 'lastName'],
    ['a phone with letters', { phone: '+46abc12345' }, 'phone'],
    ['a phone too long for E.164', { phone: '+1234567890123456' }, 'phone'],
  ])('refuses a name or phone with %s, on its field', async (_what, overrides, field) => {
    const before = await users();
    const err = await refusal(registerPatient(registration(overrides)));
    expect(err).toBeInstanceOf(Invalid);
    expect(err.fields).toHaveProperty(field);
    expect(await users()).toBe(before);
  });

  it('turns 18 at midnight in the clinic, not at midnight UTC', async () => {
    // 22:30 UTC on 14 June is already 00:30 on 15 June in Stockholm (CEST).
    clock.set('2026-06-14T22:30:00Z');
    expect((await registerPatient(registration({ dateOfBirth: '2008-06-15' }))).id).toBeGreaterThan(0);
    expect(await refusal(registerPatient(registration({ dateOfBirth: '2008-06-16' })))).toBeInstanceOf(Invalid);
  });

  it('counts the 18 years on the clinic calendar: accepted on the 18th birthday, refused the day before', async () => {
    clock.set('2026-06-15T10:00:00Z');
    expect(await refusal(registerPatient(registration({ dateOfBirth: '2008-06-16' })))).toBeInstanceOf(Invalid);
    expect((await registerPatient(registration({ dateOfBirth: '2008-06-15' }))).id).toBeGreaterThan(0);
  });
});

describe('activating an account', () => {
  it('activates once from the mailed link, welcomes once, and then lets the patient log in', async () => {
    const input = registration();
    await registerPatient(input);
    const email = input.email.toLowerCase();
    expect(await refusal(login({ email, password: input.password }, { ip: '192.0.2.7', channel: 'portal' }))).toBeInstanceOf(Unauthenticated);
    const token = await tokenFromMail('activation', email);
    const view = await activateAccount(token);
    expect(view.isActive).toBe(true);
    expect(await outbox('welcome', email)).toHaveLength(1);
    expect((await login({ email, password: input.password }, { ip: '192.0.2.8', channel: 'portal' })).email).toBe(email);
    const again = await refusal(activateAccount(token));
    expect(again).toBeInstanceOf(Invalid);
    expect(again.status).toBe(400);
    expect(await outbox('welcome', email)).toHaveLength(1);
  });

  it('refuses a made-up token and a link older than 24 hours', async () => {
    expect(await refusal(activateAccount('made-up'))).toBeInstanceOf(Invalid);
    clock.set('2026-11-01T10:00:00Z');
    const input = registration();
    await registerPatient(input);
    const token = await tokenFromMail('activation', input.email.toLowerCase());
    clock.set('2026-11-02T10:00:01Z');
    expect(await refusal(activateAccount(token))).toBeInstanceOf(Invalid);
    const row = await db().getRepository(User).findOneByOrFail({ email: input.email.toLowerCase() });
    expect(row.isActive).toBe(false);
  });

  it('lets an admin resend the link; only the newest link works', async () => {
    const admin = await makeUser('admin');
    const input = registration();
    const view = await registerPatient(input);
    const email = input.email.toLowerCase();
    const oldToken = await tokenFromMail('activation', email);
    await resendActivation(actorOf(admin), view.id);
    const newToken = await tokenFromMail('activation', email);
    expect(newToken).not.toBe(oldToken);
    expect(await outbox('activation', email)).toHaveLength(2);
    expect(await refusal(activateAccount(oldToken))).toBeInstanceOf(Invalid);
    await activateAccount(newToken);
    expect(await refusal(resendActivation(actorOf(admin), view.id))).toBeInstanceOf(Conflict);
  });

  it('does not let an operator resend activation links', async () => {
    const operator = await makeUser('operator');
    const view = await registerPatient(registration());
    expect(await refusal(resendActivation(actorOf(operator), view.id))).toBeInstanceOf(Forbidden);
  });
});
