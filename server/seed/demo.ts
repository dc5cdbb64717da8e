import { hash } from '@node-rs/argon2';
import type { DataSource } from 'typeorm';
import { config } from '../config.js';
import { db } from '../db/data-source.js';
import { clock } from '../shared/clock.js';
import { isUniqueViolation } from '../shared/unit-of-work.js';
import { activityTrail, type TrailPerson, type TrailTable } from './activity.js';
import { Dice, insertRows, nextId, sqlDate, type Queryable, type Row } from './bulk.js';
import { planDemoClinic, type DemoClinic } from './demo-clinic.js';
import { DEMO_LOGIN_EMAILS, demoPeople, type DemoPerson } from './demo-people.js';

/**
 * The demo clinic of the quick start and `npm run seed:demo`: 1 superuser,
 * 2 admins, 6 doctors, 3 operators, 2 pharmacists, 200 patients, 12
 * diagnostics, past and future appointments, waiting requests, journal
 * entries and prescriptions, and the trail they left: audit events, the mail
 * log and recent sign-ins. Every demo login's password is `qhealth-demo`.
 */
export const DEMO_PASSWORD = 'qhealth-demo';
export { DEMO_LOGIN_EMAILS };

export interface DemoSummary {
  users: number;
  patients: number;
  diagnostics: number;
  appointments: number;
  slots: number;
  journalEntries: number;
  prescriptions: number;
  auditEvents: number;
  notifications: number;
  loginAttempts: number;
  ms: number;
}

export interface SeedDemoOptions {
  patients?: number;
  /** Another seed gives another (still believable) clinic. */
  seed?: number;
}

/** Seeds the demo clinic in one transaction: all of it, or nothing. */
export async function seedDemo(ds: DataSource = db(), options: SeedDemoOptions = {}): Promise<DemoSummary> {
  const started = performance.now();
  const now = clock.now();
  const dice = new Dice(options.seed);
  // One argon2id hash for everyone: hashing 214 times would take most of a minute.
  const passwordHash = await hash(DEMO_PASSWORD);
  const clinic = config().clinic;

  const counts = await ds.transaction(async (manager) => {
    const q: Queryable = manager;
    const ids = {
      user: await nextId(q, 'users'),
      diagnostic: await nextId(q, 'diagnostics'),
      appointment: await nextId(q, 'appointments'),
      journalEntry: await nextId(q, 'journal_entries'),
      prescription: await nextId(q, 'prescriptions'),
    };
    const people = demoPeople(dice, now, ids.user, passwordHash, options.patients ?? 200);
    const plan = planDemoClinic(dice, now, people, ids, clinic);
    // Before the users go in: it gives the demo logins their last sign-in.
    const trail = await demoTrail(dice, now, people, plan);
    await insertRows(q, 'users', people.map((p) => p.row));
    await insertRows(q, 'doctor_profiles', people.filter((p) => p.role === 'doctor').map((p) => ({
      userId: p.id, specialty: p.specialty ?? 'General practice', acceptingBookings: p.acceptingBookings === false ? 0 : 1, visitMinutes: 30,
    })));
    await insertRows(q, 'diagnostics', plan.diagnostics);
    await insertRows(q, 'appointments', plan.appointments);
    await insertRows(q, 'appointment_slots', plan.slots);
    await insertRows(q, 'journal_entries', plan.journalEntries);
    await insertRows(q, 'prescriptions', plan.prescriptions);
    for (const [table, rows] of Object.entries(trail)) await insertRows(q, table, rows);
    return {
      users: people.length,
      patients: people.filter((p) => p.role === 'patient').length,
      diagnostics: plan.diagnostics.length,
      appointments: plan.appointments.length,
      slots: plan.slots.length,
      journalEntries: plan.journalEntries.length,
      prescriptions: plan.prescriptions.length,
      auditEvents: trail.audit_events.length,
      notifications: trail.notifications.length,
      loginAttempts: trail.login_attempts.length,
    };
  });
  return { ...counts, ms: Math.round(performance.now() - started) };
}

const MIN = 60_000;
const DAY = 24 * 60 * MIN;

/**
 * What the demo's history would have left behind, as the services write it:
 * every request, booking, cancellation, completion and record with its audit
 * event and mail (sent long ago), the blocks, and six weeks of sign-ins. The
 * demo logins have all signed in lately, so each shows a last login.
 */
async function demoTrail(dice: Dice, now: Date, people: DemoPerson[], plan: DemoClinic): Promise<Record<TrailTable, Row[]>> {
  const rows: Record<TrailTable, Row[]> = { audit_events: [], notifications: [], login_attempts: [] };
  for (const p of people) {
    if (!p.row.lastLoginAt && (DEMO_LOGIN_EMAILS as readonly string[]).includes(p.email)) {
      p.row.lastLoginAt = sqlDate(new Date(now.getTime() - dice.int(10, 3 * 24 * 60) * MIN));
    }
  }
  const trailPeople = new Map<number, TrailPerson>(people.map((p) => [p.id, {
    email: p.email, firstName: p.firstName, lastName: p.lastName, role: p.role,
    lastLoginAt: p.row.lastLoginAt ? new Date(`${String(p.row.lastLoginAt).replace(' ', 'T')}Z`) : null,
  }]));
  const diagnosticNames = new Map(plan.diagnostics.map((d) => [Number(d.id), String(d.name)]));
  const trail = activityTrail((table, row) => void rows[table].push(row), dice, trailPeople, diagnosticNames, { everyStep: true });
  for (const a of plan.appointments) await trail.appointment(a, now);
  for (const e of plan.journalEntries) await trail.record('journalEntry', e);
  for (const p of plan.prescriptions) await trail.record('prescription', p);
  for (const p of people) if (p.row.isBlocked) await trail.blocked(p.row);
  // A blocked account cannot sign in; its last login stays where it was.
  await trail.logins(now, 6 * 7 * DAY, people.filter((p) => !p.row.isBlocked).map((p) => trailPeople.get(p.id)!).filter((p) => p.lastLoginAt));
  // Appended in time order, as the services would have written them.
  rows.audit_events.sort((a, b) => String(a.at).localeCompare(String(b.at)));
  rows.notifications.sort((a, b) => String(a.createdAt).localeCompare(String(b.createdAt)));
  return rows;
}

/** Whether any of the known demo logins exists already. */
export async function demoAlreadySeeded(ds: DataSource = db()): Promise<boolean> {
  const placeholders = DEMO_LOGIN_EMAILS.map(() => '?').join(', ');
  const [row] = await ds.query(`SELECT COUNT(*) AS n FROM users WHERE email IN (${placeholders})`, [...DEMO_LOGIN_EMAILS]);
  return Number(row.n) > 0;
}

/**
 * Start-up hook: seeds a database with no users at all, but only the embedded
 * one by default. A production (MariaDB) database is seeded only when
 * SEED_DEMO=true, or by running `npm run seed:demo` on purpose; SEED_DEMO=false
 * keeps even a fresh embedded database empty.
 */
export async function seedDemoIfEmpty(ds: DataSource = db()): Promise<DemoSummary | null> {
  const cfg = config();
  if (!(cfg.seedDemo ?? cfg.database.kind === 'sqlite')) return null;
  const [row] = await ds.query('SELECT COUNT(*) AS n FROM users');
  if (Number(row.n) > 0) return null;
  try {
    const summary = await seedDemo(ds);
    console.log(`Seeded the demo clinic in ${summary.ms} ms (${summary.users} users, ${summary.appointments} appointments); log in as ${DEMO_LOGIN_EMAILS.join(', ')} with password "${DEMO_PASSWORD}".`);
    return summary;
  } catch (err) {
    // Two instances starting on one empty database: the other one seeded it.
    if (isUniqueViolation(err)) return null;
    throw err;
  }
}
