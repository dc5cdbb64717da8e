import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/support/db.js';
import { actorFor, makeUser } from '../../test/support/people.js';
import { bookVisit } from '../appointments/book-visit.js';
import { startProblem } from '../appointments/rules.js';
import { db } from '../db/data-source.js';
import { Appointment, AppointmentSlot } from '../db/entities/index.js';
import { clock } from '../shared/clock.js';
import { Conflict } from '../shared/errors.js';
import { cellsOf } from './calendar.js';
import { seedScale, type ScaleSummary } from './scale.js';

useTestDatabase();

const NOW = new Date('2026-11-25T10:07:00Z');
let summary: ScaleSummary;
beforeAll(async () => {
  clock.set(NOW);
  summary = await seedScale(db(), { patients: 300, appointments: 4000, futureShare: 0.2, rowsPerStatement: 500 });
}, 120_000);

const count = async (sql: string) => Number((await db().query(sql))[0].n);

describe('the scale generator', () => {
  it('writes the asked-for patients and appointments, with records', async () => {
    expect(summary.rows.appointments).toBe(4000);
    expect(await count("SELECT COUNT(*) AS n FROM users WHERE role = 'patient'")).toBe(300);
    expect(await count("SELECT COUNT(*) AS n FROM appointments WHERE status = 'requested' AND startsAt IS NULL")).toBe(80);
    expect(await count('SELECT COUNT(*) AS n FROM journal_entries')).toBeGreaterThan(100);
    expect(await count('SELECT COUNT(*) AS n FROM prescriptions')).toBeGreaterThan(10);
    expect(summary.rowsPerSecond).toBeGreaterThan(0);
  });

  it('writes the trail of that history: an audit event and a sent mail for each request, booking, cancellation and record, and login attempts', async () => {
    const booked = await count("SELECT COUNT(*) AS n FROM appointments WHERE status <> 'requested'");
    const cancelled = await count("SELECT COUNT(*) AS n FROM appointments WHERE status = 'cancelled'");
    const records = await count('SELECT (SELECT COUNT(*) FROM journal_entries) + (SELECT COUNT(*) FROM prescriptions) AS n');
    const expected = 80 + booked + cancelled + records;
    expect(await count('SELECT COUNT(*) AS n FROM audit_events')).toBe(expected);
    expect(await count('SELECT COUNT(*) AS n FROM notifications')).toBe(expected);
    expect(await count("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'appointment.cancel' AND resource = 'appointment'")).toBe(cancelled);
    // Nothing waits in the outbox: the worker must not send history.
    expect(await count("SELECT COUNT(*) AS n FROM notifications WHERE status IN ('pending', 'queued')")).toBe(0);
    expect(await count("SELECT COUNT(*) AS n FROM notifications n LEFT JOIN users u ON u.id = n.recipientUserId WHERE u.email <> n.toEmail OR u.id IS NULL")).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM login_attempts')).toBeGreaterThanOrEqual(300);
  });

  it('leaves no reference dangling, though it writes around the foreign-key checks', async () => {
    expect(await count('SELECT COUNT(*) AS n FROM appointments a LEFT JOIN users u ON u.id = a.patientId WHERE u.id IS NULL')).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM appointments a LEFT JOIN users u ON u.id = a.doctorId WHERE a.doctorId IS NOT NULL AND u.id IS NULL')).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM appointments a LEFT JOIN diagnostics d ON d.id = a.diagnosticId WHERE a.diagnosticId IS NOT NULL AND d.id IS NULL')).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM prescriptions p LEFT JOIN journal_entries j ON j.id = p.journalEntryId WHERE j.id IS NULL')).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM appointment_slots s LEFT JOIN appointments a ON a.id = s.appointmentId WHERE a.id IS NULL')).toBe(0);
  });

  it('lays out the future as the booking rules would, each scheduled appointment holding exactly its cells', async () => {
    const scheduled = await db().getRepository(Appointment).findBy({ status: 'scheduled' });
    expect(scheduled.length).toBeGreaterThan(500);
    let cells = 0;
    for (const a of scheduled) {
      const minutes = (a.endsAt!.getTime() - a.startsAt!.getTime()) / 60_000;
      expect(startProblem(a.startsAt!, minutes, NOW)).toBeNull();
      cells += cellsOf(a.startsAt!, a.endsAt!).length * 2;
    }
    expect(await db().getRepository(AppointmentSlot).count()).toBe(cells);
    expect(await count("SELECT COUNT(*) AS n FROM appointment_slots s JOIN appointments a ON a.id = s.appointmentId WHERE a.status <> 'scheduled'")).toBe(0);
  });

  it('is seen by the booking service: a generated visit\'s time cannot be booked again', async () => {
    const visit = await db().getRepository(Appointment).findOneOrFail({ where: { status: 'scheduled', kind: 'visit' }, order: { id: 'ASC' } });
    const operator = await makeUser('operator');
    const patient = await makeUser('patient');
    const before = await db().getRepository(Appointment).count();
    await expect(bookVisit(actorFor(operator), { patientId: patient.id, doctorId: visit.doctorId!, startsAt: visit.startsAt! })).rejects.toBeInstanceOf(Conflict);
    expect(await db().getRepository(Appointment).count()).toBe(before);
  });
});
