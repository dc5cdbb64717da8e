/**
 * SPEC §4, the role × action matrix, walked whole: first the permission table
 * in server/access/policy.ts cell by cell against the SPEC, then the real
 * services of every feature. A forbidden call must throw Forbidden (or
 * NotFound, for records the caller may not see) and change no row; an allowed
 * one must go through.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../server/access/actor.js';
import { can, PERMISSIONS, requireAccess, requireVisible, type Permission } from '../server/access/policy.js';
import { ROLES, type Role } from '../server/access/roles.js';
import { bookVisit } from '../server/appointments/book-visit.js';
import { cancelAppointment } from '../server/appointments/cancel.js';
import { listAppointments } from '../server/appointments/queries.js';
import { freeSlots } from '../server/appointments/slots.js';
import { requestDiagnostic } from '../server/appointments/request.js';
import { bookDiagnostic, scheduleRequest } from '../server/appointments/schedule.js';
import { createDiagnostic, listDiagnostics, setDiagnosticActive, updateDiagnostic } from '../server/catalogue/diagnostics.js';
import { db } from '../server/db/data-source.js';
import { Diagnostic } from '../server/db/entities/index.js';
import { addJournalEntry, getJournalEntry, listJournal } from '../server/records/journal.js';
import { addPrescription, getPrescription, listPrescriptions } from '../server/records/prescriptions.js';
import { clinicTimeToUtc } from '../server/shared/clinic-time.js';
import { clock } from '../server/shared/clock.js';
import { Forbidden, NotFound, Unauthenticated } from '../server/shared/errors.js';
import { blockUser } from '../server/users/blocking.js';
import { deleteUser } from '../server/users/deletion.js';
import { setDoctorAccepting } from '../server/users/doctors.js';
import { inviteStaff } from '../server/users/invitations.js';
import { getUser, listUsers } from '../server/users/queries.js';
import { changeRole, grantAdmin, revokeAdmin } from '../server/users/roles.js';
import { useTestDatabase } from './support/db.js';
import { actorFor, makeClinic, makeUser } from './support/people.js';

const [S, A, D, O, Ph, Pt] = ROLES; // superuser, admin, doctor, operator, pharmacist, patient

/** SPEC §4, transcribed row by row: which roles hold each permission. */
const SPEC: Record<Permission, Role[]> = {
  // staff accounts: superuser all; admin manages doctors/operators/pharmacists, reads admins; doctor and pharmacist read; operator reads doctors
  'staff.read': [S, A, D, Ph],
  'staff.readDoctors': [S, A, D, O, Ph],
  'staff.manage': [S, A],
  'admin.manage': [S],
  // patients: superuser, admin all; doctor read; operator contact data; pharmacist name and birth date; patient own profile
  'patient.read': [S, A, D],
  'patient.readContact': [S, A, D, O],
  'patient.readBasic': [S, A, D, O, Ph],
  'patient.manage': [S, A],
  'self.profile': [Pt],
  // diagnostics catalogue: staff read, superuser/admin manage, patients read active items
  'diagnostic.read': [S, A, D, O, Ph],
  'diagnostic.readActive': [S, A, D, O, Ph, Pt],
  'diagnostic.manage': [S, A],
  // requests and appointments: doctor reads; operator creates, schedules, cancels; pharmacist nothing; patient own
  'appointment.read': [S, A, D, O],
  'appointment.schedule': [S, A, O],
  'appointment.cancel': [S, A, O],
  'appointment.requestOwn': [Pt],
  'appointment.readOwn': [Pt],
  'doctor.setAccepting': [S, A],
  // journal entries: read (all but operator and patient), diagnosis only for pharmacists, add (doctor) or on behalf (admins)
  'journal.read': [S, A, D],
  'journal.readDiagnosis': [S, A, D, Ph],
  'journal.add': [D],
  'journal.addOnBehalf': [S, A],
  'journal.readOwn': [Pt],
  // prescriptions
  'prescription.read': [S, A, D, Ph],
  'prescription.add': [Ph],
  'prescription.addOnBehalf': [S, A],
  'prescription.readOwn': [Pt],
  // audit events, login attempts (and the mail log that goes with them)
  'audit.read': [S, A],
  'loginAttempt.read': [S, A],
  'notification.read': [S, A],
};

describe('the permission table (server/access/policy.ts) against SPEC §4', () => {
  it('classifies every permission the policy knows', () => {
    expect(Object.keys(SPEC).sort()).toEqual([...PERMISSIONS].sort());
  });

  const cells = ROLES.flatMap((role) => PERMISSIONS.map((permission) => ({ role, permission, allowed: SPEC[permission].includes(role) })));
  it.each(cells)('$role $permission → $allowed', ({ role, permission, allowed }) => {
    const actor: Actor = { id: 1, role };
    expect(can(actor, permission)).toBe(allowed);
    if (allowed) expect(() => requireAccess(actor, permission)).not.toThrow();
    else expect(() => requireAccess(actor, permission)).toThrow(Forbidden);
  });

  it('asks for a login before anything else', () => {
    expect(() => requireAccess(null, 'diagnostic.readActive')).toThrow(Unauthenticated);
  });

  it('answers "not found" for another patient\'s record, so ids cannot be probed', () => {
    const patient: Actor = { id: 7, role: 'patient' };
    expect(() => requireVisible(patient, { patientId: 7 }, 'Journal entry', ['journal.read'], 'journal.readOwn')).not.toThrow();
    expect(() => requireVisible(patient, { patientId: 8 }, 'Journal entry', ['journal.read'], 'journal.readOwn')).toThrow(NotFound);
    expect(() => requireVisible({ id: 2, role: 'operator' }, { patientId: 8 }, 'Journal entry', ['journal.read'], 'journal.readOwn')).toThrow(NotFound);
  });
});

describe('the real services, role by role', () => {
  useTestDatabase();

  let clinic: Awaited<ReturnType<typeof makeClinic>>;
  let diagnostic: Diagnostic;
  let entryId: number;
  let prescriptionId: number;
  const actorOf = (role: Role) => clinic.as[role];

  // Monday 7 December 2026, 08:00 in Stockholm; every booking gets its own
  // half hour from Wednesday on, so allowed bookings never collide.
  let nextSlot = 0;
  const freshStart = () => {
    const n = nextSlot++;
    const weekday = Math.floor(n / 18);
    const day = 9 + (weekday % 3) + 7 * Math.floor(weekday / 3); // Wed–Fri of each following week
    return clinicTimeToUtc(`2026-12-${String(day).padStart(2, '0')}`, 8 * 60 + (n % 18) * 30);
  };

  beforeAll(async () => {
    clock.set(clinicTimeToUtc('2026-12-07', 8 * 60));
    clinic = await makeClinic();
    diagnostic = await db().getRepository(Diagnostic).save(db().getRepository(Diagnostic).create({ name: 'MRI', durationMinutes: 30, isActive: true }));
    entryId = (await addJournalEntry(clinic.as.doctor, { patientId: clinic.patient.id, diagnosis: 'Migraine', description: 'Headaches' })).id;
    prescriptionId = (await addPrescription(clinic.as.pharmacist, { patientId: clinic.patient.id, medication: 'Sumatriptan', dosage: '50 mg', instructions: 'At onset' })).id;
  });
  afterAll(() => clock.reset());

  /** Everything a forbidden call could have changed, in one comparable value. */
  async function fingerprint(): Promise<unknown> {
    const q = async (sql: string) => (await db().query(sql)).map((r: Record<string, unknown>) => Object.values(r).map(String).join('|'));
    return {
      users: await q('SELECT COUNT(*), SUM(isBlocked), SUM(isActive), SUM(sessionEpoch) FROM users'),
      roles: await q('SELECT role, COUNT(*) FROM users GROUP BY role ORDER BY role'),
      doctors: await q('SELECT COUNT(*), SUM(acceptingBookings) FROM doctor_profiles'),
      diagnostics: await q('SELECT COUNT(*), SUM(isActive), MAX(updatedAt) FROM diagnostics'),
      appointments: await q('SELECT status, COUNT(*) FROM appointments GROUP BY status ORDER BY status'),
      slots: await q('SELECT COUNT(*) FROM appointment_slots'),
      journal: await q('SELECT COUNT(*) FROM journal_entries'),
      prescriptions: await q('SELECT COUNT(*) FROM prescriptions'),
      notifications: await q('SELECT COUNT(*) FROM notifications'),
      tokens: await q('SELECT COUNT(*) FROM one_time_tokens'),
    };
  }

  interface Case {
    action: string;
    allowed: Role[];
    /** Runs before the row snapshot: what the action needs to exist. */
    prepare?: () => Promise<number>;
    run: (actor: Actor, prepared: number) => Promise<unknown>;
  }

  const bookedVisit = async () => (await bookVisit(clinic.as.operator, { patientId: clinic.patient.id, doctorId: clinic.doctor.id, startsAt: freshStart() })).id;
  const freshDoctor = async () => (await makeUser('doctor')).id;

  const CASES: Case[] = [
    // journal entries
    { action: 'add a journal entry', allowed: [S, A, D], run: (a) => addJournalEntry(a, { patientId: clinic.patient.id, diagnosis: 'Tension headache', description: 'Stress', onBehalfOfDoctorId: a.role === 'doctor' ? undefined : clinic.doctor.id }) },
    { action: 'list a patient\'s journal', allowed: [S, A, D, Ph, Pt], run: (a) => listJournal(a, { patientId: clinic.patient.id }) },
    { action: 'read a journal entry', allowed: [S, A, D, Ph, Pt], run: (a) => getJournalEntry(a, entryId) },
    // prescriptions
    { action: 'add a prescription', allowed: [S, A, Ph], run: (a) => addPrescription(a, { patientId: clinic.patient.id, medication: 'Ibuprofen', dosage: '400 mg', instructions: 'With food', onBehalfOfPharmacistId: a.role === 'pharmacist' ? undefined : clinic.pharmacist.id }) },
    { action: 'list a patient\'s prescriptions', allowed: [S, A, D, Ph, Pt], run: (a) => listPrescriptions(a, { patientId: clinic.patient.id }) },
    { action: 'read a prescription', allowed: [S, A, D, Ph, Pt], run: (a) => getPrescription(a, prescriptionId) },
    // diagnostics catalogue
    { action: 'list the catalogue', allowed: [S, A, D, O, Ph, Pt], run: (a) => listDiagnostics(a, {}) },
    { action: 'create a diagnostic', allowed: [S, A], run: (a) => createDiagnostic(a, { name: `Scan by ${a.role} ${nextSlot++}` }) },
    { action: 'edit a diagnostic', allowed: [S, A], run: (a) => updateDiagnostic(a, diagnostic.id, { description: `Edited by ${a.role}` }) },
    { action: 'deactivate a diagnostic', allowed: [S, A], prepare: async () => (await db().getRepository(Diagnostic).save(db().getRepository(Diagnostic).create({ name: `Old scan ${nextSlot++}`, durationMinutes: 30, isActive: true }))).id, run: (a, id) => setDiagnosticActive(a, id, false) },
    // requests and appointments
    { action: 'list appointments', allowed: [S, A, D, O, Pt], run: (a) => listAppointments(a, {}) },
    { action: 'request a diagnostic', allowed: [Pt], run: (a) => requestDiagnostic(a, { diagnosticId: diagnostic.id, note: 'Back pain' }) },
    { action: 'schedule a request', allowed: [S, A, O], prepare: async () => (await requestDiagnostic(clinic.as.patient, { diagnosticId: diagnostic.id })).id, run: (a, id) => scheduleRequest(a, id, { startsAt: freshStart() }) },
    { action: 'book a diagnostic', allowed: [S, A, O], run: (a) => bookDiagnostic(a, { patientId: clinic.patient.id, diagnosticId: diagnostic.id, startsAt: freshStart() }) },
    { action: 'book a doctor visit', allowed: [S, A, O], run: (a) => bookVisit(a, { patientId: clinic.patient.id, doctorId: clinic.doctor.id, startsAt: freshStart() }) },
    // The patient here is the appointment's own patient, days ahead: allowed (rule 4).
    { action: 'cancel an appointment', allowed: [S, A, O, Pt], prepare: bookedVisit, run: (a, id) => cancelAppointment(a, id, { reason: 'Clash' }) },
    // people
    { action: 'list users', allowed: [S, A, D, O, Ph], run: (a) => listUsers(a, {}) },
    { action: 'block a doctor', allowed: [S, A], prepare: freshDoctor, run: (a, id) => blockUser(a, id, 'Left the clinic') },
    { action: 'stop a doctor\'s bookings', allowed: [S, A], prepare: freshDoctor, run: (a, id) => setDoctorAccepting(a, id, false) },
    { action: 'invite a doctor', allowed: [S, A], run: (a) => inviteStaff(a, { email: `new.doctor.${a.role}.${nextSlot++}@qhealth.test`, role: 'doctor', firstName: 'Noémie', lastName: "D'Arcy", specialty: 'Neurology' }) },
    { action: 'grant admin', allowed: [S], prepare: async () => (await makeUser('operator')).id, run: (a, id) => grantAdmin(a, id) },
    { action: 'revoke admin', allowed: [S], prepare: async () => (await makeUser('admin')).id, run: (a, id) => revokeAdmin(a, id, 'operator') },
    { action: 'change a staff role', allowed: [S, A], prepare: async () => (await makeUser('operator')).id, run: (a, id) => changeRole(a, id, 'pharmacist') },
    { action: 'read another patient', allowed: [S, A, D, O, Ph], run: (a) => getUser(a, clinic.otherPatient.id) },
    { action: 'read an admin\'s account', allowed: [S, A, D, Ph], run: (a) => getUser(a, clinic.admin.id) },
    { action: 'block a patient', allowed: [S, A], prepare: async () => (await makeUser('patient')).id, run: (a, id) => blockUser(a, id, 'Abusive calls') },
    { action: 'delete a patient without records', allowed: [S, A], prepare: async () => (await makeUser('patient')).id, run: (a, id) => deleteUser(a, id) },
    { action: 'list a doctor\'s free slots', allowed: [S, A, D, O, Pt], run: (a) => freeSlots(a, { doctorId: clinic.doctor.id, date: '2026-12-10' }) },
  ];

  const rows = CASES.flatMap((c) => ROLES.map((role) => ({ ...c, role, allowedHere: c.allowed.includes(role) })));
  it.each(rows)('$role: $action → allowed $allowedHere', async ({ role, allowedHere, prepare, run }) => {
    const prepared = prepare ? await prepare() : 0;
    const before = await fingerprint();
    const outcome = await run(actorOf(role), prepared).then(() => 'ok', (err: unknown) => err);
    if (allowedHere) {
      expect(outcome).toBe('ok');
    } else {
      expect(outcome instanceof Forbidden || outcome instanceof NotFound, `expected Forbidden or NotFound, got ${String(outcome)}`).toBe(true);
      expect(await fingerprint()).toEqual(before);
    }
  });

  it('keeps one patient out of another patient\'s records and appointments', async () => {
    const other = actorFor(clinic.otherPatient);
    const visit = await bookedVisit();
    const ownVisit = (await bookVisit(clinic.as.operator, { patientId: clinic.otherPatient.id, doctorId: clinic.doctor.id, startsAt: freshStart() })).id;
    const before = await fingerprint();
    await expect(getJournalEntry(other, entryId)).rejects.toBeInstanceOf(NotFound);
    await expect(getPrescription(other, prescriptionId)).rejects.toBeInstanceOf(NotFound);
    await expect(cancelAppointment(other, visit, {})).rejects.toBeInstanceOf(NotFound);
    expect((await listJournal(other, { patientId: clinic.patient.id })).total).toBe(0);
    const listed = (await listAppointments(other, { patientId: clinic.patient.id })).items.map((a) => a.id);
    expect(listed).not.toContain(visit);
    expect((await listAppointments(other, {})).items.map((a) => a.id)).toEqual([ownVisit]);
    expect(await fingerprint()).toEqual(before);
  });
});
