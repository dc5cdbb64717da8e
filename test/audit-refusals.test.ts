import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userActor } from '../server/access/actor.js';
import type { Role } from '../server/access/roles.js';
import { bookVisit, requestDiagnostic } from '../server/appointments/index.js';
import { createDiagnostic } from '../server/catalogue/index.js';
import { db } from '../server/db/data-source.js';
import { AuditEvent } from '../server/db/entities/audit-event.js';
import type { User } from '../server/db/entities/user.js';
import { clinicTimeToUtc } from '../server/shared/clinic-time.js';
import { clock } from '../server/shared/clock.js';
import { FIXTURE_PASSWORD, makeUser } from '../server/users/test-fixtures.js';
import { PanelClient, startServer, type PanelResponse } from './panel-support.js';
import { PortalClient } from './portal-client.js';
import { useTestDatabase } from './support/db.js';

/**
 * Refused attempts reach the audit log (outcome 'denied', or 'failed' for a
 * business rule), through the panel and the portal alike, in a transaction of
 * their own: the answer is what it was, and nothing of the attempt is written.
 */
useTestDatabase();

let server: Awaited<ReturnType<typeof startServer>>;
const people = {} as Record<'superuser' | 'admin' | 'admin2' | 'doctor' | 'operator' | 'pharmacist' | 'patient' | 'other', User>;
const panel = {} as Record<'admin' | 'doctor' | 'pharmacist' | 'operator', PanelClient>;
let portal: PortalClient;
let visitId = 0;
let otherVisitId = 0;

// Monday 1 March 2027, 08:00 in Stockholm: inside clinic hours, far from DST changes.
const NOW = new Date('2027-03-01T07:00:00Z');
const MONDAY = '2027-03-01';
const WEDNESDAY = '2027-03-03';

/** Every row of the tables a refused change could touch, and the audit rows apart. */
async function tables(): Promise<string> {
  const q = (sql: string) => db().query(sql);
  return JSON.stringify([
    await q('SELECT id, role, isBlocked, isActive, sessionEpoch FROM users ORDER BY id'),
    await q('SELECT id, status, startsAt, cancelledById FROM appointments ORDER BY id'),
    await q('SELECT COUNT(*) AS n FROM journal_entries'),
    await q('SELECT COUNT(*) AS n FROM prescriptions'),
    await q('SELECT COUNT(*) AS n FROM notifications'),
  ]);
}

const lastAuditId = async () => Number((await db().query('SELECT MAX(id) AS id FROM audit_events'))[0].id ?? 0);
const auditSince = (id: number) => db().getRepository(AuditEvent).createQueryBuilder('a').where('a.id > :id', { id }).orderBy('a.id').getMany();

/** Runs a request and returns its answer with the audit rows it wrote; asserts nothing else changed. */
async function attempt<T>(send: () => Promise<T>, changes = false): Promise<{ answer: T; events: AuditEvent[] }> {
  const before = await tables();
  const since = await lastAuditId();
  const answer = await send();
  if (!changes) expect(await tables()).toBe(before);
  return { answer, events: await auditSince(since) };
}

const panelError = (r: PanelResponse) => (r.json() as { error?: { code: string; message: string } }).error;

beforeAll(async () => {
  clock.set(NOW);
  for (const role of ['superuser', 'admin', 'doctor', 'operator', 'pharmacist', 'patient'] as Role[]) {
    people[role as keyof typeof people] = await makeUser(role);
  }
  people.admin2 = await makeUser('admin');
  people.other = await makeUser('patient');
  const diagnostic = await createDiagnostic(userActor(people.admin), { name: 'MRI', durationMinutes: 30 } as never);
  await requestDiagnostic(userActor(people.patient), { diagnosticId: diagnostic.id, note: 'Knee' });
  const book = (patient: User, minute: number) => bookVisit(userActor(people.operator), {
    patientId: patient.id, doctorId: people.doctor.id, startsAt: clinicTimeToUtc(WEDNESDAY, minute).toISOString(),
  });
  visitId = (await book(people.patient, 10 * 60)).id;
  otherVisitId = (await book(people.other, 11 * 60)).id;

  server = await startServer();
  for (const role of ['admin', 'doctor', 'pharmacist', 'operator'] as const) {
    panel[role] = new PanelClient(server.url);
    expect((await panel[role].login(people[role].email, FIXTURE_PASSWORD)).status).toBe(302);
  }
  portal = new PortalClient(() => server.url);
  expect((await portal.post('/api/auth/login', { email: people.patient.email, password: FIXTURE_PASSWORD })).status).toBe(200);
}, 120_000);

afterAll(async () => {
  await server?.close();
  clock.reset();
});

describe('the panel records refused attempts', () => {
  it('records a doctor\'s refused cancellation as denied, with the same 403 answer as before', async () => {
    const { answer, events } = await attempt(() => panel.doctor.post(`/admin/api/resources/Appointments/records/${visitId}/cancel`, { reason: 'x' }));
    expect(answer.status).toBe(403);
    expect(panelError(answer)).toEqual({ code: 'forbidden', message: 'You may not do this.' });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      outcome: 'denied', actorId: people.doctor.id, actorRole: 'doctor', action: 'appointment.cancel', resource: 'appointment',
      recordId: String(visitId), ip: expect.any(String), userAgent: expect.any(String), requestId: answer.headers.get('x-request-id'), changes: null,
    });
  });

  it('records a pharmacist\'s refused journal entry as denied', async () => {
    const { answer, events } = await attempt(() => panel.pharmacist.post(
      `/admin/api/resources/Patients/records/${people.patient.id}/addJournalEntry`, { diagnosis: 'Flu', description: 'Fever' },
    ));
    expect(answer.status).toBe(403);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ outcome: 'denied', actorId: people.pharmacist.id, actorRole: 'pharmacist', action: 'create', resource: 'journalEntry', recordId: null, patientId: people.patient.id });
  });

  it('records an admin blocking the superuser, another admin or themselves as denied, and blocks nobody', async () => {
    for (const [target, resource] of [[people.superuser, 'Staff'], [people.admin2, 'Staff'], [people.admin, 'Staff']] as const) {
      const { answer, events } = await attempt(() => panel.admin.post(`/admin/api/resources/${resource}/records/${target.id}/block`, { reason: 'x' }));
      expect(answer.status).toBe(403);
      expect(panelError(answer)?.code).toBe('forbidden');
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ outcome: 'denied', actorId: people.admin.id, actorRole: 'admin', action: 'user.block', resource: 'user', recordId: String(target.id) });
    }
  });

  it('records no refusal for a GET of the form, nor for a 400', async () => {
    const form = await attempt(() => panel.doctor.get(`/admin/api/resources/Appointments/records/${visitId}/cancel`));
    expect(form.answer.status).toBe(403);
    expect(form.events).toHaveLength(0);
    const invalid = await attempt(() => panel.admin.post(`/admin/api/resources/Patients/records/${people.other.id}/block`, { reason: '' }));
    expect(invalid.answer.status).toBe(400);
    expect(invalid.events).toHaveLength(0);
  });

  it('writes only the success event for an allowed action', async () => {
    const { answer, events } = await attempt(() => panel.admin.post(`/admin/api/resources/Patients/records/${people.other.id}/block`, { reason: 'Abuse' }), true);
    expect(answer.status).toBe(200);
    expect(events.map((e) => [e.action, e.outcome])).toEqual([['user.block', 'success']]);
    await attempt(() => panel.admin.post(`/admin/api/resources/Patients/records/${people.other.id}/unblock`), true);
  });

  it('lets admins filter the audit log by outcome', async () => {
    const list = await panel.admin.get('/admin/api/resources/AuditLog/actions/list?filters.outcome=denied');
    const records = (list.json() as { records: { params: Record<string, unknown> }[] }).records;
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((r) => r.params.outcome === 'denied')).toBe(true);
  });
});

describe('the portal records refused attempts', () => {
  it('records a patient cancelling another patient\'s appointment as denied, answering 404 as for a missing one', async () => {
    const hidden = await attempt(() => portal.post(`/api/appointments/${otherVisitId}/cancel`, {}));
    const missing = await attempt(() => portal.post('/api/appointments/999999/cancel', {}));
    expect(hidden.answer.status).toBe(404);
    expect(hidden.answer.body).toEqual(missing.answer.body);
    expect(hidden.events).toHaveLength(1);
    expect(hidden.events[0]).toMatchObject({
      outcome: 'denied', actorId: people.patient.id, actorRole: 'patient', action: 'appointment.cancel', resource: 'appointment',
      recordId: String(otherVisitId), requestId: hidden.answer.headers.get('x-request-id'),
    });
    // Absent and hidden are written alike, so the extra write tells a caller nothing either.
    expect(missing.events.map((e) => [e.outcome, e.recordId])).toEqual([['denied', '999999']]);
  });

  it('records a cancellation inside 24 hours as failed, with the 409 unchanged', async () => {
    const soon = await bookVisit(userActor(people.operator), {
      patientId: people.patient.id, doctorId: people.doctor.id, startsAt: clinicTimeToUtc(MONDAY, 14 * 60).toISOString(),
    });
    const { answer, events } = await attempt(() => portal.post(`/api/appointments/${soon.id}/cancel`, {}));
    expect(answer.status).toBe(409);
    expect(answer.body.error.code).toBe('conflict');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ outcome: 'failed', actorId: people.patient.id, action: 'appointment.cancel', recordId: String(soon.id) });
  });

  it('records nothing for a 400 or an anonymous request', async () => {
    const invalid = await attempt(() => portal.post(`/api/appointments/${visitId}/cancel`, { reason: 7 }));
    expect(invalid.answer.status).toBe(400);
    expect(invalid.events).toHaveLength(0);
    const anonymous = await attempt(() => new PortalClient(() => server.url).post(`/api/appointments/${otherVisitId}/cancel`, {}));
    expect(anonymous.answer.status).toBe(401);
    expect(anonymous.events).toHaveLength(0);
  });

  it('writes only the success event for the patient\'s own cancellation', async () => {
    const { answer, events } = await attempt(() => portal.post(`/api/appointments/${visitId}/cancel`, {}), true);
    expect(answer.status).toBe(200);
    expect(events.map((e) => [e.action, e.outcome])).toEqual([['appointment.cancel', 'success']]);
  });
});
