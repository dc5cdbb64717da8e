import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../server/access/actor.js';
import { scheduleRequest } from '../server/appointments/schedule.js';
import { db } from '../server/db/data-source.js';
import { Appointment, Diagnostic, JournalEntry, LoginAttempt, Notification, User } from '../server/db/entities/index.js';
import { addJournalEntry } from '../server/records/journal.js';
import { addPrescription } from '../server/records/prescriptions.js';
import { clock } from '../server/shared/clock.js';
import { actorOf, FIXTURE_PASSWORD, makeUser } from '../server/users/test-fixtures.js';
import { buildPortal } from '../scripts/build-portal.js';
import { PORTAL_DIST } from '../server/http/portal-static.js';
import { PortalClient, startPortalServer } from './portal-client.js';
import { useTestDatabase } from './support/db.js';

/**
 * The portal API of issue 3, row by row, against the real app (createApp)
 * on a random port, real services and a fresh database.
 */
useTestDatabase();

// Monday 1 March 2027, 08:00 in Stockholm: inside clinic hours, far from DST changes.
const NOW = new Date('2027-03-01T07:00:00Z');
let close: (() => Promise<void>) | undefined;
let base: string;

/** A browser: one cookie jar, same-origin requests to this file's server. */
class Client extends PortalClient {
  constructor() {
    super(() => base);
  }
}

async function loggedIn(user: User): Promise<Client> {
  const c = new Client();
  const res = await c.post('/api/auth/login', { email: user.email, password: FIXTURE_PASSWORD });
  expect(res.status).toBe(200);
  return c;
}

async function outbox(kind: string, toEmail: string): Promise<Notification[]> {
  return db().getRepository(Notification).find({ where: { kind, toEmail }, order: { id: 'ASC' } });
}

function tokenOf(n: Notification): string {
  return new URL(String(n.data.link), 'http://x').searchParams.get('token')!;
}

let operator: Actor;
let doctor: User;
let pharmacist: User;
let mri: Diagnostic;
let xray: Diagnostic;

beforeAll(async () => {
  clock.set(NOW);
  ({ base, close } = await startPortalServer());
  operator = actorOf(await makeUser('operator'));
  doctor = await makeUser('doctor');
  pharmacist = await makeUser('pharmacist');
  const diagnostics = db().getRepository(Diagnostic);
  mri = await diagnostics.save(diagnostics.create({ name: 'MRI', description: 'Magnetic resonance imaging', durationMinutes: 45 }));
  xray = await diagnostics.save(diagnostics.create({ name: 'Chest X-ray', durationMinutes: 15 }));
  await diagnostics.save(diagnostics.create({ name: 'Retired scan', isActive: false }));
});

afterAll(async () => {
  clock.reset();
  await close?.();
});

const registration = {
  email: 'Asa.Lindqvist@Example.com',
  password: 'a long and unusual passphrase',
  firstName: 'Åsa',
  lastName: "O'Neill-Lindqvist",
  phone: '+46701234567',
  dateOfBirth: '1990-02-14',
  gender: 'female',
  heightCm: 168,
  weightKg: 61.5,
  addressStreet: 'Sveavägen',
  addressHouse: '12 B',
  addressCity: 'Stockholm',
  addressRegion: 'Stockholm',
  addressCountry: 'Sweden',
};

describe('registration, activation and login', () => {
  const email = registration.email.toLowerCase();

  it('registers a patient with 201, inactive, and writes the activation mail with a link', async () => {
    const res = await new Client().post('/api/auth/register', registration);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: expect.any(Number), email, role: 'patient', isActive: false, firstName: 'Åsa', addressCity: 'Stockholm' });
    expect(JSON.stringify(res.body)).not.toMatch(/password|hash/i);
    const user = await db().getRepository(User).findOneByOrFail({ email });
    expect(user).toMatchObject({ role: 'patient', isActive: false, firstName: 'Åsa' });
    const mails = await outbox('activation', email);
    expect(mails).toHaveLength(1);
    expect(String(mails[0].data.link)).toMatch(/^\/activate\?token=/);
  });

  it('refuses a registration with unknown fields, naming them, and writes nothing', async () => {
    const res = await new Client().post('/api/auth/register', { ...registration, email: 'other@example.com', isAdmin: true });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toMatchObject({ isAdmin: expect.any(String) });
    expect(await db().getRepository(User).countBy({ email: 'other@example.com' })).toBe(0);
  });

  it('refuses a patient under 18 and a short password with field errors', async () => {
    const res = await new Client().post('/api/auth/register', { ...registration, email: 'young@example.com', dateOfBirth: '2015-01-01', password: 'short' });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error.fields)).toEqual(expect.arrayContaining(['dateOfBirth', 'password']));
  });

  it('answers 401 to the inactive account, then activates with the mailed token once (a second use → 400)', async () => {
    const c = new Client();
    expect((await c.post('/api/auth/login', { email, password: registration.password })).status).toBe(401);
    const [mail] = await outbox('activation', email);
    expect((await c.post('/api/auth/activate', { token: tokenOf(mail) })).status).toBe(200);
    expect((await db().getRepository(User).findOneByOrFail({ email })).isActive).toBe(true);
    const again = await c.post('/api/auth/activate', { token: tokenOf(mail) });
    expect(again.status).toBe(400);
    expect(again.body.error.message).toBeTruthy();
    expect((await c.post('/api/auth/activate', { token: 'not-a-token' })).status).toBe(400);
  });

  it('logs in with 200 and the user, sets the session cookie, and GET /api/me answers the profile', async () => {
    const c = new Client();
    const res = await c.post('/api/auth/login', { email: registration.email, password: registration.password });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ email, role: 'patient', firstName: 'Åsa', lastName: "O'Neill-Lindqvist" });
    expect(res.body).not.toHaveProperty('passwordHash');
    expect(res.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    const me = await c.get('/api/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email, addressCity: 'Stockholm', heightCm: 168 });
  });

  it('answers 401 without a session', async () => {
    const res = await new Client().get('/api/me');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthenticated');
  });

  it('answers a wrong password 401 and, after five failures, 429 with Retry-After even with the right one', async () => {
    const patient = await makeUser('patient');
    const c = new Client();
    for (let i = 0; i < 5; i++) {
      const res = await c.post('/api/auth/login', { email: patient.email, password: 'wrong password!' });
      expect(res.status).toBe(401);
    }
    const locked = await c.post('/api/auth/login', { email: patient.email, password: FIXTURE_PASSWORD });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(500);
    expect(await db().getRepository(LoginAttempt).countBy({ email: patient.email })).toBe(6);
  });

  it('refuses staff credentials at the portal login exactly like a wrong password', async () => {
    const staff = await makeUser('doctor');
    const staffRes = await new Client().post('/api/auth/login', { email: staff.email, password: FIXTURE_PASSWORD });
    const wrongRes = await new Client().post('/api/auth/login', { email: 'nobody@example.com', password: FIXTURE_PASSWORD });
    expect(staffRes.status).toBe(401);
    expect(staffRes.body).toEqual(wrongRes.body);
    expect(staffRes.headers.get('set-cookie')).toBeNull();
  });

  it('does not open the portal API to a staff member\'s panel session', async () => {
    const staff = await makeUser('operator');
    const res = await fetch(`${base}/admin/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: staff.email, password: FIXTURE_PASSWORD }).toString(),
    });
    expect(res.status).toBe(302);
    const panel = new Client();
    panel.cookie = res.headers.get('set-cookie')!.split(';')[0];
    for (const path of ['/api/me', '/api/appointments', '/api/journal']) {
      const answer = await panel.get(path);
      expect(answer.status).toBe(401);
    }
  });

  it('answers a password reset 202 whether or not the email exists, mailing only the real account', async () => {
    const patient = await makeUser('patient');
    const known = await new Client().post('/api/auth/password-reset', { email: patient.email });
    const unknown = await new Client().post('/api/auth/password-reset', { email: 'ghost@example.com' });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(known.body).toEqual(unknown.body);
    expect(await outbox('password_reset', patient.email)).toHaveLength(1);
    expect(await outbox('password_reset', 'ghost@example.com')).toHaveLength(0);
  });

  it('sets a new password with the reset token once; the old password stops working', async () => {
    const patient = await makeUser('patient');
    await new Client().post('/api/auth/password-reset', { email: patient.email });
    const [mail] = await outbox('password_reset', patient.email);
    const newPassword = 'another long passphrase 42';
    const res = await new Client().post('/api/auth/password-reset/confirm', { token: tokenOf(mail), password: newPassword });
    expect(res.status).toBe(200);
    expect((await new Client().post('/api/auth/password-reset/confirm', { token: tokenOf(mail), password: newPassword })).status).toBe(400);
    expect((await new Client().post('/api/auth/login', { email: patient.email, password: FIXTURE_PASSWORD })).status).toBe(401);
    expect((await new Client().post('/api/auth/login', { email: patient.email, password: newPassword })).status).toBe(200);
  });

  it('logs out: the same cookie no longer opens /api/me', async () => {
    const c = await loggedIn(await makeUser('patient'));
    const cookie = c.cookie;
    expect((await c.post('/api/auth/logout')).status).toBe(204);
    c.cookie = cookie;
    expect((await c.get('/api/me')).status).toBe(401);
  });
});

describe('profile', () => {
  it('edits the profile and refuses unknown or bad fields with 400 naming them', async () => {
    const patient = await makeUser('patient');
    const c = await loggedIn(patient);
    const res = await c.call('PATCH', '/api/me', { phone: '+4420 7946 0958'.replace(/\s/g, ''), addressCity: 'Malmö' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ phone: '+442079460958', addressCity: 'Malmö' });
    const bad = await c.call('PATCH', '/api/me', { role: 'admin', phone: '0701' });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields)).toEqual(expect.arrayContaining(['role']));
    expect((await db().getRepository(User).findOneByOrFail({ id: patient.id })).role).toBe('patient');
  });

  it('sends an email change to the new address only, and changes the email when the link is opened', async () => {
    const patient = await makeUser('patient');
    const c = await loggedIn(patient);
    const res = await c.call('PATCH', '/api/me', { email: 'New.Address@example.com' });
    expect(res.status).toBe(200);
    expect(res.body.email).toBe(patient.email);
    const [mail] = await outbox('email_change', 'new.address@example.com');
    expect(mail).toBeDefined();
    expect(await outbox('email_change', patient.email)).toHaveLength(0);
    expect((await c.post('/api/me/email/verify', { token: tokenOf(mail) })).status).toBe(200);
    expect((await db().getRepository(User).findOneByOrFail({ id: patient.id })).email).toBe('new.address@example.com');
  });

  it('deletes an account with nothing to keep, and refuses one with journal entries (409, kept)', async () => {
    const free = await makeUser('patient');
    const c = await loggedIn(free);
    expect((await c.call('DELETE', '/api/me')).status).toBe(204);
    expect(await db().getRepository(User).countBy({ id: free.id })).toBe(0);
    expect((await c.get('/api/me')).status).toBe(401);

    const kept = await makeUser('patient');
    await addJournalEntry(actorOf(doctor), { patientId: kept.id, diagnosis: 'Sprain', description: 'Left ankle.' });
    const k = await loggedIn(kept);
    const res = await k.call('DELETE', '/api/me');
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBeTruthy();
    expect(await db().getRepository(User).countBy({ id: kept.id })).toBe(1);
  });
});

describe('catalogue, requests and appointments', () => {
  let patient: User;
  let c: Client;
  beforeAll(async () => {
    patient = await makeUser('patient');
    c = await loggedIn(patient);
  });

  it('lists the active catalogue only, paged, and filters by name with q', async () => {
    const all = await c.get('/api/diagnostics');
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ total: 2, page: 1, perPage: 20 });
    expect(all.body.items.map((d: Diagnostic) => d.name).sort()).toEqual(['Chest X-ray', 'MRI']);
    const found = await c.get('/api/diagnostics?q=x-RAY');
    expect(found.body.items.map((d: Diagnostic) => d.name)).toEqual(['Chest X-ray']);
    const page2 = await c.get('/api/diagnostics?perPage=1&page=2');
    expect(page2.body).toMatchObject({ total: 2, page: 2, perPage: 1 });
    expect(page2.body.items).toHaveLength(1);
  });

  it('refuses perPage over 100, page 0 and unknown query parameters with 400', async () => {
    expect((await c.get('/api/diagnostics?perPage=101')).status).toBe(400);
    expect((await c.get('/api/appointments?page=0')).status).toBe(400);
    const unknown = await c.get('/api/appointments?patientId=1');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields).toHaveProperty('patientId');
  });

  it('creates a request with 201 (status requested, no date) and writes the "request received" mail', async () => {
    const res = await c.post('/api/requests', { diagnosticId: mri.id, note: 'Knee pain since March' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'requested', kind: 'diagnostic', startsAt: null, patientNote: 'Knee pain since March', diagnostic: { id: mri.id, name: 'MRI' } });
    expect(await outbox('request_received', patient.email)).toHaveLength(1);
  });

  it('refuses a request with unknown fields or an unknown diagnostic and writes nothing', async () => {
    const before = await db().getRepository(Appointment).countBy({ patientId: patient.id });
    const unknown = await c.post('/api/requests', { diagnosticId: mri.id, startsAt: '2027-03-02T09:00:00Z' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields).toHaveProperty('startsAt');
    const missing = await c.post('/api/requests', { diagnosticId: 999999 });
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields).toHaveProperty('diagnosticId');
    expect(await db().getRepository(Appointment).countBy({ patientId: patient.id })).toBe(before);
  });

  it('lists own appointments with filters status, kind, from and to, and reads one', async () => {
    const req = await c.post('/api/requests', { diagnosticId: xray.id });
    await scheduleRequest(operator, req.body.id, { startsAt: '2027-03-03T09:00:00Z' });
    const requested = await c.get('/api/appointments?status=requested');
    expect(requested.body.items.every((a: Appointment) => a.status === 'requested')).toBe(true);
    const scheduled = await c.get('/api/appointments?status=scheduled&kind=diagnostic&from=2027-03-03&to=2027-03-04');
    expect(scheduled.body).toMatchObject({ total: 1, page: 1, perPage: 20 });
    expect(scheduled.body.items[0]).toMatchObject({ id: req.body.id, startsAt: '2027-03-03T09:00:00.000Z' });
    expect((await c.get('/api/appointments?from=2027-03-04')).body.total).toBe(0);
    const one = await c.get(`/api/appointments/${req.body.id}`);
    expect(one.status).toBe(200);
    expect(one.body.diagnostic.name).toBe('Chest X-ray');
  });

  it('answers 404 for another patient\'s appointment and for cancelling it, changing nothing', async () => {
    const other = await loggedIn(await makeUser('patient'));
    const mine = await c.post('/api/requests', { diagnosticId: mri.id });
    expect((await other.get(`/api/appointments/${mine.body.id}`)).status).toBe(404);
    expect((await other.post(`/api/appointments/${mine.body.id}/cancel`)).status).toBe(404);
    expect((await db().getRepository(Appointment).findOneByOrFail({ id: mine.body.id })).status).toBe('requested');
    expect((await other.get('/api/appointments')).body.total).toBe(0);
  });

  it('refuses a cancellation inside 24 hours with 409 and a message; cancels one further away', async () => {
    const soon = await c.post('/api/requests', { diagnosticId: mri.id });
    await scheduleRequest(operator, soon.body.id, { startsAt: '2027-03-01T12:00:00Z' });
    const refused = await c.post(`/api/appointments/${soon.body.id}/cancel`, { reason: 'Feeling better' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/24 hours/);
    expect((await db().getRepository(Appointment).findOneByOrFail({ id: soon.body.id })).status).toBe('scheduled');

    const later = await c.post('/api/requests', { diagnosticId: mri.id });
    await scheduleRequest(operator, later.body.id, { startsAt: '2027-03-05T13:00:00Z' });
    const done = await c.post(`/api/appointments/${later.body.id}/cancel`, { reason: 'Travelling' });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'cancelled', cancelReason: 'Travelling' });
    expect(await outbox('appointment_cancelled', patient.email)).toHaveLength(1);
    expect((await c.post(`/api/appointments/${later.body.id}/cancel`)).status).toBe(200);
    expect(await outbox('appointment_cancelled', patient.email)).toHaveLength(1);
  });

  it('withdraws an undated request at any time', async () => {
    const req = await c.post('/api/requests', { diagnosticId: xray.id });
    const res = await c.post(`/api/appointments/${req.body.id}/cancel`);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('cancelled');
  });
});

describe('journal and prescriptions', () => {
  it('lists own entries newest first and reads one; another patient\'s → 404', async () => {
    const patient = await makeUser('patient');
    const other = await makeUser('patient');
    const first = await addJournalEntry(actorOf(doctor), { patientId: patient.id, diagnosis: 'Migraine', description: 'Since January.' });
    clock.set(new Date(NOW.getTime() + 60_000));
    const second = await addJournalEntry(actorOf(doctor), { patientId: patient.id, diagnosis: 'Migraine, corrected', description: 'Since December.', correctsId: first.id });
    const theirs = await addJournalEntry(actorOf(doctor), { patientId: other.id, diagnosis: 'Asthma', description: 'Mild.' });
    const rx = await addPrescription(actorOf(pharmacist), { patientId: patient.id, medication: 'Ibuprofen', dosage: '400 mg', instructions: 'Up to 3 a day with food.' });
    const theirRx = await addPrescription(actorOf(pharmacist), { patientId: other.id, medication: 'Salbutamol', dosage: '100 µg', instructions: 'As needed.' });
    clock.set(NOW);

    const c = await loggedIn(patient);
    const journal = await c.get('/api/journal');
    expect(journal.status).toBe(200);
    expect(journal.body).toMatchObject({ total: 2, page: 1, perPage: 20 });
    expect(journal.body.items.map((j: JournalEntry) => j.id)).toEqual([second.id, first.id]);
    expect(journal.body.items[0]).toMatchObject({ correctsId: first.id, description: 'Since December.' });
    expect((await c.get(`/api/journal/${first.id}`)).body.diagnosis).toBe('Migraine');
    expect((await c.get(`/api/journal/${theirs.id}`)).status).toBe(404);

    const prescriptions = await c.get('/api/prescriptions');
    expect(prescriptions.body).toMatchObject({ total: 1, items: [{ id: rx.id, medication: 'Ibuprofen', dosage: '400 mg' }] });
    expect((await c.get(`/api/prescriptions/${rx.id}`)).status).toBe(200);
    expect((await c.get(`/api/prescriptions/${theirRx.id}`)).status).toBe(404);
  });
});

describe('the API surface', () => {
  it('answers malformed JSON with 400, a body over 100 kB with 413, and unknown routes with 404, all as envelopes', async () => {
    const c = await loggedIn(await makeUser('patient'));
    const malformed = await c.call('POST', '/api/requests', '{"diagnosticId": ', { 'content-type': 'application/json' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('malformed_json');
    const huge = await c.post('/api/requests', { diagnosticId: mri.id, note: 'x'.repeat(101 * 1024) });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('payload_too_large');
    const unknown = await c.get('/api/no-such-thing');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
  });

  it('refuses a state-changing request from another site with 403 and does nothing', async () => {
    const patient = await makeUser('patient');
    const c = await loggedIn(patient);
    const res = await c.call('POST', '/api/requests', { diagnosticId: mri.id }, { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect(await db().getRepository(Appointment).countBy({ patientId: patient.id })).toBe(0);
  });

  it('serves the clinic configuration without a session', async () => {
    const res = await new Client().get('/api/config');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ timeZone: 'Europe/Stockholm', hours: { firstDay: 1, lastDay: 5, openMinute: 480, closeMinute: 1080 } });
  });

  it('documents every route of the contract in OpenAPI 3.1, and serves Swagger UI from local assets', async () => {
    const doc = (await new Client().get('/api/openapi.json')).body;
    expect(doc.openapi).toBe('3.1.0');
    const routes = Object.entries(doc.paths as Record<string, object>).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    expect(routes).toEqual(expect.arrayContaining([
      'POST /api/auth/register', 'POST /api/auth/activate', 'POST /api/auth/login', 'POST /api/auth/logout',
      'POST /api/auth/password-reset', 'POST /api/auth/password-reset/confirm',
      'GET /api/me', 'PATCH /api/me', 'DELETE /api/me', 'POST /api/me/email/verify',
      'GET /api/diagnostics', 'POST /api/requests', 'GET /api/appointments', 'GET /api/appointments/{id}',
      'POST /api/appointments/{id}/cancel', 'GET /api/journal', 'GET /api/journal/{id}',
      'GET /api/prescriptions', 'GET /api/prescriptions/{id}',
    ]));
    expect(doc.paths['/api/auth/register'].post.requestBody.content['application/json'].schema).toBeDefined();
    expect(doc.paths['/api/auth/login'].post.responses['429']).toBeDefined();
    const ui = await fetch(`${base}/api/docs/`);
    expect(ui.status).toBe(200);
    const html = await ui.text();
    expect(html).toContain('swagger-ui');
    expect(html).not.toMatch(/https?:\/\/(cdn|unpkg|cdnjs)/);
  });
});

describe('the portal\'s files', () => {
  beforeAll(async () => {
    if (!fs.existsSync(path.join(PORTAL_DIST, 'index.html'))) await buildPortal();
  }, 120_000);

  it('answers page navigations with index.html (revalidated) and serves hashed assets cached for a year', async () => {
    for (const page of ['/', '/appointments', '/appointments/', '/activate?token=abc', '/login', '/forgot-password']) {
      const res = await fetch(`${base}${page}`, { headers: { accept: 'text/html' } });
      expect(res.status, page).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toContain('<div id="app">');
    }
    const html = await (await fetch(`${base}/`)).text();
    const script = html.match(/src="(\/assets\/[^"]+\.js)"/)![1];
    const asset = await fetch(`${base}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toMatch(/max-age=31536000.*immutable/);
  });

  it('answers a page the portal does not have 404 (SPEC §8), with the portal\'s own "not found" page for a browser', async () => {
    for (const page of ['/no-such-page', '/appointments/7', '/admin-old', '/wp-login']) {
      const html = await fetch(`${base}${page}`, { headers: { accept: 'text/html' } });
      expect(html.status, page).toBe(404);
      expect(await html.text()).toContain('<div id="app">');
      const json = await fetch(`${base}${page}`, { headers: { accept: 'application/json' } });
      expect(json.status, page).toBe(404);
      expect((await json.json()).error.code).toBe('not_found');
    }
  });

  it('leaves /api and missing assets to the JSON 404', async () => {
    for (const p of ['/api/nothing-here', '/assets/missing.js']) {
      const res = await fetch(`${base}${p}`, { headers: { accept: 'text/html' } });
      expect(res.status).toBe(404);
      expect((await res.json()).error.code).toBe('not_found');
    }
  });
});
