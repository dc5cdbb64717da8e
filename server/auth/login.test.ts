import { afterEach, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/support/db.js';
import { db } from '../db/data-source.js';
import { LoginAttempt } from '../db/entities/login-attempt.js';
import { User } from '../db/entities/user.js';
import { clock } from '../shared/clock.js';
import { Invalid, TooManyRequests, Unauthenticated } from '../shared/errors.js';
import { FIXTURE_PASSWORD, makeUser } from '../users/test-fixtures.js';
import { IP_FAILURE_CEILING, login, WRONG_CREDENTIALS } from './login.js';

useTestDatabase();
afterEach(() => clock.reset());

let ipCounter = 0;
function client(channel: 'portal' | 'panel' = 'portal') {
  ipCounter += 1;
  return { ip: `198.51.100.${ipCounter}`, userAgent: 'vitest', channel };
}

async function refusal(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a refusal');
}

function attemptsFor(email: string) {
  return db().getRepository(LoginAttempt).find({ where: { email }, order: { id: 'ASC' } });
}

describe('login', () => {
  it('lets an active patient in at the portal, records the attempt and sets lastLoginAt', async () => {
    const patient = await makeUser('patient');
    const user = await login({ email: patient.email.toUpperCase(), password: FIXTURE_PASSWORD }, client());
    expect(user.id).toBe(patient.id);
    expect((user as Partial<User>).passwordHash).toBeUndefined();
    const attempts = await attemptsFor(patient.email);
    expect(attempts.map((a) => [a.success, a.reason])).toEqual([[true, 'ok']]);
    expect((await db().getRepository(User).findOneByOrFail({ id: patient.id })).lastLoginAt).not.toBeNull();
  });

  it('answers an unknown email exactly like a wrong password, and records both', async () => {
    const patient = await makeUser('patient');
    const c = client();
    const wrong = await refusal(login({ email: patient.email, password: 'not the password' }, c));
    const unknown = await refusal(login({ email: 'nobody@nowhere.test', password: 'not the password' }, c));
    expect(wrong).toBeInstanceOf(Unauthenticated);
    expect(unknown).toBeInstanceOf(Unauthenticated);
    expect(wrong.message).toBe(WRONG_CREDENTIALS);
    expect(unknown.message).toBe(WRONG_CREDENTIALS);
    expect((await attemptsFor('nobody@nowhere.test')).map((a) => a.reason)).toEqual(['bad_credentials']);
    expect((await attemptsFor(patient.email)).map((a) => a.reason)).toEqual(['bad_credentials']);
  });

  it('spends argon2 time on unknown emails as on known ones', async () => {
    const patient = await makeUser('patient');
    await refusal(login({ email: 'warm@up.test', password: 'x' }, client()));
    const median = async (email: string) => {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        await refusal(login({ email, password: 'not the password' }, client()));
        times.push(performance.now() - started);
      }
      return times.sort((a, b) => a - b)[2];
    };
    const known = await median(patient.email);
    const unknown = await median('ghost@nowhere.test');
    // Both verify one argon2id hash (~20 ms); skipping it would make the
    // unknown email ~10× faster. The margin absorbs a busy machine.
    expect(unknown).toBeGreaterThan(known * 0.3);
  });

  it('refuses staff at the portal and patients at the panel with the wrong-password answer', async () => {
    const doctor = await makeUser('doctor');
    const patient = await makeUser('patient');
    const atPortal = await refusal(login({ email: doctor.email, password: FIXTURE_PASSWORD }, client('portal')));
    const atPanel = await refusal(login({ email: patient.email, password: FIXTURE_PASSWORD }, client('panel')));
    expect(atPortal.message).toBe(WRONG_CREDENTIALS);
    expect(atPanel.message).toBe(WRONG_CREDENTIALS);
    expect((await attemptsFor(doctor.email)).map((a) => a.reason)).toEqual(['wrong_door']);
    expect((await attemptsFor(patient.email)).map((a) => a.reason)).toEqual(['wrong_door']);
    expect((await login({ email: doctor.email, password: FIXTURE_PASSWORD }, client('panel'))).id).toBe(doctor.id);
  });

  it('answers an empty form with field errors and records nothing', async () => {
    const err = await refusal(login({ email: '  ', password: '' }, client()));
    expect(err).toBeInstanceOf(Invalid);
    expect((err as Invalid).fields).toMatchObject({ email: expect.any(String), password: expect.any(String) });
    expect(await db().getRepository(LoginAttempt).countBy({ email: '' })).toBe(0);
  });

  it('refuses inactive and blocked accounts even with the right password', async () => {
    const inactive = await makeUser('patient', { isActive: false });
    const blocked = await makeUser('operator', { isBlocked: true });
    expect(await refusal(login({ email: inactive.email, password: FIXTURE_PASSWORD }, client()))).toBeInstanceOf(Unauthenticated);
    expect(await refusal(login({ email: blocked.email, password: FIXTURE_PASSWORD }, client('panel')))).toBeInstanceOf(Unauthenticated);
    expect((await attemptsFor(inactive.email)).map((a) => a.reason)).toEqual(['inactive']);
    expect((await attemptsFor(blocked.email)).map((a) => a.reason)).toEqual(['blocked']);
  });

  it('locks an account for one client after 5 failures, for 10 minutes from the fifth, even for the right password', async () => {
    const patient = await makeUser('patient');
    const c = client();
    const start = new Date('2026-11-28T10:00:00Z');
    for (let i = 0; i < 5; i++) {
      clock.set(new Date(start.getTime() + i * 60_000));
      expect(await refusal(login({ email: patient.email, password: `wrong ${i}` }, c))).toBeInstanceOf(Unauthenticated);
    }
    // The fifth failure was at 10:04; the lock lasts until 10:14.
    clock.set('2026-11-28T10:05:00Z');
    const sixth = await refusal(login({ email: patient.email, password: 'wrong again' }, c));
    expect(sixth).toBeInstanceOf(TooManyRequests);
    expect((sixth as TooManyRequests).headers?.['Retry-After']).toBe('540');
    clock.set('2026-11-28T10:13:59Z');
    const right = await refusal(login({ email: patient.email, password: FIXTURE_PASSWORD }, c));
    expect(right).toBeInstanceOf(TooManyRequests);
    expect((right as TooManyRequests).headers?.['Retry-After']).toBe('1');

    // Another client is not locked out by this one's failures.
    expect((await login({ email: patient.email, password: FIXTURE_PASSWORD }, client())).id).toBe(patient.id);

    clock.set('2026-11-28T10:14:01Z');
    expect((await login({ email: patient.email, password: FIXTURE_PASSWORD }, c)).id).toBe(patient.id);
    const reasons = (await attemptsFor(patient.email)).map((a) => a.reason);
    expect(reasons).toEqual([...Array(5).fill('bad_credentials'), 'locked', 'locked', 'ok', 'ok']);
  });

  it('lets at most 5 of a burst of 20 parallel guesses be checked', async () => {
    const patient = await makeUser('patient');
    const c = client();
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => login({ email: patient.email, password: `guess ${i}` }, c)),
    );
    const errors = results.map((r) => (r.status === 'rejected' ? r.reason : null));
    expect(errors.filter((e) => e instanceof Unauthenticated).length).toBeLessThanOrEqual(5);
    expect(errors.filter((e) => e instanceof TooManyRequests).length).toBeGreaterThanOrEqual(15);
    const reasons = (await attemptsFor(patient.email)).map((a) => a.reason);
    expect(reasons.filter((r) => r === 'bad_credentials').length).toBeLessThanOrEqual(5);
    expect(reasons).toHaveLength(20);
    expect(reasons).not.toContain('pending');
  });

  it('locks staff at the panel the same way', async () => {
    const admin = await makeUser('admin');
    const c = client('panel');
    for (let i = 0; i < 5; i++) await refusal(login({ email: admin.email, password: 'nope' }, c));
    expect(await refusal(login({ email: admin.email, password: FIXTURE_PASSWORD }, c))).toBeInstanceOf(TooManyRequests);
  });

  it('starts counting again after a successful login', async () => {
    const patient = await makeUser('patient');
    const c = client();
    for (let i = 0; i < 4; i++) await refusal(login({ email: patient.email, password: 'nope' }, c));
    await login({ email: patient.email, password: FIXTURE_PASSWORD }, c);
    for (let i = 0; i < 4; i++) await refusal(login({ email: patient.email, password: 'nope' }, c));
    expect((await login({ email: patient.email, password: FIXTURE_PASSWORD }, c)).id).toBe(patient.id);
  });

  it('stops one address spraying passwords across many accounts', async () => {
    const c = client();
    const at = new Date('2026-11-28T12:00:00Z');
    clock.set(at);
    // Recorded directly: 30 argon2 verifications would only slow the test down.
    await db().getRepository(LoginAttempt).insert(
      Array.from({ length: IP_FAILURE_CEILING }, (_, i) => ({
        at, email: `victim${i}@spray.test`, ip: c.ip, userAgent: 'x', success: false, reason: 'bad_credentials', channel: 'portal',
      })),
    );
    const patient = await makeUser('patient');
    const refused = await refusal(login({ email: patient.email, password: FIXTURE_PASSWORD }, c));
    expect(refused).toBeInstanceOf(TooManyRequests);
    expect((refused as TooManyRequests).headers?.['Retry-After']).toBe('600');
    clock.set(new Date(at.getTime() + 10 * 60_000 + 1000));
    expect((await login({ email: patient.email, password: FIXTURE_PASSWORD }, c)).id).toBe(patient.id);
  });

  it('does not count right passwords on accounts not yet activated or blocked as spraying', async () => {
    const c = client();
    const at = new Date('2026-11-28T12:00:00Z');
    clock.set(at);
    // A clinic's front desk: many people registering and trying to log in before opening the mail.
    // Each knew their password; none of it is guessing.
    await db().getRepository(LoginAttempt).insert(
      Array.from({ length: 2 * IP_FAILURE_CEILING }, (_, i) => ({
        at, email: `new${i}@front-desk.test`, ip: c.ip, userAgent: 'x', success: false, reason: i % 2 ? 'inactive' : 'blocked', channel: 'portal',
      })),
    );
    const patient = await makeUser('patient');
    expect((await login({ email: patient.email, password: FIXTURE_PASSWORD }, c)).id).toBe(patient.id);
  });

  it('counts spraying in accounts: many failures on a few accounts leave the address free for the others', async () => {
    const c = client();
    const at = new Date('2026-11-28T12:00:00Z');
    clock.set(at);
    // Mistyped passwords at a shared address: forty failures, but on three accounts only.
    await db().getRepository(LoginAttempt).insert(
      Array.from({ length: 40 }, (_, i) => ({
        at, email: `typo${i % 3}@clinic-wifi.test`, ip: c.ip, userAgent: 'x', success: false, reason: 'bad_credentials', channel: 'portal',
      })),
    );
    const patient = await makeUser('patient');
    expect((await login({ email: patient.email, password: FIXTURE_PASSWORD }, c)).id).toBe(patient.id);
    // One account short of the ceiling is still free; the ceiling itself stops the address.
    await db().getRepository(LoginAttempt).insert(
      Array.from({ length: IP_FAILURE_CEILING - 4 }, (_, i) => ({
        at, email: `other${i}@clinic-wifi.test`, ip: c.ip, userAgent: 'x', success: false, reason: 'bad_credentials', channel: 'portal',
      })),
    );
    expect((await login({ email: patient.email, password: FIXTURE_PASSWORD }, c)).id).toBe(patient.id);
    await db().getRepository(LoginAttempt).insert({
      at, email: 'last@clinic-wifi.test', ip: c.ip, userAgent: 'x', success: false, reason: 'bad_credentials', channel: 'portal',
    });
    expect(await refusal(login({ email: patient.email, password: FIXTURE_PASSWORD }, c))).toBeInstanceOf(TooManyRequests);
  });
});
