import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../server/access/roles.js';
import { userActor } from '../server/access/actor.js';
import { requestDiagnostic, bookVisit } from '../server/appointments/index.js';
import { createDiagnostic } from '../server/catalogue/index.js';
import { db } from '../server/db/data-source.js';
import { User } from '../server/db/entities/user.js';
import { AuditEvent } from '../server/db/entities/audit-event.js';
import { Notification } from '../server/db/entities/notification.js';
import { Appointment } from '../server/db/entities/appointment.js';
import { addJournalEntry, addPrescription } from '../server/records/index.js';
import { clinicTimeToUtc } from '../server/shared/clinic-time.js';
import { clock } from '../server/shared/clock.js';
import { FIXTURE_PASSWORD, makeUser } from '../server/users/test-fixtures.js';
import { PanelClient, startServer, type PanelResponse } from './panel-support.js';
import { useTestDatabase } from './support/db.js';

useTestDatabase();

let server: Awaited<ReturnType<typeof startServer>>;
const people = {} as Record<'superuser' | 'admin' | 'admin2' | 'doctor' | 'operator' | 'pharmacist' | 'patient', User>;
const ids = { request: 0, visit: 0, journal: 0, prescription: 0, diagnostic: 0 };
const clients = {} as Record<string, PanelClient>;

/** The next weekday (clinic time) at least two days ahead, as YYYY-MM-DD. */
function nextWeekday(): string {
  const d = new Date(clock.now().getTime() + 2 * 86_400_000);
  while ([0, 6].includes(d.getUTCDay())) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** Everything a forbidden panel action might change, read straight from the tables. */
async function fingerprint(): Promise<string> {
  const q = (sql: string) => db().query(sql);
  return JSON.stringify([
    await q('SELECT id, role, isBlocked, isActive, firstName, lastName, email FROM users ORDER BY id'),
    await q('SELECT userId, acceptingBookings FROM doctor_profiles ORDER BY userId'),
    await q('SELECT id, name, isActive, durationMinutes FROM diagnostics ORDER BY id'),
    await q('SELECT id, status, startsAt FROM appointments ORDER BY id'),
    await q('SELECT COUNT(*) AS n FROM journal_entries'),
    await q('SELECT COUNT(*) AS n FROM prescriptions'),
    await q('SELECT COUNT(*) AS n FROM one_time_tokens'),
  ]);
}

/** A refusal as the panel gives it: an HTTP error, an error notice, or the login page. */
function isRefusal(res: PanelResponse): boolean {
  // A 500 is a bug, not a refusal.
  if (res.status >= 500) return false;
  if (res.status >= 400) return true;
  if (res.status === 302) return true;
  try {
    const body = res.json() as { notice?: { type?: string } };
    return body.notice?.type === 'error';
  } catch {
    return false;
  }
}

beforeAll(async () => {
  for (const role of ['superuser', 'admin', 'doctor', 'operator', 'pharmacist', 'patient'] as Role[]) {
    people[role as keyof typeof people] = await makeUser(role);
  }
  people.admin2 = await makeUser('admin');
  const adminActor = userActor(people.admin);
  const diagnostic = await createDiagnostic(adminActor, { name: 'MRI', durationMinutes: 30 } as never);
  ids.diagnostic = diagnostic.id;
  const request = await requestDiagnostic(userActor(people.patient), { diagnosticId: diagnostic.id, note: 'Knee pain' });
  ids.request = request.id;
  const visit = await bookVisit(userActor(people.operator), {
    patientId: people.patient.id, doctorId: people.doctor.id, startsAt: clinicTimeToUtc(nextWeekday(), 10 * 60).toISOString(),
  });
  ids.visit = visit.id;
  const entry = await addJournalEntry(userActor(people.doctor), { patientId: people.patient.id, diagnosis: 'Sprain', description: 'Left knee' });
  ids.journal = entry.id;
  const prescription = await addPrescription(userActor(people.pharmacist), {
    patientId: people.patient.id, medication: 'Ibuprofen', dosage: '400 mg', instructions: 'Twice a day with food',
  });
  ids.prescription = prescription.id;

  server = await startServer();
  for (const role of ['superuser', 'admin', 'doctor', 'operator', 'pharmacist'] as const) {
    const client = new PanelClient(server.url);
    const res = await client.login(people[role].email, FIXTURE_PASSWORD);
    expect(res.status, `${role} logs in`).toBe(302);
    clients[role] = client;
  }
}, 120_000);

afterAll(async () => {
  await server?.close();
});

const rec = (resource: string, id: () => number, action: string) => () => `/admin/api/resources/${resource}/records/${id()}/${action}`;
const res = (resource: string, action: string) => () => `/admin/api/resources/${resource}/actions/${action}`;
const patientId = () => people.patient.id;
const doctorId = () => people.doctor.id;
const adminId = () => people.admin2.id;

/** SPEC §4's forbidden pairs, as panel calls: role, what, path, POST fields (none = a read). */
const FORBIDDEN: [string, string, () => string, Record<string, string>?][] = [
  // staff accounts
  ['doctor', 'block a doctor', rec('Staff', doctorId, 'block'), { reason: 'x' }],
  ['operator', 'block a doctor', rec('Staff', doctorId, 'block'), { reason: 'x' }],
  ['pharmacist', 'block a doctor', rec('Staff', doctorId, 'block'), { reason: 'x' }],
  ['operator', 'read an admin account', rec('Staff', adminId, 'show')],
  ['admin', 'block another admin', rec('Staff', adminId, 'block'), { reason: 'x' }],
  ['admin', 'grant admin', rec('Staff', doctorId, 'grantAdmin'), {}],
  ['admin', 'revoke admin', rec('Staff', adminId, 'revokeAdmin'), { role: 'doctor' }],
  ['doctor', 'grant admin', rec('Staff', doctorId, 'grantAdmin'), {}],
  ['doctor', 'invite staff', res('Staff', 'new'), { email: 'new@x.test', firstName: 'A', lastName: 'B', role: 'doctor' }],
  ['operator', 'change a role', rec('Staff', doctorId, 'changeRole'), { role: 'operator' }],
  ['operator', 'stop a doctor\'s bookings', rec('Staff', doctorId, 'stopBookings'), {}],
  // patients
  ['doctor', 'block a patient', rec('Patients', patientId, 'block'), { reason: 'x' }],
  ['operator', 'block a patient', rec('Patients', patientId, 'block'), { reason: 'x' }],
  ['pharmacist', 'edit a patient', rec('Patients', patientId, 'editProfile'), { firstName: 'Changed' }],
  ['operator', 'delete a patient', rec('Patients', patientId, 'deleteAccount'), {}],
  ['doctor', 'resend activation', rec('Patients', patientId, 'resendActivation'), {}],
  // catalogue
  ['doctor', 'add a diagnostic', res('Diagnostics', 'new'), { name: 'CT' }],
  ['operator', 'edit a diagnostic', rec('Diagnostics', () => ids.diagnostic, 'edit'), { name: 'Changed' }],
  ['pharmacist', 'delete a diagnostic', rec('Diagnostics', () => ids.diagnostic, 'delete'), {}],
  // requests and appointments
  ['pharmacist', 'list appointments', res('Appointments', 'list')],
  ['pharmacist', 'list requests', res('Requests', 'list')],
  ['doctor', 'schedule a request', rec('Requests', () => ids.request, 'schedule'), { startsAt: clinicTimeToUtc(nextWeekday(), 11 * 60).toISOString() }],
  ['doctor', 'cancel an appointment', rec('Appointments', () => ids.visit, 'cancel'), { reason: 'x' }],
  ['pharmacist', 'withdraw a request', rec('Requests', () => ids.request, 'withdraw'), {}],
  ['doctor', 'book a visit', rec('Patients', patientId, 'bookVisit'), { doctorId: '1', startsAt: clinicTimeToUtc(nextWeekday(), 12 * 60).toISOString() }],
  // journal
  ['operator', 'list the journal', res('Journal', 'list')],
  ['operator', 'add a journal entry', rec('Patients', patientId, 'addJournalEntry'), { diagnosis: 'x', description: 'y' }],
  ['pharmacist', 'add a journal entry', rec('Patients', patientId, 'addJournalEntry'), { diagnosis: 'x', description: 'y' }],
  // prescriptions
  ['operator', 'list prescriptions', res('Prescriptions', 'list')],
  ['doctor', 'add a prescription', rec('Patients', patientId, 'addPrescription'), { medication: 'x', dosage: 'y', instructions: 'z' }],
  ['operator', 'add a prescription', rec('Patients', patientId, 'addPrescription'), { medication: 'x', dosage: 'y', instructions: 'z' }],
  // oversight
  ['doctor', 'list the audit log', res('AuditLog', 'list')],
  ['operator', 'list login attempts', res('LoginAttempts', 'list')],
  ['pharmacist', 'list mail', res('Mail', 'list')],
  ['doctor', 'export the audit log', () => '/admin/api/export/AuditLog'],
  // append-only records, for everyone
  ...(['superuser', 'admin', 'doctor'] as const).flatMap((role) => [
    [role, 'edit a journal entry', rec('Journal', () => ids.journal, 'edit'), { diagnosis: 'Changed' }],
    [role, 'delete a journal entry', rec('Journal', () => ids.journal, 'delete'), {}],
  ] as [string, string, () => string, Record<string, string>][]),
  ...(['superuser', 'admin', 'pharmacist'] as const).flatMap((role) => [
    [role, 'edit a prescription', rec('Prescriptions', () => ids.prescription, 'edit'), { medication: 'Changed' }],
    [role, 'delete a prescription', rec('Prescriptions', () => ids.prescription, 'delete'), {}],
  ] as [string, string, () => string, Record<string, string>][]),
  ['superuser', 'create a journal entry directly', res('Journal', 'new'), { patientId: '1', diagnosis: 'x', description: 'y' }],
  ['admin', 'create an appointment directly', res('Appointments', 'new'), { patientId: '1', status: 'scheduled' }],
];

describe('the panel refuses what SPEC §4 forbids', () => {
  it.each(FORBIDDEN)('refuses a %s who tries to %s, and changes nothing', async (role, _what, path, fields) => {
    const before = await fingerprint();
    const client = clients[role];
    const answer = fields ? await client.post(path(), fields) : await client.get(path());
    expect(isRefusal(answer), `${answer.status} ${answer.text.slice(0, 200)}`).toBe(true);
    expect(await fingerprint()).toBe(before);
  });
});

describe('data-changing actions change data only on POST', () => {
  it.each([
    ['admin', 'block', rec('Patients', patientId, 'block'), '?reason=x'],
    ['operator', 'schedule', rec('Requests', () => ids.request, 'schedule'), `?startsAt=${encodeURIComponent(clinicTimeToUtc(nextWeekday(), 13 * 60).toISOString())}`],
    ['operator', 'cancel', rec('Appointments', () => ids.visit, 'cancel'), '?reason=x'],
    ['doctor', 'add a journal entry', rec('Patients', patientId, 'addJournalEntry'), '?diagnosis=x&description=y'],
    ['admin', 'delete a diagnostic', rec('Diagnostics', () => ids.diagnostic, 'delete'), ''],
    ['admin', 'stop a doctor\'s bookings', rec('Staff', doctorId, 'stopBookings'), ''],
  ])('a GET from %s on "%s" shows the form and changes nothing', async (role, _what, path, query) => {
    const before = await fingerprint();
    const answer = await clients[role].get(path() + query);
    expect(answer.status).toBe(200);
    expect((answer.json() as { notice?: unknown }).notice).toBeUndefined();
    expect(await fingerprint()).toBe(before);
  });
});

describe('what each role sees', () => {
  it('never sends a password hash, and gives a pharmacist only a patient\'s name and birth date', async () => {
    const list = await clients.pharmacist.get('/admin/api/resources/Patients/actions/list');
    const records = (list.json() as { records: { params: Record<string, unknown> }[] }).records;
    const patient = records.find((r) => r.params.id === people.patient.id)!;
    expect(Object.keys(patient.params).sort()).toEqual(['dateOfBirth', 'firstName', 'id', 'lastName', 'name']);
    for (const role of ['superuser', 'admin', 'doctor', 'operator', 'pharmacist']) {
      const staff = await clients[role].get('/admin/api/resources/Staff/actions/list');
      expect(staff.text).not.toMatch(/passwordHash|\$argon2/);
    }
  });

  it('embeds only the name and birth date of the patient in a pharmacist\'s prescription list', async () => {
    const list = await clients.pharmacist.get('/admin/api/resources/Prescriptions/actions/list');
    const [first] = (list.json() as { records: { populated: Record<string, { params: Record<string, unknown> }> }[] }).records;
    expect(Object.keys(first.populated.patientId.params).sort()).toEqual(['dateOfBirth', 'firstName', 'id', 'lastName', 'name']);
  });

  it('shows a pharmacist the diagnosis of a journal entry but not its description or plan, and audits the read', async () => {
    const reads = () => db().getRepository(AuditEvent).countBy({ action: 'read', resource: 'journalEntry', actorId: people.pharmacist.id, patientId: people.patient.id });
    const before = await reads();
    const show = await clients.pharmacist.get(`/admin/api/resources/Journal/records/${ids.journal}/show`);
    expect(await reads()).toBe(before + 1);
    const params = (show.json() as { record: { params: Record<string, unknown> } }).record.params;
    expect(params.diagnosis).toBe('Sprain');
    expect(params).not.toHaveProperty('description');
    expect(params).not.toHaveProperty('plan');
  });

  it('shows an operator only doctors among the staff, and no patient notes', async () => {
    const staff = await clients.operator.get('/admin/api/resources/Staff/actions/list');
    const roles = (staff.json() as { records: { params: { role: string } }[] }).records.map((r) => r.params.role);
    expect(new Set(roles)).toEqual(new Set(['doctor']));
    const requests = await clients.operator.get('/admin/api/resources/Requests/actions/list');
    expect(requests.text).not.toContain('Knee pain');
  });
});

describe('the panel\'s login', () => {
  it('refuses a patient with the same answer as a wrong password', async () => {
    const asPatient = await new PanelClient(server.url).login(people.patient.email, FIXTURE_PASSWORD);
    const wrong = await new PanelClient(server.url).login(people.doctor.email, 'not the password');
    expect(asPatient.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(asPatient.text).toContain('Email or password is wrong.');
    expect(wrong.text).toContain('Email or password is wrong.');
  });

  it('refuses the sixth failed login within ten minutes even with a fresh cookie jar, and the right password while locked', async () => {
    const target = await makeUser('operator');
    for (let i = 1; i <= 5; i += 1) {
      const attempt = await new PanelClient(server.url).login(target.email, `wrong password ${i}`);
      expect(attempt.status, `attempt ${i}`).toBe(401);
    }
    const sixth = await new PanelClient(server.url).login(target.email, 'wrong password 6');
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(sixth.text).toContain('Too many failed attempts');
    const correct = await new PanelClient(server.url).login(target.email, FIXTURE_PASSWORD);
    expect(correct.status).toBe(429);
    expect(correct.headers.get('set-cookie') ?? '').not.toContain('qhealth.sid');
  });

  it('sends a blocked user to the login page on their next request', async () => {
    const doctor = await makeUser('doctor');
    const session = new PanelClient(server.url);
    expect((await session.login(doctor.email, FIXTURE_PASSWORD)).status).toBe(302);
    expect((await session.get('/admin/api/resources/Patients/actions/list')).status).toBe(200);
    // Blocked by an admin in another session, through the panel.
    const blocked = await clients.admin.post(`/admin/api/resources/Staff/records/${doctor.id}/block`, { reason: 'Left the clinic' });
    expect((blocked.json() as { notice: { type: string } }).notice.type).toBe('success');
    expect((await db().getRepository(User).findOneByOrFail({ id: doctor.id })).isBlocked).toBe(true);
    const next = await session.get('/admin/api/resources/Patients/actions/list');
    expect(next.status).toBe(302);
    expect(next.headers.get('location')).toBe('/admin/login');
  });
});

describe('staff invitation and oversight', () => {
  it('invites a doctor who sets a password on /admin/invitation and can then sign in', async () => {
    const invited = await clients.admin.post('/admin/api/resources/Staff/actions/new', {
      email: 'new.doctor@qhealth.test', firstName: 'Zoë', lastName: "D'Arcy", role: 'doctor', specialty: 'Cardiology',
    });
    expect((invited.json() as { notice: { type: string; message: string } }).notice).toMatchObject({ type: 'success' });
    const [mail] = await db().getRepository(Notification).find({ where: { kind: 'staff_invitation', toEmail: 'new.doctor@qhealth.test' } });
    const link = new URL(String(mail.data.link), server.url);
    const token = link.searchParams.get('token')!;
    const anonymous = new PanelClient(server.url);
    expect((await anonymous.get(`/admin/invitation?token=${encodeURIComponent(token)}`)).text).toContain('Set password');
    const mismatch = await anonymous.request('POST', '/admin/invitation', new URLSearchParams({ token, password: 'a long new password', repeat: 'different' }).toString(), 'application/x-www-form-urlencoded');
    expect(mismatch.status).toBe(400);
    const accepted = await anonymous.request('POST', '/admin/invitation', new URLSearchParams({ token, password: 'a long new password', repeat: 'a long new password' }).toString(), 'application/x-www-form-urlencoded');
    expect(accepted.status).toBe(200);
    expect((await new PanelClient(server.url).login('new.doctor@qhealth.test', 'a long new password')).status).toBe(302);
    const reused = await anonymous.request('POST', '/admin/invitation', new URLSearchParams({ token, password: 'another long password', repeat: 'another long password' }).toString(), 'application/x-www-form-urlencoded');
    expect(reused.status).toBeGreaterThanOrEqual(400);
  });

  it('exports the filtered audit log as CSV', async () => {
    const csv = await clients.admin.get(`/admin/api/export/AuditLog?filters.actorId=${people.admin.id}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const [header, ...rows] = csv.text.trim().split('\n');
    expect(header.split(',').slice(0, 5)).toEqual(['id', 'at', 'actorId', 'actorRole', 'action']);
    const total = await db().getRepository(AuditEvent).countBy({ actorId: people.admin.id });
    expect(total).toBeGreaterThan(0);
    expect(rows).toHaveLength(total);
    expect(rows.every((r) => r.split(',')[2] === String(people.admin.id))).toBe(true);
  });
});

describe('custom actions call the services', () => {
  const notice = (r: PanelResponse) => (r.json() as { notice: { type: string; message: string } }).notice;

  it('books a doctor visit into a free slot once, and refuses the same slot twice with the collision', async () => {
    const startsAt = clinicTimeToUtc(nextWeekday(), 16 * 60).toISOString();
    const other = await makeUser('patient');
    const first = await clients.operator.post(`/admin/api/resources/Patients/records/${other.id}/bookVisit`, { doctorId: String(people.doctor.id), startsAt });
    expect(notice(first).type).toBe('success');
    const before = await db().getRepository(Appointment).countBy({ doctorId: people.doctor.id });
    const third = await makeUser('patient');
    const second = await clients.operator.post(`/admin/api/resources/Patients/records/${third.id}/bookVisit`, { doctorId: String(people.doctor.id), startsAt });
    expect(second.status).toBe(200);
    expect(notice(second).type).toBe('error');
    expect(await db().getRepository(Appointment).countBy({ doctorId: people.doctor.id })).toBe(before);
  });

  it('offers free slots on GET and cancels on POST with the reason', async () => {
    const form = await clients.operator.get(`/admin/api/resources/Patients/records/${people.patient.id}/bookVisit?doctorId=${people.doctor.id}&date=${nextWeekday()}`);
    const slots = (form.json() as { form: { slots: { startsAt: string }[] } }).form.slots;
    expect(slots.length).toBeGreaterThan(0);
    expect(slots.map((s) => s.startsAt)).not.toContain(clinicTimeToUtc(nextWeekday(), 10 * 60).toISOString());
    const cancelled = await clients.operator.post(`/admin/api/resources/Appointments/records/${ids.visit}/cancel`, { reason: 'Doctor ill' });
    expect(notice(cancelled).type).toBe('success');
    const row = await db().getRepository(Appointment).findOneByOrFail({ id: ids.visit });
    expect(row).toMatchObject({ status: 'cancelled', cancelReason: 'Doctor ill', cancelledById: people.operator.id });
  });

  it('lets only the superuser grant admin', async () => {
    const pharmacist = await makeUser('pharmacist');
    const granted = await clients.superuser.post(`/admin/api/resources/Staff/records/${pharmacist.id}/grantAdmin`, {});
    expect(notice(granted).type).toBe('success');
    expect((await db().getRepository(User).findOneByOrFail({ id: pharmacist.id })).role).toBe('admin');
  });
});
