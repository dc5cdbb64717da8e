import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/support/db.js';
import { db } from '../db/data-source.js';
import { AppointmentSlot } from '../db/entities/appointment-slot.js';
import { AuditEvent } from '../db/entities/audit-event.js';
import { Notification } from '../db/entities/notification.js';
import { clock } from '../shared/clock.js';
import { Conflict, Forbidden, NotFound } from '../shared/errors.js';
import { bookDiagnostic, bookVisit, cancelAppointment, requestDiagnostic, withdrawRequest } from './index.js';
import { queueReminders } from './reminders.js';
import { at, counts, makeDiagnostic, makeDoctor, makeUser, MONDAY_MORNING, TUESDAY } from './test-fixtures.js';

useTestDatabase();
beforeEach(() => clock.set(MONDAY_MORNING));
afterAll(() => clock.reset());

const WEDNESDAY = '2026-12-09';

async function visitSetup(startsAt = at(WEDNESDAY, '10:00')) {
  const patient = await makeUser('patient');
  const operator = await makeUser('operator');
  const doctor = await makeDoctor();
  const visit = await bookVisit(operator.actor, { patientId: patient.user.id, doctorId: doctor.user.id, startsAt });
  return { patient, operator, doctor, visit };
}

async function mailsFor(appointmentId: number, kind = 'appointment_cancelled') {
  const rows = await db().getRepository(Notification).findBy({ kind });
  return rows.filter((r) => (r.data as { appointmentId: number }).appointmentId === appointmentId);
}

async function remindersOf(appointmentId: number) {
  return mailsFor(appointmentId, 'appointment_reminder');
}

describe('cancelling an appointment', () => {
  it('lets a patient cancel their own appointment more than 24 hours ahead and frees the slot at once', async () => {
    const { patient, operator, doctor, visit } = await visitSetup();
    const cancelled = await cancelAppointment(patient.actor, visit.id, { reason: 'Feeling better' });
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: 'Feeling better' });
    expect(await db().getRepository(AppointmentSlot).countBy({ appointmentId: visit.id })).toBe(0);
    const mails = await mailsFor(visit.id);
    expect(mails.map((m) => [m.toEmail, (m.data as { cancelledBy: string }).cancelledBy]).sort()).toEqual(
      [[doctor.user.email, 'the patient'], [patient.user.email, 'you']].sort(),
    );
    const other = await makeUser('patient');
    await expect(bookVisit(operator.actor, { patientId: other.user.id, doctorId: doctor.user.id, startsAt: visit.startsAt! }))
      .resolves.toMatchObject({ status: 'scheduled' });
  });

  it('refuses a patient\'s cancellation less than 24 hours before the start, saying so, and changes nothing', async () => {
    const { patient, visit } = await visitSetup(at(TUESDAY, '09:00'));
    clock.set(new Date(at(TUESDAY, '09:00').getTime() - 23 * 3_600_000));
    const before = await counts();
    const err = await cancelAppointment(patient.actor, visit.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Conflict);
    expect((err as Conflict).message).toMatch(/until 24 hours before/);
    expect(await counts()).toEqual(before);
  });

  it('lets an operator cancel within 24 hours, telling the patient it was the clinic and both sides who, without the reason', async () => {
    const { patient, doctor, visit } = await visitSetup(at(TUESDAY, '09:00'));
    const operator = await makeUser('operator', { firstName: 'Anna', lastName: 'Berg' });
    clock.set(at(TUESDAY, '08:30'));
    await cancelAppointment(operator.actor, visit.id, { reason: 'Doctor ill' });
    const mails = await mailsFor(visit.id);
    expect(mails.map((m) => [m.toEmail, (m.data as { cancelledBy: string }).cancelledBy]).sort()).toEqual(
      [[patient.user.email, 'the clinic (Anna Berg, operator)'], [doctor.user.email, 'Anna Berg (operator)']].sort(),
    );
    expect(JSON.stringify(mails.map((m) => m.data))).not.toContain('Doctor ill');
  });

  it.each(['admin', 'superuser'] as const)('names a cancelling %s as an administrator of the clinic', async (role) => {
    const { patient, doctor, visit } = await visitSetup();
    const staff = await makeUser(role, { firstName: 'Ivo', lastName: 'Lund' });
    await cancelAppointment(staff.actor, visit.id);
    const words = Object.fromEntries((await mailsFor(visit.id)).map((m) => [m.toEmail, (m.data as { cancelledBy: string }).cancelledBy]));
    expect(words).toEqual({ [patient.user.email]: 'the clinic (Ivo Lund, administrator)', [doctor.user.email]: 'Ivo Lund (administrator)' });
  });

  it('refuses to cancel an appointment that has started, even for staff', async () => {
    const { operator, visit } = await visitSetup(at(TUESDAY, '09:00'));
    clock.set(at(TUESDAY, '09:10'));
    await expect(cancelAppointment(operator.actor, visit.id)).rejects.toThrow(/already started/);
  });

  it('treats cancelling twice as a no-op: no second audit event, mail or change', async () => {
    const { operator, visit } = await visitSetup();
    await cancelAppointment(operator.actor, visit.id);
    const before = await counts();
    const again = await cancelAppointment(operator.actor, visit.id, { reason: 'again' });
    expect(again.status).toBe('cancelled');
    expect(again.cancelReason).toBeNull();
    expect(await counts()).toEqual(before);
    expect(await db().getRepository(AuditEvent).countBy({ action: 'appointment.cancel', recordId: String(visit.id) })).toBe(1);
  });

  it('hides another patient\'s appointment (404) and refuses doctors and pharmacists (403)', async () => {
    const { visit } = await visitSetup();
    const stranger = await makeUser('patient');
    await expect(cancelAppointment(stranger.actor, visit.id)).rejects.toBeInstanceOf(NotFound);
    for (const role of ['doctor', 'pharmacist'] as const) {
      await expect(cancelAppointment((await makeUser(role)).actor, visit.id)).rejects.toBeInstanceOf(Forbidden);
    }
    await expect(cancelAppointment(stranger.actor, 999_999)).rejects.toBeInstanceOf(NotFound);
  });

  it('stops the pending reminder of an appointment an operator cancels, in the same change, and keeps other reminders due', async () => {
    const { operator, visit } = await visitSetup(at(TUESDAY, '10:00'));
    const kept = await visitSetup(at(TUESDAY, '11:00'));
    await queueReminders(at('2026-12-07', '12:00'));
    const before = await remindersOf(visit.id);
    expect(before.map((r) => r.status)).toEqual(['pending']);
    expect(before[0].dedupeKey).toBe(`reminder:appointment:${visit.id}:${visit.startsAt!.toISOString()}`);

    await cancelAppointment(operator.actor, visit.id, { reason: 'Doctor ill' });
    expect((await remindersOf(visit.id)).map((r) => [r.status, r.attempts])).toEqual([['skipped', 0]]);
    expect((await remindersOf(kept.visit.id)).map((r) => r.status)).toEqual(['pending']);
    // Cancelling again changes nothing, and a later reminder run writes no new reminder.
    await cancelAppointment(operator.actor, visit.id);
    await queueReminders(at('2026-12-07', '12:05'));
    expect((await remindersOf(visit.id)).map((r) => r.status)).toEqual(['skipped']);
  });

  it('stops a reminder already handed to the queue when the patient cancels', async () => {
    const { patient, visit } = await visitSetup(at(WEDNESDAY, '10:00'));
    await queueReminders(at(TUESDAY, '11:00'));
    // The relay has moved it into the delivery queue (e.g. waiting for a retry after an SMTP error).
    await db().getRepository(Notification).update({ kind: 'appointment_reminder', toEmail: patient.user.email }, { status: 'queued', attempts: 1 });
    await cancelAppointment(patient.actor, visit.id);
    expect((await remindersOf(visit.id)).map((r) => [r.status, r.attempts])).toEqual([['skipped', 1]]);
  });

  it('writes an audit event with the status change', async () => {
    const { operator, visit } = await visitSetup();
    await cancelAppointment(operator.actor, visit.id, { reason: 'Rebooked by phone' });
    const audit = await db().getRepository(AuditEvent).findOneByOrFail({ action: 'appointment.cancel', recordId: String(visit.id) });
    expect(audit).toMatchObject({ actorId: operator.user.id, actorRole: 'operator' });
    expect(audit.changes).toMatchObject({ status: { before: 'scheduled', after: 'cancelled' }, cancelReason: { before: null, after: 'Rebooked by phone' } });
  });
});

describe('requests: asking and withdrawing (rules 1 and 5)', () => {
  it('records a patient\'s request without a date and confirms it by mail once', async () => {
    const patient = await makeUser('patient');
    const mri = await makeDiagnostic({ name: 'MRI head' });
    const request = await requestDiagnostic(patient.actor, { diagnosticId: mri.id, note: 'Migraines' });
    expect(request).toMatchObject({ status: 'requested', startsAt: null, endsAt: null, patientNote: 'Migraines', diagnostic: { name: 'MRI head' } });
    const mails = await mailsFor(request.id, 'request_received');
    expect(mails).toHaveLength(1);
    expect(JSON.stringify(mails[0].data)).not.toContain('Migraines');
  });

  it('refuses requests for inactive diagnostics, from blocked patients and from staff', async () => {
    const patient = await makeUser('patient');
    const blocked = await makeUser('patient', { isBlocked: true });
    const old = await makeDiagnostic({ isActive: false });
    const active = await makeDiagnostic();
    const before = await counts();
    await expect(requestDiagnostic(patient.actor, { diagnosticId: old.id })).rejects.toMatchObject({ status: 400, fields: { diagnosticId: expect.any(String) } });
    await expect(requestDiagnostic(blocked.actor, { diagnosticId: active.id })).rejects.toMatchObject({ status: 400 });
    await expect(requestDiagnostic((await makeUser('operator')).actor, { diagnosticId: active.id })).rejects.toBeInstanceOf(Forbidden);
    const after = await counts();
    expect({ ...after, audits: 0 }).toEqual({ ...before, audits: 0 });
    expect(after.appointments).toBe(before.appointments);
  });

  it('answers a patient\'s request for a withdrawn diagnostic exactly like one for an id that never existed', async () => {
    const patient = await makeUser('patient');
    const retired = await makeDiagnostic({ name: 'Retired whole-body scan', isActive: false });
    const withdrawn = await requestDiagnostic(patient.actor, { diagnosticId: retired.id }).catch((e: unknown) => e);
    const unknown = await requestDiagnostic(patient.actor, { diagnosticId: 987_654 }).catch((e: unknown) => e);
    // The patients' catalogue has no inactive items (SPEC §4): not even their names leak through a refusal.
    expect(withdrawn).toMatchObject({ status: 400, fields: { diagnosticId: expect.any(String) } });
    expect(JSON.stringify(withdrawn)).not.toContain('Retired');
    expect({ ...(withdrawn as object), message: (withdrawn as Error).message }).toEqual({ ...(unknown as object), message: (unknown as Error).message });
  });

  it('refuses control characters in a note, keeping line breaks', async () => {
    const patient = await makeUser('patient');
    const scan = await makeDiagnostic();
    const before = await counts();
    await expect(requestDiagnostic(patient.actor, { diagnosticId: scan.id, note: 'cough\u0000' })).rejects.toMatchObject({ status: 400, fields: { note: expect.any(String) } });
    expect(await counts()).toEqual(before);
    expect((await requestDiagnostic(patient.actor, { diagnosticId: scan.id, note: 'Cough.\nFever at night.' })).patientNote).toBe('Cough.\nFever at night.');
  });

  it('lets a patient withdraw an undated request at any time', async () => {
    const patient = await makeUser('patient');
    const request = await requestDiagnostic(patient.actor, { diagnosticId: (await makeDiagnostic()).id });
    const withdrawn = await withdrawRequest(patient.actor, request.id);
    expect(withdrawn.status).toBe('cancelled');
    expect(await db().getRepository(AuditEvent).countBy({ action: 'appointment.withdraw', recordId: String(request.id) })).toBe(1);
  });

  it('sends a dated appointment to the cancel rules instead of withdrawing it', async () => {
    const patient = await makeUser('patient');
    const operator = await makeUser('operator');
    const booked = await bookDiagnostic(operator.actor, { patientId: patient.user.id, diagnosticId: (await makeDiagnostic()).id, startsAt: at(WEDNESDAY, '15:00') });
    await expect(withdrawRequest(patient.actor, booked.id)).rejects.toThrow(/cancel the appointment instead/);
  });
});
