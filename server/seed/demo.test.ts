import { verify } from '@node-rs/argon2';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { createTestDatabase, useTestDatabase } from '../../test/support/db.js';
import { startProblem } from '../appointments/rules.js';
import { overrideConfig } from '../config.js';
import { dataSourceOptions, db, migrate } from '../db/data-source.js';
import { AUDIT_ACTIONS } from '../db/entities/audit-event.js';
import { Appointment, AppointmentSlot, User } from '../db/entities/index.js';
import { clinicParts } from '../shared/clinic-time.js';
import { clock } from '../shared/clock.js';
import { sqlDate } from './bulk.js';
import { cellsOf } from './calendar.js';
import { DEMO_LOGIN_EMAILS, DEMO_PASSWORD, seedDemo, seedDemoIfEmpty, type DemoSummary } from './demo.js';

useTestDatabase();

const NOW = new Date('2026-11-25T10:07:00Z'); // a Wednesday morning in Stockholm
let summary: DemoSummary | null;
beforeAll(async () => {
  clock.set(NOW);
  overrideConfig({ seedDemo: true });
  summary = await seedDemoIfEmpty();
}, 60_000);

/** A datetime as either driver returns it from a raw query. */
const dateOf = (v: string | Date) => (v instanceof Date ? v : new Date(`${v.replace(' ', 'T')}Z`));
const count = async (sql: string, params: unknown[] = []) => Number((await db().query(sql, params))[0].n);

describe('the demo clinic', () => {
  it('is seeded into an empty database quickly, and only once', async () => {
    expect(summary).not.toBeNull();
    expect(summary!.ms).toBeLessThan(15_000);
    const users = await count('SELECT COUNT(*) AS n FROM users');
    expect(await seedDemoIfEmpty()).toBeNull();
    expect(await count('SELECT COUNT(*) AS n FROM users')).toBe(users);
  });

  it('has the staff and patients the clinic needs', async () => {
    const byRole = Object.fromEntries((await db().query('SELECT role, COUNT(*) AS n FROM users GROUP BY role')).map((r: { role: string; n: number }) => [r.role, Number(r.n)]));
    expect(byRole).toEqual({ superuser: 1, admin: 2, doctor: 6, operator: 3, pharmacist: 2, patient: 200 });
    const specialties = await db().query('SELECT DISTINCT specialty FROM doctor_profiles');
    expect(specialties).toHaveLength(6);
    expect(await count('SELECT COUNT(*) AS n FROM diagnostics WHERE isActive = 1')).toBe(12);
  });

  it('lets every known demo login in with the demo password, all active', async () => {
    const users = await db().getRepository(User).createQueryBuilder('u').addSelect('u.passwordHash')
      .where('u.email IN (:...emails)', { emails: [...DEMO_LOGIN_EMAILS] }).getMany();
    expect(users.map((u) => u.email).sort()).toEqual([...DEMO_LOGIN_EMAILS].sort());
    for (const u of users) {
      expect(u.isActive && !u.isBlocked).toBe(true);
      expect(u.passwordHash).toMatch(/^\$argon2id\$/);
    }
    expect(await verify(users[0].passwordHash!, DEMO_PASSWORD)).toBe(true);
  });

  it('uses real-world names, E.164 phones and adult birth dates', async () => {
    const people: User[] = await db().getRepository(User).find();
    const names = people.map((p) => `${p.firstName} ${p.lastName}`).join('\n');
    expect(names).toMatch(/O'/); // apostrophes
    expect(names).toMatch(/[äöü]/); // umlauts
    expect(names).toMatch(/[éèà]/); // accents
    expect(names).toMatch(/\p{L}-\p{L}/u); // hyphens
    expect(new Set(people.map((p) => p.addressCountry)).size).toBeGreaterThan(3);
    for (const p of people) {
      expect(p.phone).toMatch(/^\+[1-9]\d{7,14}$/);
      const adult = new Date(NOW);
      adult.setUTCFullYear(adult.getUTCFullYear() - 18);
      expect(p.dateOfBirth! <= adult.toISOString().slice(0, 10)).toBe(true);
    }
  });

  it('books future appointments the way the booking rules would, each with its slot rows', async () => {
    const repo = db().getRepository(Appointment);
    const scheduled = await repo.findBy({ status: 'scheduled' });
    expect(scheduled.length).toBeGreaterThan(100);
    let cells = 0;
    for (const a of scheduled) {
      const minutes = (a.endsAt!.getTime() - a.startsAt!.getTime()) / 60_000;
      expect(startProblem(a.startsAt!, minutes, NOW), `appointment ${a.id} at ${a.startsAt!.toISOString()}`).toBeNull();
      cells += cellsOf(a.startsAt!, a.endsAt!).length * 2;
    }
    // Every scheduled appointment holds its cells (doctor or diagnostic, and patient), nothing else does.
    expect(await db().getRepository(AppointmentSlot).count()).toBe(cells);
    const orphans = await count("SELECT COUNT(*) AS n FROM appointment_slots s JOIN appointments a ON a.id = s.appointmentId WHERE a.status <> 'scheduled'");
    expect(orphans).toBe(0);
    expect(scheduled.every((a) => a.bookedById !== null && a.bookedAt! <= NOW)).toBe(true);
  });

  it('has a past, requests waiting for operators, cancellations, and records', async () => {
    expect(await count("SELECT COUNT(*) AS n FROM appointments WHERE status = 'completed'")).toBeGreaterThan(200);
    expect(await count("SELECT COUNT(*) AS n FROM appointments WHERE status = 'requested' AND startsAt IS NULL")).toBeGreaterThanOrEqual(30);
    expect(await count("SELECT COUNT(*) AS n FROM appointments WHERE status = 'cancelled' AND cancelledById IS NOT NULL")).toBeGreaterThan(10);
    expect(await count('SELECT COUNT(*) AS n FROM journal_entries')).toBeGreaterThan(100);
    expect(await count('SELECT COUNT(*) AS n FROM journal_entries WHERE correctsId IS NOT NULL')).toBeGreaterThan(0);
    expect(await count('SELECT COUNT(*) AS n FROM journal_entries WHERE recordedById <> authorId')).toBeGreaterThan(0);
    expect(await count('SELECT COUNT(*) AS n FROM prescriptions')).toBeGreaterThan(50);
    const completedInFuture = await db().getRepository(Appointment).createQueryBuilder('a')
      .where("a.status = 'completed'").getMany();
    expect(completedInFuture.every((a) => a.endsAt! < NOW)).toBe(true);
    expect(clinicParts(NOW).date).toBe('2026-11-25');
  });

  it('gives the demo patient something in every part of the portal', async () => {
    const [patient] = await db().query("SELECT id FROM users WHERE email = 'patient@qhealth.test'");
    const id = patient.id;
    expect(await count("SELECT COUNT(*) AS n FROM appointments WHERE patientId = ? AND status = 'scheduled'", [id])).toBeGreaterThanOrEqual(2);
    expect(await count("SELECT COUNT(*) AS n FROM appointments WHERE patientId = ? AND status = 'requested'", [id])).toBeGreaterThanOrEqual(1);
    expect(await count('SELECT COUNT(*) AS n FROM journal_entries WHERE patientId = ?', [id])).toBeGreaterThanOrEqual(3);
    expect(await count('SELECT COUNT(*) AS n FROM prescriptions WHERE patientId = ?', [id])).toBeGreaterThanOrEqual(1);
  });

  it('leaves the audit trail of that history, each event by someone who could have acted, about a record that exists', async () => {
    const events: AuditRow[] = await db().query('SELECT * FROM audit_events');
    expect(events.length).toBeGreaterThan(1000);
    const users = new Map<number, { role: string }>((await db().query('SELECT id, role FROM users')).map((u: { id: number; role: string }) => [Number(u.id), u]));
    const appointments = new Map<number, AppointmentRow>((await db().query('SELECT * FROM appointments')).map((a: AppointmentRow) => [Number(a.id), a]));
    const records = {
      journalEntry: new Set((await db().query('SELECT id FROM journal_entries')).map((r: { id: number }) => String(r.id))),
      prescription: new Set((await db().query('SELECT id FROM prescriptions')).map((r: { id: number }) => String(r.id))),
    };
    const staffFor: Record<string, string[]> = {
      'appointment.request': ['patient'], 'appointment.schedule': ['operator', 'admin'], 'appointment.book': ['operator', 'admin'],
      'appointment.cancel': ['patient', 'operator'], 'appointment.complete': ['system'], create: ['doctor', 'pharmacist', 'admin'],
      correct: ['doctor'], 'user.block': ['admin'],
    };
    for (const e of events) {
      const what = `${e.action} ${e.resource} ${e.recordId}`;
      expect(AUDIT_ACTIONS, what).toContain(e.action);
      expect(staffFor[e.action], what).toContain(e.actorRole);
      if (e.actorRole === 'system') expect(e.actorId, what).toBeNull();
      else expect(users.get(Number(e.actorId))?.role, what).toBe(e.actorRole);
      expect(dateOf(e.at) <= NOW, what).toBe(true);
      if (e.resource === 'appointment') {
        const a = appointments.get(Number(e.recordId));
        expect(a, what).toBeDefined();
        expect(Number(e.patientId)).toBe(Number(a!.patientId));
        if (e.action === 'appointment.request') expect(Number(e.actorId)).toBe(Number(a!.patientId));
        if (e.action === 'appointment.book' || e.action === 'appointment.schedule') expect(Number(e.actorId)).toBe(Number(a!.bookedById));
        if (e.action === 'appointment.cancel') expect(Number(e.actorId)).toBe(Number(a!.cancelledById));
      } else if (e.resource === 'user') {
        expect(users.has(Number(e.recordId)), what).toBe(true);
      } else {
        expect(records[e.resource as keyof typeof records].has(e.recordId), what).toBe(true);
      }
    }
    // Every appointment and record left its event.
    const about = (action: string) => new Set(events.filter((e) => e.action === action).map((e) => Number(e.recordId)));
    const booked = new Set([...about('appointment.book'), ...about('appointment.schedule')]);
    for (const a of appointments.values()) {
      if (a.status === 'requested') expect(about('appointment.request').has(Number(a.id))).toBe(true);
      else expect(booked.has(Number(a.id)), `appointment ${a.id}`).toBe(true);
      if (a.status === 'cancelled') expect(about('appointment.cancel').has(Number(a.id))).toBe(true);
      if (a.status === 'completed') expect(about('appointment.complete').has(Number(a.id))).toBe(true);
    }
    expect(events.filter((e) => e.resource === 'journalEntry' || e.resource === 'prescription').length).toBe(records.journalEntry.size + records.prescription.size);
  });

  it('has a mail log of what went out, all of it sent or failed (nothing for the worker to send again), each to its user', async () => {
    expect(await count('SELECT COUNT(*) AS n FROM notifications')).toBeGreaterThan(1000);
    expect(await count("SELECT COUNT(*) AS n FROM notifications WHERE status NOT IN ('sent', 'failed')")).toBe(0);
    expect(await count("SELECT COUNT(*) AS n FROM notifications WHERE status = 'failed'")).toBeLessThan(30);
    expect(await count('SELECT COUNT(*) AS n FROM notifications n LEFT JOIN users u ON u.id = n.recipientUserId WHERE u.id IS NULL OR u.email <> n.toEmail')).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM notifications WHERE createdAt > ? OR sentAt > ?', [sqlDate(NOW), sqlDate(NOW)])).toBe(0);
    const cancellations: { data: string }[] = await db().query("SELECT data FROM notifications WHERE kind = 'appointment_cancelled'");
    const cancelledBy = cancellations.map((n) => JSON.parse(n.data) as { cancelledBy: string; forRole: string });
    expect(cancelledBy.some((d) => d.forRole === 'patient' && /^the clinic \(\p{L}.+, operator\)$/u.test(d.cancelledBy))).toBe(true);
    expect(cancelledBy.some((d) => d.forRole === 'doctor' && /^\p{L}.+ \(operator\)$/u.test(d.cancelledBy))).toBe(true);
    expect(cancelledBy.some((d) => d.forRole === 'patient' && d.cancelledBy === 'you')).toBe(true);
  });

  it('has recent sign-ins of every demo login, the last one at its lastLoginAt', async () => {
    const weeksAgo = sqlDate(new Date(NOW.getTime() - 7 * 7 * 86_400_000));
    expect(await count('SELECT COUNT(*) AS n FROM login_attempts WHERE at > ? OR at < ?', [sqlDate(NOW), weeksAgo])).toBe(0);
    for (const email of DEMO_LOGIN_EMAILS) {
      const user = await db().getRepository(User).findOneByOrFail({ email });
      const [last]: { at: string | Date; channel: string }[] = await db().query('SELECT at, channel FROM login_attempts WHERE email = ? AND success = 1 ORDER BY at DESC LIMIT 1', [email]);
      expect(last, email).toBeDefined();
      expect(dateOf(last.at).getTime(), email).toBe(user.lastLoginAt?.getTime());
      expect(last.channel).toBe(user.role === 'patient' ? 'portal' : 'panel');
    }
  });

  it('writes nothing at all when any part fails', async () => {
    const created = await createTestDatabase();
    const other = new DataSource(dataSourceOptions(created.database));
    try {
      await other.initialize();
      await migrate(other);
      // Mail the trail will want to write already exists: the last inserts fail.
      const taken = Array.from({ length: 5 }, (_, i) => [`scheduled:appointment:${i + 1}`, `booked:appointment:${i + 1}:patient`]).flat();
      for (const dedupeKey of taken) {
        await other.query("INSERT INTO notifications (kind, toEmail, data, dedupeKey, status, attempts, createdAt) VALUES ('welcome', 'x@qhealth.test', '{}', ?, 'sent', 1, ?)", [dedupeKey, sqlDate(NOW)]);
      }
      await expect(seedDemo(other)).rejects.toThrow();
      for (const table of ['users', 'appointments', 'journal_entries', 'audit_events', 'login_attempts']) {
        expect(Number((await other.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n), table).toBe(0);
      }
      expect(Number((await other.query('SELECT COUNT(*) AS n FROM notifications'))[0].n)).toBe(taken.length);
    } finally {
      if (other.isInitialized) await other.destroy();
      await created.drop();
    }
  }, 60_000);
});

interface AuditRow { actorId: number | null; actorRole: string | null; action: string; resource: string; recordId: string; patientId: number | null; at: string | Date }
interface AppointmentRow { id: number; patientId: number; status: string; bookedById: number | null; cancelledById: number | null }
