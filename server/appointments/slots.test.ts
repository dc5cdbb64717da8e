import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/support/db.js';
import { clock } from '../shared/clock.js';
import { Invalid } from '../shared/errors.js';
import { bookDiagnostic, bookVisit, freeSlots } from './index.js';
import { at, makeDiagnostic, makeDoctor, makeUser, MONDAY_MORNING, TUESDAY } from './test-fixtures.js';

useTestDatabase();
beforeEach(() => clock.set(MONDAY_MORNING));
afterAll(() => clock.reset());

const times = (date: string, ...hm: string[]) => hm.map((t) => at(date, t).toISOString());

describe('free slots on a clinic day', () => {
  it('offers every quarter hour whose whole visit fits in clinic hours', async () => {
    const { actor } = await makeUser('operator');
    const doctor = (await makeDoctor({ visitMinutes: 30 })).user;
    const free = await freeSlots(actor, { doctorId: doctor.id, date: TUESDAY });
    expect(free).toHaveLength(39); // 08:00 … 17:30
    expect(free[0]).toBe(at(TUESDAY, '08:00').toISOString());
    expect(free.at(-1)).toBe(at(TUESDAY, '17:30').toISOString());
  });

  it('leaves out the times a booking overlaps, and offers them again only where the visit fits', async () => {
    const { actor } = await makeUser('operator');
    const doctor = (await makeDoctor({ visitMinutes: 30 })).user;
    const patient = (await makeUser('patient')).user;
    await bookVisit(actor, { patientId: patient.id, doctorId: doctor.id, startsAt: at(TUESDAY, '10:00') });
    const free = await freeSlots(actor, { doctorId: doctor.id, date: TUESDAY });
    for (const t of times(TUESDAY, '09:45', '10:00', '10:15')) expect(free).not.toContain(t);
    for (const t of times(TUESDAY, '09:30', '10:30')) expect(free).toContain(t);
  });

  it('also leaves out the patient\'s own bookings when a patient is named', async () => {
    const { actor } = await makeUser('operator');
    const doctor = (await makeDoctor()).user;
    const patient = (await makeUser('patient')).user;
    const xray = await makeDiagnostic({ durationMinutes: 15 });
    await bookDiagnostic(actor, { patientId: patient.id, diagnosticId: xray.id, startsAt: at(TUESDAY, '13:00') });
    const forPatient = await freeSlots(actor, { doctorId: doctor.id, date: TUESDAY, patientId: patient.id });
    expect(forPatient).not.toContain(at(TUESDAY, '12:45').toISOString());
    expect(forPatient).not.toContain(at(TUESDAY, '13:00').toISOString());
    expect(forPatient).toContain(at(TUESDAY, '13:15').toISOString());
    expect(await freeSlots(actor, { doctorId: doctor.id, date: TUESDAY })).toContain(at(TUESDAY, '13:00').toISOString());
  });

  it('offers nothing on a closed day, in the past, or for a doctor not accepting bookings', async () => {
    const { actor } = await makeUser('operator');
    const doctor = (await makeDoctor()).user;
    const stopped = (await makeDoctor({ acceptingBookings: false })).user;
    expect(await freeSlots(actor, { doctorId: doctor.id, date: '2026-12-12' })).toEqual([]);
    expect(await freeSlots(actor, { doctorId: doctor.id, date: '2026-12-04' })).toEqual([]);
    expect(await freeSlots(actor, { doctorId: stopped.id, date: TUESDAY })).toEqual([]);
  });

  it('offers only the rest of today', async () => {
    const { actor } = await makeUser('operator');
    const mri = await makeDiagnostic({ durationMinutes: 60 });
    clock.set(at('2026-12-07', '16:20'));
    expect(await freeSlots(actor, { diagnosticId: mri.id, date: '2026-12-07' })).toEqual(times('2026-12-07', '16:30', '16:45', '17:00'));
  });

  it('asks for exactly one of doctor or diagnostic, and a real date', async () => {
    const { actor } = await makeUser('operator');
    await expect(freeSlots(actor, { date: TUESDAY })).rejects.toBeInstanceOf(Invalid);
    await expect(freeSlots(actor, { doctorId: 1, diagnosticId: 1, date: TUESDAY })).rejects.toBeInstanceOf(Invalid);
    await expect(freeSlots(actor, { doctorId: 1, date: '2026-13-01' })).rejects.toBeInstanceOf(Invalid);
  });
});
