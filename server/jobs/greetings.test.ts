import { afterEach, describe, expect, it } from 'vitest';
import { makeUser } from '../appointments/test-fixtures.js';
import { config, overrideConfig } from '../config.js';
import { db } from '../db/data-source.js';
import { Notification } from '../db/entities/notification.js';
import { clinicTimeToUtc } from '../shared/clinic-time.js';
import { useTestDatabase } from '../../test/support/db.js';
import { queueBirthdayGreetings, queueSeasonGreetings } from './greetings.js';

useTestDatabase();

const greetings = config().greetings;
afterEach(() => overrideConfig({ greetings }));

async function greetingsTo(email: string, kind: string) {
  return db().getRepository(Notification).findBy({ toEmail: email, kind });
}

describe('birthday greetings', () => {
  it('greets an active patient once on their birthday from 10:00 clinic time, however often the job runs', async () => {
    const { user } = await makeUser('patient', { email: 'bday@example.org', dateOfBirth: '1980-03-14' });
    await makeUser('patient', { email: 'other-day@example.org', dateOfBirth: '1980-03-15' });
    await makeUser('patient', { email: 'blocked@example.org', dateOfBirth: '1975-03-14', isBlocked: true });

    expect(await queueBirthdayGreetings(clinicTimeToUtc('2027-03-14', 9 * 60 + 59))).toBe(0);
    await queueBirthdayGreetings(clinicTimeToUtc('2027-03-14', 10 * 60));
    await queueBirthdayGreetings(clinicTimeToUtc('2027-03-14', 17 * 60));

    const rows = await greetingsTo('bday@example.org', 'birthday_greeting');
    expect(rows.map((r) => r.dedupeKey)).toEqual([`birthday:${user.id}:2027`]);
    expect(await greetingsTo('other-day@example.org', 'birthday_greeting')).toHaveLength(0);
    expect(await greetingsTo('blocked@example.org', 'birthday_greeting')).toHaveLength(0);

    await queueBirthdayGreetings(clinicTimeToUtc('2028-03-14', 11 * 60));
    expect(await greetingsTo('bday@example.org', 'birthday_greeting')).toHaveLength(2);
  });

  it('greets staff on their birthday too, but not an invited colleague who has not started or a blocked one', async () => {
    const { user: doctor } = await makeUser('doctor', { email: 'doctor@example.org', dateOfBirth: '1970-04-14' });
    await makeUser('operator', { email: 'operator@example.org', dateOfBirth: '1985-04-14' });
    await makeUser('pharmacist', { email: 'invited@example.org', dateOfBirth: '1990-04-14', isActive: false });
    await makeUser('admin', { email: 'blocked-admin@example.org', dateOfBirth: '1975-04-14', isBlocked: true });
    await queueBirthdayGreetings(clinicTimeToUtc('2027-04-14', 10 * 60));
    const rows = await greetingsTo('doctor@example.org', 'birthday_greeting');
    expect(rows.map((r) => r.dedupeKey)).toEqual([`birthday:${doctor.id}:2027`]);
    expect(rows[0].data).toEqual({ firstName: doctor.firstName });
    expect(await greetingsTo('operator@example.org', 'birthday_greeting')).toHaveLength(1);
    expect(await greetingsTo('invited@example.org', 'birthday_greeting')).toHaveLength(0);
    expect(await greetingsTo('blocked-admin@example.org', 'birthday_greeting')).toHaveLength(0);
  });

  it('greets people born on 29 February on the 28th in other years', async () => {
    await makeUser('patient', { email: 'leap@example.org', dateOfBirth: '1992-02-29' });
    await queueBirthdayGreetings(clinicTimeToUtc('2027-02-28', 10 * 60));
    expect(await greetingsTo('leap@example.org', 'birthday_greeting')).toHaveLength(1);
  });

  it('sends nothing when switched off', async () => {
    await makeUser('patient', { email: 'off@example.org', dateOfBirth: '1990-06-01' });
    overrideConfig({ greetings: { ...greetings, birthday: false } });
    expect(await queueBirthdayGreetings(clinicTimeToUtc('2027-06-01', 12 * 60))).toBe(0);
    expect(await greetingsTo('off@example.org', 'birthday_greeting')).toHaveLength(0);
  });
});

describe('season greetings', () => {
  it('greets every active patient once on 25 and once on 31 December, and not on other days', async () => {
    const { user } = await makeUser('patient', { email: 'season@example.org' });
    expect(await queueSeasonGreetings(clinicTimeToUtc('2027-12-24', 12 * 60))).toBe(0);
    await queueSeasonGreetings(clinicTimeToUtc('2027-12-25', 10 * 60));
    await queueSeasonGreetings(clinicTimeToUtc('2027-12-25', 15 * 60));
    await queueSeasonGreetings(clinicTimeToUtc('2027-12-31', 10 * 60));
    const rows = await greetingsTo('season@example.org', 'season_greeting');
    expect(rows.map((r) => r.dedupeKey).sort()).toEqual([`season:christmas:2027:${user.id}`, `season:new_year:2027:${user.id}`]);
    expect(rows.find((r) => r.dedupeKey.startsWith('season:christmas'))!.data).toEqual({ firstName: user.firstName, occasion: 'christmas' });
  });

  it('greets the staff on 25 and 31 December too', async () => {
    const { user: pharmacist } = await makeUser('pharmacist', { email: 'season-staff@example.org' });
    await makeUser('doctor', { email: 'season-blocked@example.org', isBlocked: true });
    await queueSeasonGreetings(clinicTimeToUtc('2029-12-25', 10 * 60));
    await queueSeasonGreetings(clinicTimeToUtc('2029-12-31', 10 * 60));
    const rows = await greetingsTo('season-staff@example.org', 'season_greeting');
    expect(rows.map((r) => r.dedupeKey).sort()).toEqual([`season:christmas:2029:${pharmacist.id}`, `season:new_year:2029:${pharmacist.id}`]);
    expect(await greetingsTo('season-blocked@example.org', 'season_greeting')).toHaveLength(0);
  });

  it('sends nothing when switched off', async () => {
    await makeUser('patient', { email: 'season-off@example.org' });
    overrideConfig({ greetings: { ...greetings, season: false } });
    expect(await queueSeasonGreetings(clinicTimeToUtc('2028-12-25', 12 * 60))).toBe(0);
    expect(await greetingsTo('season-off@example.org', 'season_greeting')).toHaveLength(0);
  });
});
