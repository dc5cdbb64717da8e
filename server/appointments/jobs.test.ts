import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/support/db.js';
import { db } from '../db/data-source.js';
import { Appointment } from '../db/entities/appointment.js';
import { AuditEvent } from '../db/entities/audit-event.js';
import { Notification } from '../db/entities/notification.js';
import { clock } from '../shared/clock.js';
import { bookDiagnostic, bookVisit, cancelAppointment, completePastAppointments, queueReminders } from './index.js';
import { at, makeDiagnostic, makeDoctor, makeUser, MONDAY_MORNING, TUESDAY } from './test-fixtures.js';

useTestDatabase();
beforeAll(() => clock.set(MONDAY_MORNING));
afterAll(() => clock.reset());

describe('marking past appointments completed', () => {
  it('completes scheduled appointments whose end has passed, once, and leaves cancelled ones alone', async () => {
    const operator = (await makeUser('operator')).actor;
    const patient = (await makeUser('patient')).user;
    const doctor = (await makeDoctor()).user;
    const done = await bookVisit(operator, { patientId: patient.id, doctorId: doctor.id, startsAt: at(TUESDAY, '09:00') });
    const later = await bookVisit(operator, { patientId: patient.id, doctorId: doctor.id, startsAt: at(TUESDAY, '11:00') });
    const dropped = await bookVisit(operator, { patientId: patient.id, doctorId: doctor.id, startsAt: at(TUESDAY, '08:00') });
    await cancelAppointment(operator, dropped.id);

    expect(await completePastAppointments(at(TUESDAY, '09:29'))).toBe(0);
    expect(await completePastAppointments(at(TUESDAY, '09:30'))).toBe(1);
    expect(await completePastAppointments(at(TUESDAY, '09:30'))).toBe(0);
    const status = async (id: number) => (await db().getRepository(Appointment).findOneByOrFail({ id })).status;
    expect([await status(done.id), await status(later.id), await status(dropped.id)]).toEqual(['completed', 'scheduled', 'cancelled']);
    expect(await db().getRepository(AuditEvent).countBy({ action: 'appointment.complete', recordId: String(done.id) })).toBe(1);
  });
});

describe('24-hour reminders', () => {
  it('queues one reminder per appointment starting within 24 hours, however often it runs', async () => {
    const operator = (await makeUser('operator')).actor;
    const patient = (await makeUser('patient')).user;
    const mri = await makeDiagnostic({ name: 'MRI spine' });
    const soon = await bookDiagnostic(operator, { patientId: patient.id, diagnosticId: mri.id, startsAt: at(TUESDAY, '08:00') });
    const far = await bookDiagnostic(operator, { patientId: patient.id, diagnosticId: mri.id, startsAt: at('2026-12-10', '08:00') });
    const now = at('2026-12-07', '08:30');
    await queueReminders(now);
    await queueReminders(now);
    await queueReminders(new Date(now.getTime() + 60 * 60_000));
    const reminders = await db().getRepository(Notification).findBy({ kind: 'appointment_reminder' });
    expect(reminders.map((r) => (r.data as { appointmentId: number }).appointmentId)).toEqual([soon.id]);
    expect(reminders[0]).toMatchObject({ toEmail: patient.email, data: { what: 'MRI spine', startsAt: soon.startsAt!.toISOString() } });
    expect(reminders.some((r) => (r.data as { appointmentId: number }).appointmentId === far.id)).toBe(false);
  });
});
