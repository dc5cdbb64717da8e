import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind, useTestDatabase } from './support/db.js';
import { db } from '../server/db/data-source.js';
import { Appointment } from '../server/db/entities/appointment.js';
import { AppointmentSlot } from '../server/db/entities/appointment-slot.js';
import { Notification } from '../server/db/entities/notification.js';
import { clock } from '../server/shared/clock.js';
import { Conflict } from '../server/shared/errors.js';
import { bookVisit, cancelAppointment } from '../server/appointments/index.js';
import { at, makeDoctor, makeUser, MONDAY_MORNING, TUESDAY } from '../server/appointments/test-fixtures.js';

/**
 * SPEC rule 2 under real concurrency (issue 2): 50 transactions, each on its
 * own pooled MariaDB connection, race for one free slot. The database's
 * primary key on the slot cells decides; exactly one wins.
 */
const ATTEMPTS = 50;

interface MysqlPool { config: { connectionLimit: number }; _allConnections: { length: number } }

describe.runIf(testDatabaseKind() === 'mariadb')('no double booking under concurrency (MariaDB)', () => {
  useTestDatabase();
  beforeAll(() => {
    clock.set(MONDAY_MORNING);
    // The app's pool holds 20; give this test one connection per attempt so
    // all 50 transactions are open at the same time rather than queued.
    (db().driver as unknown as { pool: MysqlPool }).pool.config.connectionLimit = ATTEMPTS + 5;
  });
  afterAll(() => clock.reset());

  it('lets exactly one of 50 parallel bookings of one slot succeed; the other 49 get 409 naming the doctor', async () => {
    const { actor: operator } = await makeUser('operator');
    const { user: doctor } = await makeDoctor({ visitMinutes: 30 });
    const patients = await Promise.all(Array.from({ length: ATTEMPTS }, () => makeUser('patient')));
    const startsAt = at(TUESDAY, '10:00');

    const outcomes = await Promise.allSettled(
      patients.map(({ user }) => bookVisit(operator, { patientId: user.id, doctorId: doctor.id, startsAt })),
    );

    const pool = (db().driver as unknown as { pool: MysqlPool }).pool;
    expect(pool._allConnections.length).toBeGreaterThanOrEqual(ATTEMPTS - 5);
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(ATTEMPTS - 1);
    for (const err of lost) {
      expect(err).toBeInstanceOf(Conflict);
      expect(err).toMatchObject({ status: 409, message: `Dr. ${doctor.lastName} already has a visit at 10:00–10:30.` });
    }
    expect(await db().getRepository(Appointment).countBy({ doctorId: doctor.id })).toBe(1);
    expect(await db().getRepository(AppointmentSlot).count()).toBe(4); // 2 cells × (doctor, patient)
    expect(await db().getRepository(Notification).countBy({ kind: 'visit_booked' })).toBe(2);

    // Cancelling frees the slot at once: another patient books exactly that time.
    const winner = (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof bookVisit>>>).value;
    await cancelAppointment(operator, winner.id, { reason: 'Patient called' });
    expect(await db().getRepository(AppointmentSlot).count()).toBe(0);
    const other = patients.find(({ user }) => user.id !== winner.patient!.id)!.user;
    const rebooked = await bookVisit(operator, { patientId: other.id, doctorId: doctor.id, startsAt });
    expect(rebooked).toMatchObject({ status: 'scheduled', startsAt });
    expect(await db().getRepository(Appointment).countBy({ doctorId: doctor.id, status: 'scheduled' })).toBe(1);
  }, 120_000);

  it('lets exactly one of 20 parallel bookings for one patient at overlapping times with different doctors succeed', async () => {
    const { actor: operator } = await makeUser('operator');
    const { user: patient } = await makeUser('patient');
    const doctors = await Promise.all(Array.from({ length: 20 }, () => makeDoctor()));
    const outcomes = await Promise.allSettled(doctors.map(({ user }, i) =>
      bookVisit(operator, { patientId: patient.id, doctorId: user.id, startsAt: at(TUESDAY, i % 2 ? '14:15' : '14:00') })));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(Conflict);
    expect(await db().getRepository(Appointment).countBy({ patientId: patient.id })).toBe(1);
  }, 60_000);
});

describe.runIf(testDatabaseKind() === 'sqlite')('no double booking in the embedded database', () => {
  useTestDatabase();
  beforeAll(() => clock.set(MONDAY_MORNING));
  afterAll(() => clock.reset());

  it('lets exactly one of 10 simultaneous bookings of one slot succeed', async () => {
    const { actor: operator } = await makeUser('operator');
    const { user: doctor } = await makeDoctor();
    const patients = await Promise.all(Array.from({ length: 10 }, () => makeUser('patient')));
    const outcomes = await Promise.allSettled(patients.map(({ user }) =>
      bookVisit(operator, { patientId: user.id, doctorId: doctor.id, startsAt: at(TUESDAY, '10:00') })));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(Conflict);
    expect(await db().getRepository(Appointment).count()).toBe(1);
    expect(await db().getRepository(AppointmentSlot).count()).toBe(4);
  });
});
