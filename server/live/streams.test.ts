import net from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/support/db.js';
import { cookieFor, SseClient, startLiveServer } from '../../test/live-support.js';
import {
  at, makeDiagnostic, makeDoctor, makeUser, MONDAY_MORNING, TUESDAY,
} from '../appointments/test-fixtures.js';
import {
  bookVisit, cancelAppointment, completePastAppointments, requestDiagnostic, scheduleRequest, withdrawRequest,
} from '../appointments/index.js';
import { createDiagnostic } from '../catalogue/index.js';
import { db } from '../db/data-source.js';
import { User } from '../db/entities/user.js';
import { addJournalEntry, addPrescription } from '../records/index.js';
import { clock } from '../shared/clock.js';
import { inTransaction } from '../shared/unit-of-work.js';
import { SYSTEM_ACTOR } from '../access/actor.js';
import { compareEventIds, parseEventId } from './event-id.js';
import { currentHub, startLiveBus, stopLiveBus } from './start.js';

useTestDatabase();

let base: string;
let closeServer: () => Promise<void>;

beforeAll(async () => {
  clock.set(MONDAY_MORNING);
  await startLiveBus({ redisUrl: undefined, limits: { maxStreamsPerUser: 5, maxBufferedBytes: 64 * 1024 } });
  ({ url: base, close: closeServer } = await startLiveServer());
});
beforeEach(() => clock.set(MONDAY_MORNING));
afterAll(async () => {
  await stopLiveBus();
  await closeServer();
  clock.reset();
});

const open: SseClient[] = [];
async function stream(path: '/api/events' | '/admin/api/events', user: { id: number } | null, lastEventId?: string): Promise<SseClient> {
  const cookie = user ? await cookieFor(base, user) : undefined;
  const client = await SseClient.open(`${base}${path}`, { cookie, lastEventId });
  open.push(client);
  return client;
}
afterAll(() => open.forEach((c) => c.close()));

const compareIds = (x: string, y: string) => compareEventIds(parseEventId(x)!, parseEventId(y)!);

/** Publishes one change through the unit of work, as a service would. */
async function touchAppointment(id: number, patientId: number): Promise<void> {
  await inTransaction(SYSTEM_ACTOR, async (w) => w.changed({ resource: 'appointment', id, action: 'updated', patientId }));
}

describe('who receives what', () => {
  it('never gives patient A an event about patient B, across every kind of change', async () => {
    const { user: admin, actor: adminActor } = await makeUser('admin');
    const { actor: operator } = await makeUser('operator');
    const { user: doctor, actor: doctorActor } = await makeDoctor();
    const { actor: pharmacist } = await makeUser('pharmacist');
    const { user: a, actor: patientA } = await makeUser('patient', { dateOfBirth: '1980-01-01' });
    const { user: b, actor: patientB } = await makeUser('patient', { dateOfBirth: '1980-01-01' });
    await makeDiagnostic();

    const streamA = await stream('/api/events', a);
    const streamAdmin = await stream('/admin/api/events', admin);
    await streamA.waitFor((c) => c.status === 200);

    const diagnostic = await createDiagnostic(adminActor, { name: 'MRI live', durationMinutes: 30 });
    const requestA = await requestDiagnostic(patientA, { diagnosticId: diagnostic.id, note: 'knee' });
    const requestB = await requestDiagnostic(patientB, { diagnosticId: diagnostic.id, note: 'shoulder' });
    const withdrawnB = await requestDiagnostic(patientB, { diagnosticId: diagnostic.id });
    await scheduleRequest(operator, requestB.id, { startsAt: at(TUESDAY, '10:00') });
    await scheduleRequest(operator, requestA.id, { startsAt: at(TUESDAY, '11:00') });
    const visitB = await bookVisit(operator, { patientId: b.id, doctorId: doctor.id, startsAt: at(TUESDAY, '13:00') });
    const visitA = await bookVisit(operator, { patientId: a.id, doctorId: doctor.id, startsAt: at(TUESDAY, '14:00') });
    await cancelAppointment(operator, visitB.id, { reason: 'doctor ill' });
    await withdrawRequest(patientB, withdrawnB.id);
    const journalB = await addJournalEntry(doctorActor, { patientId: b.id, diagnosis: 'Flu', description: 'Fever' });
    const journalA = await addJournalEntry(doctorActor, { patientId: a.id, diagnosis: 'Cold', description: 'Cough' });
    const prescriptionB = await addPrescription(pharmacist, { patientId: b.id, medication: 'Ibuprofen', dosage: '400 mg', instructions: 'Thrice daily' });
    const prescriptionA = await addPrescription(pharmacist, { patientId: a.id, medication: 'Honey', dosage: '1 spoon', instructions: 'Evenings' });
    clock.set(at('2026-12-09', '12:00'));
    expect(await completePastAppointments()).toBeGreaterThanOrEqual(2);

    // Staff see every change; once the last one reached them, A has had all of A's.
    await streamAdmin.waitFor((c) => c.changes().filter((e) => e.resource === 'appointment' && e.id === requestB.id).length >= 3);
    // A's own records, and the catalogue, which is about no patient.
    const aOwn = new Set([
      `appointment:${requestA.id}`, `appointment:${visitA.id}`, `journalEntry:${journalA.id}`, `prescription:${prescriptionA.id}`,
      `diagnostic:${diagnostic.id}`,
    ]);
    await streamA.waitFor((c) => c.changes().filter((e) => e.id === requestA.id && e.resource === 'appointment').length >= 3);
    await new Promise((r) => setTimeout(r, 200));

    const received = streamA.changes();
    for (const event of received) expect(aOwn, JSON.stringify(event)).toContain(`${event.resource}:${event.id}`);
    expect(new Set(received.map((e) => `${e.resource}:${e.id}`))).toEqual(aOwn);
    // The wire carries what changed and nothing else.
    for (const event of streamA.events.filter((e) => e.event === 'change')) {
      expect(Object.keys(JSON.parse(event.data)).sort()).toEqual(['action', 'id', 'resource']);
      expect(event.id).toMatch(/^\d+-\d+$/);
    }
    const adminSaw = new Set(streamAdmin.changes().map((e) => `${e.resource}:${e.id}`));
    for (const key of [`appointment:${requestB.id}`, `appointment:${visitB.id}`, `journalEntry:${journalB.id}`, `prescription:${prescriptionB.id}`, `diagnostic:${diagnostic.id}`]) {
      expect(adminSaw).toContain(key);
    }
  });

  it('gives a pharmacist no appointment events, but the diagnoses and prescriptions they may list', async () => {
    const { user: pharmacistUser, actor: pharmacist } = await makeUser('pharmacist');
    const { actor: operator } = await makeUser('operator');
    const { user: doctor, actor: doctorActor } = await makeDoctor();
    const { user: patient } = await makeUser('patient', { dateOfBirth: '1980-01-01' });
    const pharmacistStream = await stream('/admin/api/events', pharmacistUser);
    const operatorStream = await stream('/admin/api/events', await db().getRepository(User).findOneByOrFail({ id: operator.id! }));

    const visit = await bookVisit(operator, { patientId: patient.id, doctorId: doctor.id, startsAt: at(TUESDAY, '15:00') });
    await cancelAppointment(operator, visit.id);
    const entry = await addJournalEntry(doctorActor, { patientId: patient.id, diagnosis: 'Asthma', description: 'Wheezing' });
    const prescription = await addPrescription(pharmacist, { patientId: patient.id, medication: 'Salbutamol', dosage: '100 µg', instructions: 'As needed' });

    await pharmacistStream.waitFor((c) => c.changes().some((e) => e.resource === 'prescription' && e.id === prescription.id));
    await operatorStream.waitFor((c) => c.changes().filter((e) => e.id === visit.id).length >= 2);
    expect(pharmacistStream.changes().filter((e) => e.resource === 'appointment')).toEqual([]);
    expect(pharmacistStream.changes()).toContainEqual({ resource: 'journalEntry', id: entry.id, action: 'created' });
    // An operator may not read journals or prescriptions, so hears nothing of them.
    expect(operatorStream.changes().filter((e) => e.resource === 'journalEntry' || e.resource === 'prescription')).toEqual([]);
  });

  it('delivers changes committed together to each stream in order, once each, and only to whom they concern', async () => {
    const { user: operatorUser } = await makeUser('operator');
    const { user: pharmacistUser } = await makeUser('pharmacist');
    const { user: a } = await makeUser('patient', { dateOfBirth: '1980-01-01' });
    const { user: b } = await makeUser('patient', { dateOfBirth: '1980-01-01' });
    const operatorStream = await stream('/admin/api/events', operatorUser);
    const pharmacistStream = await stream('/admin/api/events', pharmacistUser);
    const aStream = await stream('/api/events', a);
    const burst = Array.from({ length: 30 }, (_, i) => ({ id: 900_000 + i, patientId: i % 3 === 0 ? a.id : b.id }));
    await inTransaction(SYSTEM_ACTOR, async (w) => {
      for (const { id, patientId } of burst) w.changed({ resource: 'appointment', id, action: 'updated', patientId });
      w.changed({ resource: 'prescription', id: 900_100, action: 'created', patientId: a.id });
    });

    await operatorStream.waitFor((c) => c.changes().filter((e) => e.id >= 900_000).length >= 30);
    await aStream.waitFor((c) => c.changes().some((e) => e.id === 900_100));
    await pharmacistStream.waitFor((c) => c.changes().some((e) => e.id === 900_100));
    const ours = (c: SseClient) => c.changes().filter((e) => e.id >= 900_000).map((e) => `${e.resource}:${e.id}`);
    expect(ours(operatorStream)).toEqual(burst.map((e) => `appointment:${e.id}`));
    expect(ours(aStream)).toEqual([...burst.filter((e) => e.patientId === a.id).map((e) => `appointment:${e.id}`), 'prescription:900100']);
    expect(ours(pharmacistStream)).toEqual(['prescription:900100']);
    // Every event keeps its own id, and ids only grow.
    const ids = operatorStream.events.filter((e) => e.event === 'change').map((e) => e.id!);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort(compareIds)).toEqual(ids);
  });

  it('refuses a stream without a session (401) and staff on the portal stream (403), with the error envelope', async () => {
    const anonymous = await stream('/api/events', null);
    expect(anonymous.status).toBe(401);
    expect(JSON.parse(anonymous.body).error.code).toBe('unauthenticated');
    const { user: doctor } = await makeDoctor();
    const wrongDoor = await stream('/api/events', doctor);
    expect(wrongDoor.status).toBe(403);
    const { user: patient } = await makeUser('patient');
    expect((await stream('/admin/api/events', patient)).status).toBe(403);
  });
});

describe('when a stream ends', () => {
  it('closes a blocked user’s open stream within 2 seconds', async () => {
    const { user } = await makeUser('patient');
    const cookie = await cookieFor(base, user);
    const client = await SseClient.open(`${base}/api/events`, { cookie });
    open.push(client);
    expect(client.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    await db().getRepository(User).update({ id: user.id }, { isBlocked: true, sessionEpoch: () => 'sessionEpoch + 1' });
    const took = await client.whenEnded(2500);
    expect(took).toBeLessThan(2000);
    expect(client.events.at(-1)).toMatchObject({ event: 'end' });
    // Its session is over: the same cookie opens nothing.
    expect((await SseClient.open(`${base}/api/events`, { cookie })).status).toBe(401);
  });

  it('ends the stream when its session is logged out', async () => {
    const { user } = await makeUser('patient');
    const cookie = await cookieFor(base, user);
    const client = await SseClient.open(`${base}/api/events`, { cookie });
    open.push(client);
    await new Promise((r) => setTimeout(r, 200));
    const sid = decodeURIComponent(cookie.split('=')[1]).slice(2).split('.')[0];
    const { sessionStore } = await import('../auth/session.js');
    const store = await sessionStore();
    await new Promise<void>((ok, fail) => store.destroy(sid, (err) => (err ? fail(err) : ok())));
    expect(await client.whenEnded(2500)).toBeLessThan(2000);
    expect((await SseClient.open(`${base}/api/events`, { cookie })).status).toBe(401);
  });

  it('drops a client that stops reading instead of buffering for it', async () => {
    const { user } = await makeUser('patient');
    const cookie = await cookieFor(base, user);
    const hub = currentHub();
    const socket = net.connect(Number(new URL(base).port), '127.0.0.1');
    await new Promise((ok) => socket.once('connect', ok));
    socket.write(`GET /api/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\nCookie: ${cookie}\r\n\r\n`);
    socket.pause(); // never reads
    const closed = new Promise((ok) => socket.once('close', ok));
    socket.on('error', () => undefined);
    const deadline = Date.now() + 3000;
    while (hub.streamCountOf(user.id) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(hub.streamCountOf(user.id)).toBe(1);

    const { publishChanges } = await import('./changes.js');
    let sent = 0;
    while (hub.streamCountOf(user.id) > 0 && sent < 400_000) {
      await publishChanges(Array.from({ length: 2000 }, (_, i) => ({ resource: 'appointment' as const, id: sent + i + 1, action: 'updated' as const, patientId: user.id })));
      sent += 2000;
      await new Promise((r) => setImmediate(r));
      await new Promise((r) => setImmediate(r));
    }
    expect(hub.streamCountOf(user.id)).toBe(0);
    socket.resume();
    await closed;
    // Kernel buffers hold some megabytes; beyond them the server kept no more than its cap.
    expect(sent).toBeLessThan(400_000);
  });
});

describe('limits and reconnects', () => {
  it('lets a user hold 5 streams and answers the 6th with 429', async () => {
    const { user } = await makeUser('patient');
    const cookie = await cookieFor(base, user);
    const five = await Promise.all(Array.from({ length: 5 }, () => SseClient.open(`${base}/api/events`, { cookie })));
    open.push(...five);
    expect(five.map((c) => c.status)).toEqual([200, 200, 200, 200, 200]);
    const sixth = await SseClient.open(`${base}/api/events`, { cookie });
    expect(sixth.status).toBe(429);
    expect(JSON.parse(sixth.body).error.code).toBe('too_many_requests');
    five[0].close();
    await new Promise((r) => setTimeout(r, 100));
    const again = await SseClient.open(`${base}/api/events`, { cookie });
    open.push(again);
    expect(again.status).toBe(200);
  });

  it('replays what a reconnecting client missed, from its Last-Event-ID, and nothing twice', async () => {
    const { user } = await makeUser('patient');
    const first = await stream('/api/events', user);
    await first.waitFor((c) => c.status === 200);
    await touchAppointment(9001, user.id);
    await first.waitFor((c) => c.changes().length === 1);
    const lastEventId = first.lastEventId!;
    first.close();
    for (const id of [9002, 9003, 9004]) await touchAppointment(id, user.id);
    const { user: other } = await makeUser('patient');
    await touchAppointment(9999, other.id);

    const again = await stream('/api/events', user, lastEventId);
    await touchAppointment(9005, user.id);
    await again.waitFor((c) => c.changes().some((e) => e.id === 9005));
    expect(again.changes().map((e) => e.id)).toEqual([9002, 9003, 9004, 9005]);

    // The query parameter serves clients that cannot set the header.
    const viaQuery = await SseClient.open(`${base}/api/events?lastEventId=${encodeURIComponent(lastEventId)}`, { cookie: await cookieFor(base, user) });
    open.push(viaQuery);
    await viaQuery.waitFor((c) => c.changes().length === 4);
  });

  it('tells a client to re-read everything when what it missed is no longer kept', async () => {
    const { user } = await makeUser('patient');
    const client = await stream('/api/events', user, '1000-0');
    await client.waitFor((c) => c.events.some((e) => e.event === 'reset'));
    const reset = client.events.find((e) => e.event === 'reset')!;
    expect(reset.id).toMatch(/^\d+-\d+$/);
    await touchAppointment(777, user.id);
    await client.waitFor((c) => c.changes().some((e) => e.id === 777));
  });

  it('opens no stream for a deactivated user', async () => {
    const { user } = await makeUser('patient');
    const cookie = await cookieFor(base, user);
    await db().getRepository(User).update({ id: user.id }, { isActive: false });
    expect((await SseClient.open(`${base}/api/events`, { cookie })).status).toBe(401);
  });
});
