import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/support/db.js';
import { db } from '../db/data-source.js';
import { Appointment } from '../db/entities/appointment.js';
import { Notification } from '../db/entities/notification.js';
import { clock } from '../shared/clock.js';
import { Conflict, Forbidden, Invalid } from '../shared/errors.js';
import { bookDiagnostic, bookVisit, requestDiagnostic, scheduleRequest } from './index.js';
import { at, counts, makeDiagnostic, makeDoctor, makeUser, MONDAY_MORNING, TUESDAY } from './test-fixtures.js';

useTestDatabase();
beforeAll(() => clock.set(MONDAY_MORNING));
beforeEach(() => clock.set(MONDAY_MORNING));
afterAll(() => clock.reset());

async function people() {
  const patient = await makeUser('patient');
  const operator = await makeUser('operator');
  const doctor = await makeDoctor();
  return { patient: patient.user, patientActor: patient.actor, operator: operator.actor, doctor: doctor.user };
}

/** Asserts the promise fails with `type` and that no appointment, slot or mail was left behind. */
async function refusedCleanly<E>(attempt: () => Promise<unknown>, type: new (...a: never[]) => E): Promise<E> {
  const before = await counts();
  const err = await attempt().then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(type);
  expect(await counts()).toEqual(before);
  return err as E;
}

describe('booking a doctor visit', () => {
  it('books a visit of the doctor\'s length and mails the patient and the doctor once', async () => {
    const { patient, operator, doctor } = await people();
    const visit = await bookVisit(operator, { patientId: patient.id, doctorId: doctor.id, startsAt: at(TUESDAY, '10:00').toISOString(), note: 'Check-up' });
    expect(visit).toMatchObject({ kind: 'visit', status: 'scheduled', doctor: { id: doctor.id, specialty: 'Cardiology' } });
    expect(visit.endsAt!.getTime() - visit.startsAt!.getTime()).toBe(30 * 60_000);
    const mails = await db().getRepository(Notification).findBy({ kind: 'visit_booked' });
    const mine = mails.filter((m) => (m.data as { appointmentId: number }).appointmentId === visit.id);
    expect(mine.map((m) => m.toEmail).sort()).toEqual([doctor.email, patient.email].sort());
    expect(JSON.stringify(mine.map((m) => m.data))).not.toContain('Check-up');
  });

  it('refuses a second visit with the same doctor that overlaps, naming the doctor and the time', async () => {
    const { patient, operator, doctor } = await people();
    const other = (await makeUser('patient')).user;
    await bookVisit(operator, { patientId: patient.id, doctorId: doctor.id, startsAt: at(TUESDAY, '11:00') });
    const err = await refusedCleanly(
      () => bookVisit(operator, { patientId: other.id, doctorId: doctor.id, startsAt: at(TUESDAY, '11:15') }), Conflict);
    expect(err.status).toBe(409);
    expect(err.message).toBe(`Dr. ${doctor.lastName} already has a visit at 11:00–11:30.`);
    expect(err.fields?.startsAt).toBe(err.message);
  });

  it('refuses overlapping visits with two different doctors for the same patient', async () => {
    const { patient, operator, doctor } = await people();
    const second = (await makeDoctor({ visitMinutes: 45 })).user;
    await bookVisit(operator, { patientId: patient.id, doctorId: doctor.id, startsAt: at(TUESDAY, '14:00') });
    const err = await refusedCleanly(
      () => bookVisit(operator, { patientId: patient.id, doctorId: second.id, startsAt: at(TUESDAY, '13:30') }), Conflict);
    expect(err.message).toBe('The patient already has an appointment at 14:00–14:30.');
  });

  it('lets back-to-back visits with one doctor through', async () => {
    const { patient, operator, doctor } = await people();
    const other = (await makeUser('patient')).user;
    await bookVisit(operator, { patientId: patient.id, doctorId: doctor.id, startsAt: at(TUESDAY, '15:00') });
    await expect(bookVisit(operator, { patientId: other.id, doctorId: doctor.id, startsAt: at(TUESDAY, '15:30') }))
      .resolves.toMatchObject({ status: 'scheduled' });
  });

  it('refuses a doctor who does not accept bookings, is blocked or inactive', async () => {
    const { patient, operator } = await people();
    const stopped = (await makeDoctor({ acceptingBookings: false })).user;
    const blocked = (await makeDoctor({}, { isBlocked: true })).user;
    const inactive = (await makeDoctor({}, { isActive: false })).user;
    for (const doctor of [stopped, blocked, inactive]) {
      const err = await refusedCleanly(() => bookVisit(operator, { patientId: patient.id, doctorId: doctor.id, startsAt: at(TUESDAY, '09:00') }), Invalid);
      expect(err.fields?.doctorId).toContain(`Dr. ${doctor.lastName}`);
    }
  });

  it('refuses a patient whose account is blocked or not activated, and someone who is no patient', async () => {
    const { operator, doctor } = await people();
    const blocked = (await makeUser('patient', { isBlocked: true })).user;
    const inactive = (await makeUser('patient', { isActive: false })).user;
    const pharmacist = (await makeUser('pharmacist')).user;
    for (const patient of [blocked, inactive, pharmacist]) {
      const err = await refusedCleanly(() => bookVisit(operator, { patientId: patient.id, doctorId: doctor.id, startsAt: at(TUESDAY, '09:00') }), Invalid);
      expect(err.fields?.patientId).toBeTruthy();
    }
  });

  it('lets only operators, admins and the superuser book', async () => {
    const { patient, patientActor, doctor } = await people();
    for (const role of ['doctor', 'pharmacist'] as const) {
      const { actor } = await makeUser(role);
      await refusedCleanly(() => bookVisit(actor, { patientId: patient.id, doctorId: doctor.id, startsAt: at(TUESDAY, '09:00') }), Forbidden);
    }
    await refusedCleanly(() => bookVisit(patientActor, { patientId: patient.id, doctorId: doctor.id, startsAt: at(TUESDAY, '09:00') }), Forbidden);
    const { actor: admin } = await makeUser('admin');
    await expect(bookVisit(admin, { patientId: patient.id, doctorId: doctor.id, startsAt: at(TUESDAY, '09:00') })).resolves.toBeTruthy();
  });
});

describe('rule 3: when an appointment may start', () => {
  const cases: [string, Date, RegExp][] = [
    ['off the 15-minute grid', at(TUESDAY, '10:05'), /quarter hour/],
    ['before opening', at(TUESDAY, '07:45'), /clinic is open Monday–Friday 08:00–18:00/],
    ['ending after closing', at(TUESDAY, '17:45'), /must fit inside those hours/],
    ['on a Saturday', at('2026-12-12', '10:00'), /clinic is open/],
    ['in the past', at('2026-12-04', '10:00'), /already passed/],
    ['more than 180 days ahead', at('2027-06-07', '10:00'), /at most 180 days ahead/],
  ];
  it.each(cases)('refuses a start %s with a reason on startsAt and no row', async (_name, startsAt, reason) => {
    const { patient, operator, doctor } = await people();
    const err = await refusedCleanly(() => bookVisit(operator, { patientId: patient.id, doctorId: doctor.id, startsAt }), Invalid);
    expect(err.fields?.startsAt).toMatch(reason);
  });

  it('accepts the last start whose end is exactly closing time and a start 180 days ahead', async () => {
    const { patient, operator, doctor } = await people();
    await expect(bookVisit(operator, { patientId: patient.id, doctorId: doctor.id, startsAt: at(TUESDAY, '17:30') })).resolves.toBeTruthy();
    await expect(bookVisit(operator, { patientId: patient.id, doctorId: doctor.id, startsAt: at('2027-06-04', '09:00') })).resolves.toBeTruthy();
  });

  it('counts the 180 days on the clinic calendar: any time on the 180th day is bookable, the 181st day is not', async () => {
    // Wednesday 9 December 2026, 08:00: the 180th day is Monday 7 June 2027, in summer time.
    clock.set(at('2026-12-09', '08:00'));
    const { patient, operator, doctor } = await people();
    await expect(bookVisit(operator, { patientId: patient.id, doctorId: doctor.id, startsAt: at('2027-06-07', '17:00') })).resolves.toBeTruthy();
    const err = await refusedCleanly(() => bookVisit(operator, { patientId: patient.id, doctorId: doctor.id, startsAt: at('2027-06-08', '08:00') }), Invalid);
    expect(err.fields?.startsAt).toMatch(/at most 180 days ahead/);
  });

  it('refuses a start without a time zone as invalid input', async () => {
    const { patient, operator, doctor } = await people();
    const err = await refusedCleanly(() => bookVisit(operator, { patientId: patient.id, doctorId: doctor.id, startsAt: '2026-12-08T10:00' }), Invalid);
    expect(err.fields?.startsAt).toBeTruthy();
  });
});

describe('diagnostics: requests, scheduling and direct bookings', () => {
  it('turns a request into a scheduled diagnostic and tells the patient once', async () => {
    const { patientActor, operator } = await people();
    const mri = await makeDiagnostic({ name: 'MRI knee' });
    const request = await requestDiagnostic(patientActor, { diagnosticId: mri.id, note: 'Knee pain' });
    const scheduled = await scheduleRequest(operator, request.id, { startsAt: at(TUESDAY, '09:00') });
    expect(scheduled).toMatchObject({ id: request.id, status: 'scheduled', diagnostic: { id: mri.id, name: 'MRI knee' } });
    const mails = await db().getRepository(Notification).findBy({ kind: 'diagnostic_scheduled', dedupeKey: `scheduled:appointment:${request.id}` });
    expect(mails).toHaveLength(1);
    expect(mails[0].data).toMatchObject({ diagnosticName: 'MRI knee', startsAt: at(TUESDAY, '09:00').toISOString() });
  });

  it('refuses to schedule a request twice and keeps the first date', async () => {
    const { patientActor, operator } = await people();
    const xray = await makeDiagnostic();
    const request = await requestDiagnostic(patientActor, { diagnosticId: xray.id });
    await scheduleRequest(operator, request.id, { startsAt: at(TUESDAY, '12:00') });
    const err = await refusedCleanly(() => scheduleRequest(operator, request.id, { startsAt: at(TUESDAY, '13:00') }), Conflict);
    expect(err.message).toMatch(/already been scheduled/);
    const row = await db().getRepository(Appointment).findOneByOrFail({ id: request.id });
    expect(row.startsAt?.toISOString()).toBe(at(TUESDAY, '12:00').toISOString());
  });

  it('blocks 10:15 but not 10:30 after a 30-minute diagnostic at 10:00, naming the diagnostic', async () => {
    const { patient, operator } = await people();
    const ct = await makeDiagnostic({ name: 'CT', durationMinutes: 30 });
    const second = (await makeUser('patient')).user;
    await bookDiagnostic(operator, { patientId: patient.id, diagnosticId: ct.id, startsAt: at(TUESDAY, '10:00') });
    const err = await refusedCleanly(() => bookDiagnostic(operator, { patientId: second.id, diagnosticId: ct.id, startsAt: at(TUESDAY, '10:15') }), Conflict);
    expect(err.message).toBe('CT is already booked at 10:00–10:30.');
    await expect(bookDiagnostic(operator, { patientId: second.id, diagnosticId: ct.id, startsAt: at(TUESDAY, '10:30') })).resolves.toBeTruthy();
  });

  it('leaves a request waiting when its scheduling collides', async () => {
    const { patient, patientActor, operator } = await people();
    const echo = await makeDiagnostic({ name: 'Echo' });
    await bookDiagnostic(operator, { patientId: patient.id, diagnosticId: echo.id, startsAt: at(TUESDAY, '16:00') });
    const request = await requestDiagnostic(patientActor, { diagnosticId: echo.id });
    await refusedCleanly(() => scheduleRequest(operator, request.id, { startsAt: at(TUESDAY, '16:00') }), Conflict);
    expect((await db().getRepository(Appointment).findOneByOrFail({ id: request.id })).status).toBe('requested');
  });

  it('refuses a diagnostic that is no longer offered', async () => {
    const { patient, operator } = await people();
    const old = await makeDiagnostic({ isActive: false });
    const err = await refusedCleanly(() => bookDiagnostic(operator, { patientId: patient.id, diagnosticId: old.id, startsAt: at(TUESDAY, '09:00') }), Invalid);
    expect(err.fields?.diagnosticId).toMatch(/not offered/);
  });

  it('uses the diagnostic\'s own length, rounded up to whole cells, for the clinic-hours check', async () => {
    const { patient, operator } = await people();
    const long = await makeDiagnostic({ durationMinutes: 90 });
    const err = await refusedCleanly(() => bookDiagnostic(operator, { patientId: patient.id, diagnosticId: long.id, startsAt: at(TUESDAY, '17:00') }), Invalid);
    expect(err.fields?.startsAt).toMatch(/90 min/);
  });
});
