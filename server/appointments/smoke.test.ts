import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/support/db.js';
import { clock } from '../shared/clock.js';
import { bookVisit, cancelAppointment, freeSlots, listAppointments, requestDiagnostic, scheduleRequest } from './index.js';
import { at, makeDiagnostic, makeDoctor, makeUser, MONDAY_MORNING, TUESDAY } from './test-fixtures.js';

useTestDatabase();
beforeAll(() => clock.set(MONDAY_MORNING));

describe('smoke', () => {
  it('runs the whole flow', async () => {
    const { user: patient, actor: pa } = await makeUser('patient');
    const { actor: op } = await makeUser('operator');
    const { user: doc } = await makeDoctor();
    const mri = await makeDiagnostic({ name: 'MRI' });
    const req = await requestDiagnostic(pa, { diagnosticId: mri.id, note: 'headache' });
    expect(req.status).toBe('requested');
    const sch = await scheduleRequest(op, req.id, { startsAt: at(TUESDAY, '10:00').toISOString() });
    expect(sch.status).toBe('scheduled');
    const visit = await bookVisit(op, { patientId: patient.id, doctorId: doc.id, startsAt: at(TUESDAY, '11:00') });
    expect(visit.doctor?.lastName).toBe(doc.lastName);
    await expect(bookVisit(op, { patientId: patient.id, doctorId: doc.id, startsAt: at(TUESDAY, '10:15') })).rejects.toMatchObject({ status: 409 });
    const free = await freeSlots(op, { doctorId: doc.id, date: TUESDAY, patientId: patient.id });
    expect(free).not.toContain(at(TUESDAY, '10:00').toISOString());
    expect(free).toContain(at(TUESDAY, '08:00').toISOString());
    const list = await listAppointments(pa, {});
    expect(list.total).toBe(2);
    const c = await cancelAppointment(op, visit.id, { reason: 'x' });
    expect(c.status).toBe('cancelled');
  });
});
