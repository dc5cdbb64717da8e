import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/support/db.js';
import { userActor, type Actor } from '../access/actor.js';
import { db } from '../db/data-source.js';
import { DoctorProfile } from '../db/entities/doctor-profile.js';
import type { User } from '../db/entities/user.js';
import { clock } from '../shared/clock.js';
import { Forbidden, Invalid, NotFound } from '../shared/errors.js';
import { bookDiagnostic, bookVisit, getAppointment, listAppointments, requestDiagnostic, visitsToRebook } from './index.js';
import { at, makeDiagnostic, makeDoctor, makeUser, MONDAY_MORNING, TUESDAY } from './test-fixtures.js';

useTestDatabase();

let alice: User, bob: User, doctor: User, operator: Actor;
let aliceVisitId: number, bobScanId: number, aliceRequestId: number;

beforeAll(async () => {
  clock.set(MONDAY_MORNING);
  alice = (await makeUser('patient')).user;
  bob = (await makeUser('patient')).user;
  doctor = (await makeDoctor({ specialty: 'Dermatology' })).user;
  operator = (await makeUser('operator')).actor;
  const scan = await makeDiagnostic({ name: 'Ultrasound' });
  aliceVisitId = (await bookVisit(operator, { patientId: alice.id, doctorId: doctor.id, startsAt: at(TUESDAY, '10:00'), note: 'Rash on arm' })).id;
  bobScanId = (await bookDiagnostic(operator, { patientId: bob.id, diagnosticId: scan.id, startsAt: at(TUESDAY, '11:00') })).id;
  aliceRequestId = (await requestDiagnostic(userActor(alice), { diagnosticId: scan.id, note: 'Follow-up' })).id;
});
afterAll(() => clock.reset());

describe('listing appointments', () => {
  it('shows a patient only their own appointments, without other patients\' names', async () => {
    const page = await listAppointments(userActor(alice), { patientId: bob.id });
    expect(page.items.map((a) => a.id).sort()).toEqual([aliceVisitId, aliceRequestId].sort());
    expect(page.total).toBe(2);
    expect(page.items.every((a) => a.patient === undefined)).toBe(true);
    expect(page.items.find((a) => a.id === aliceVisitId)).toMatchObject({
      patientNote: 'Rash on arm', doctor: { id: doctor.id, lastName: doctor.lastName, specialty: 'Dermatology' },
    });
  });

  it('gives staff every appointment with the patient\'s name; doctors see notes, operators do not', async () => {
    const forDoctor = await listAppointments(userActor(doctor), {});
    expect(forDoctor.total).toBe(3);
    expect(forDoctor.items.find((a) => a.id === aliceVisitId)).toMatchObject({ patientNote: 'Rash on arm', patient: { id: alice.id, firstName: alice.firstName } });
    const forOperator = await listAppointments(operator, {});
    expect(forOperator.items.find((a) => a.id === aliceVisitId)).not.toHaveProperty('patientNote');
    expect(forOperator.items.find((a) => a.id === aliceVisitId)?.patient?.lastName).toBe(alice.lastName);
  });

  it('refuses pharmacists', async () => {
    const pharmacist = (await makeUser('pharmacist')).actor;
    await expect(listAppointments(pharmacist, {})).rejects.toBeInstanceOf(Forbidden);
    await expect(getAppointment(pharmacist, aliceVisitId)).rejects.toBeInstanceOf(Forbidden);
  });

  it('filters by status, kind, patient, doctor and time, and pages with a total', async () => {
    expect((await listAppointments(operator, { status: 'requested' })).items.map((a) => a.id)).toEqual([aliceRequestId]);
    expect((await listAppointments(operator, { status: 'scheduled,requested' })).total).toBe(3);
    expect((await listAppointments(operator, { kind: 'visit' })).items.map((a) => a.id)).toEqual([aliceVisitId]);
    expect((await listAppointments(operator, { patientId: bob.id })).items.map((a) => a.id)).toEqual([bobScanId]);
    expect((await listAppointments(operator, { doctorId: doctor.id })).items.map((a) => a.id)).toEqual([aliceVisitId]);
    expect((await listAppointments(operator, { from: at(TUESDAY, '10:30').toISOString(), to: '2026-12-09' })).items.map((a) => a.id)).toEqual([bobScanId]);
    const sorted = await listAppointments(operator, { status: 'scheduled', sort: '-startsAt', perPage: 1, page: 2 });
    expect(sorted).toMatchObject({ total: 2, page: 2, perPage: 1 });
    expect(sorted.items.map((a) => a.id)).toEqual([aliceVisitId]);
  });

  it('refuses sort keys outside the allow-list and pages past 100 per page', async () => {
    await expect(listAppointments(operator, { sort: 'patientNote' })).rejects.toBeInstanceOf(Invalid);
    await expect(listAppointments(operator, { perPage: 500 })).rejects.toBeInstanceOf(Invalid);
  });

  it('can cap the count for large staff lists', async () => {
    const page = await listAppointments(operator, {}, { countLimit: 2 });
    expect(page).toMatchObject({ total: 2, totalIsCapped: true });
    expect(page.items).toHaveLength(3);
  });
});

describe('reading one appointment', () => {
  it('answers 404 for another patient\'s appointment and for unknown ids', async () => {
    await expect(getAppointment(userActor(bob), aliceVisitId)).rejects.toBeInstanceOf(NotFound);
    await expect(getAppointment(operator, 987_654)).rejects.toBeInstanceOf(NotFound);
    await expect(getAppointment(userActor(alice), aliceVisitId)).resolves.toMatchObject({ id: aliceVisitId });
  });

  it('answers 400 for ids that are not whole positive numbers instead of a database error', async () => {
    for (const id of [Number.NaN, 'abc', -1, 1.5]) {
      await expect(getAppointment(operator, id as never), String(id)).rejects.toBeInstanceOf(Invalid);
    }
  });
});

describe('time filters', () => {
  it('counts a day given as "to" whole, so from and to on one day list that day', async () => {
    const oneDay = await listAppointments(operator, { from: TUESDAY, to: TUESDAY, sort: 'startsAt' });
    expect(oneDay.items.map((a) => a.id)).toEqual([aliceVisitId, bobScanId]);
    const before = await listAppointments(operator, { to: '2026-12-07' });
    expect(before.total).toBe(0);
    // An exact instant stays an exclusive bound.
    const upTo = await listAppointments(operator, { from: TUESDAY, to: at(TUESDAY, '11:00').toISOString() });
    expect(upTo.items.map((a) => a.id)).toEqual([aliceVisitId]);
  });

  it('names the statuses it knows when a status filter is unknown', async () => {
    const err = await listAppointments(operator, { status: 'scheduled,nope' }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(Invalid);
    expect((err as Invalid).fields?.status).toMatch(/requested, scheduled, cancelled, completed/);
  });

  it('refuses impossible days and times without a zone, naming the field', async () => {
    for (const bad of ['2026-02-30', '2026-12-08T10:00', '08/12/2026', '']) {
      const err = await listAppointments(operator, { from: bad }).then(() => null, (e: unknown) => e);
      expect(err, bad).toBeInstanceOf(Invalid);
      expect((err as Invalid).fields).toHaveProperty('from');
    }
  });
});

describe('visits to rebook (rule 6)', () => {
  it('lists the future visits of a doctor who stopped taking bookings, for operators only', async () => {
    expect(await visitsToRebook(operator)).toEqual([]);
    await db().getRepository(DoctorProfile).update({ userId: doctor.id }, { acceptingBookings: false });
    const list = await visitsToRebook(operator);
    expect(list.map((a) => a.id)).toEqual([aliceVisitId]);
    await expect(visitsToRebook(userActor(doctor))).rejects.toBeInstanceOf(Forbidden);
    await db().getRepository(DoctorProfile).update({ userId: doctor.id }, { acceptingBookings: true });
  });
});
