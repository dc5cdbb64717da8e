import { verify } from '@node-rs/argon2';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/support/db.js';
import { startProblem } from '../appointments/rules.js';
import { overrideConfig } from '../config.js';
import { db } from '../db/data-source.js';
import { Appointment, AppointmentSlot, User } from '../db/entities/index.js';
import { clinicParts } from '../shared/clinic-time.js';
import { clock } from '../shared/clock.js';
import { cellsOf } from './calendar.js';
import { DEMO_LOGIN_EMAILS, DEMO_PASSWORD, seedDemoIfEmpty, type DemoSummary } from './demo.js';

useTestDatabase();

const NOW = new Date('2026-11-25T10:07:00Z'); // a Wednesday morning in Stockholm
let summary: DemoSummary | null;
beforeAll(async () => {
  clock.set(NOW);
  overrideConfig({ seedDemo: true });
  summary = await seedDemoIfEmpty();
}, 60_000);

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

  it('writes no notifications and no audit events', async () => {
    expect(await count('SELECT COUNT(*) AS n FROM notifications')).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM audit_events')).toBe(0);
  });
});
