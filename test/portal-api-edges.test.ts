import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../server/access/actor.js';
import { scheduleRequest } from '../server/appointments/schedule.js';
import { requestDiagnostic } from '../server/appointments/request.js';
import { appointmentSchema } from '../server/appointments/routes.js';
import { portalUserSchema } from '../server/auth/routes.js';
import { diagnosticSchema } from '../server/catalogue/routes.js';
import { config, overrideConfig } from '../server/config.js';
import { db } from '../server/db/data-source.js';
import { Appointment, Diagnostic, User } from '../server/db/entities/index.js';
import { addJournalEntry } from '../server/records/journal.js';
import { addPrescription } from '../server/records/prescriptions.js';
import { journalEntrySchema, prescriptionSchema } from '../server/records/routes.js';
import { clock } from '../server/shared/clock.js';
import { actorOf, FIXTURE_PASSWORD, makeUser, outbox, tokenFromMail } from '../server/users/test-fixtures.js';
import { useTestDatabase } from './support/db.js';
import { PortalClient, startPortalServer, type Answer } from './portal-client.js';

/**
 * The portal API's edges, beyond the contract's happy rows: bodies that are
 * not JSON, junk of every shape, inverted ranges, the OpenAPI document as a
 * machine reads it, cookies over TLS, and the account rules at their limits.
 * Whatever arrives, the answer is a 4xx envelope, never a 500.
 */
useTestDatabase();

// Monday 1 March 2027, 08:00 in Stockholm.
const NOW = new Date('2027-03-01T07:00:00Z');
let base = '';
let close: () => Promise<void>;
let mri: Diagnostic;
let operator: Actor;

const client = () => new PortalClient(() => base);

async function loggedIn(user: User): Promise<PortalClient> {
  const c = client();
  const res = await c.post('/api/auth/login', { email: user.email, password: FIXTURE_PASSWORD });
  expect(res.status).toBe(200);
  return c;
}

function expectEnvelope(res: Answer, status: number): void {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
  expect(res.body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
}

beforeAll(async () => {
  clock.set(NOW);
  ({ base, close } = await startPortalServer());
  operator = actorOf(await makeUser('operator'));
  const diagnostics = db().getRepository(Diagnostic);
  mri = await diagnostics.save(diagnostics.create({ name: 'MRI', durationMinutes: 45 }));
});

afterAll(async () => {
  clock.reset();
  await close?.();
});

describe('bodies that are not JSON', () => {
  it('answers a text/plain or form body on a JSON route with 415 and writes nothing', async () => {
    const patient = await makeUser('patient');
    const c = await loggedIn(patient);
    for (const [type, body] of [
      ['text/plain', JSON.stringify({ diagnosticId: mri.id })],
      ['application/x-www-form-urlencoded', `diagnosticId=${mri.id}`],
      ['multipart/form-data; boundary=x', `--x\r\nContent-Disposition: form-data; name="diagnosticId"\r\n\r\n${mri.id}\r\n--x--\r\n`],
    ]) {
      const res = await c.call('POST', '/api/requests', body, { 'content-type': type });
      expectEnvelope(res, 415);
      expect(res.body.error.code).toBe('unsupported_media_type');
    }
    expect(await db().getRepository(Appointment).countBy({ patientId: patient.id })).toBe(0);
  });

  it('reads application/*+json as JSON, and takes an empty POST without a type (logout, withdraw)', async () => {
    const patient = await makeUser('patient');
    const c = await loggedIn(patient);
    const created = await c.call('POST', '/api/requests', { diagnosticId: mri.id }, { 'content-type': 'application/vnd.api+json' });
    expect(created.status).toBe(201);
    const raw = await fetch(`${base}/api/appointments/${created.body.id}/cancel`, { method: 'POST', headers: { cookie: c.cookie! } });
    expect(raw.status).toBe(200);
    expect((await raw.json()).status).toBe('cancelled');
    const out = await fetch(`${base}/api/auth/logout`, { method: 'POST', headers: { cookie: c.cookie! } });
    expect(out.status).toBe(204);
    expect((await c.get('/api/me')).status).toBe(401);
  });

  it('answers a known path asked with the wrong method 405 with Allow, as an envelope', async () => {
    const c = await loggedIn(await makeUser('patient'));
    for (const [method, path, allow] of [
      ['PUT', '/api/me', 'GET, PATCH, DELETE, HEAD'],
      ['DELETE', '/api/diagnostics', 'GET, HEAD'],
      ['GET', '/api/auth/login', 'POST'],
      ['PATCH', '/api/appointments/1', 'GET, HEAD'],
      ['GET', '/api/appointments/1/cancel', 'POST'],
    ]) {
      const res = await c.call(method, path, method === 'GET' ? undefined : {});
      expectEnvelope(res, 405);
      expect(res.headers.get('allow'), `${method} ${path}`).toBe(allow);
    }
    expect((await c.call('HEAD', '/api/me')).status).toBe(200);
  });

  it('refuses a body just over 100 kB (100,001 bytes) with 413 and reads one just under', async () => {
    const patient = await makeUser('patient');
    const c = await loggedIn(patient);
    const padded = (size: number) => {
      const head = `{"diagnosticId":${mri.id},"note":"`;
      return `${head}${' '.repeat(size - head.length - 2)}"}`;
    };
    expect(Buffer.byteLength(padded(100_001))).toBe(100_001);
    const over = await c.call('POST', '/api/requests', padded(100_001));
    expectEnvelope(over, 413);
    // 99,999 bytes are read; the note, trimmed to nothing, is simply absent.
    expect((await c.call('POST', '/api/requests', padded(99_999))).status).toBe(201);
  });

  it('still answers an unknown route 404, whatever its body', async () => {
    const res = await client().call('POST', '/api/no-such-route', 'hello', { 'content-type': 'text/plain' });
    expectEnvelope(res, 404);
  });
});

describe('junk input', () => {
  it('names a "__proto__" key as an unknown field instead of dropping it', async () => {
    const c = await loggedIn(await makeUser('patient'));
    const res = await c.call('POST', '/api/requests', `{"diagnosticId": ${mri.id}, "__proto__": {"admin": true}}`);
    expectEnvelope(res, 400);
    expect(Object.keys(res.body.error.fields)).toEqual(['__proto__']);
  });

  it('says "Required." for a missing field rather than zod\'s type wording', async () => {
    const res = await client().post('/api/auth/register', { email: 'someone@example.com', password: 'a long and unusual passphrase', dateOfBirth: '1990-01-01' });
    expectEnvelope(res, 400);
    expect(res.body.error.fields).toMatchObject({ firstName: 'Required.', lastName: 'Required.' });
  });

  it('answers every kind of junk with a 4xx envelope and never a 500', async () => {
    const patient = await makeUser('patient');
    const c = await loggedIn(patient);
    const long = 'ä'.repeat(20_000);
    const bodies: unknown[] = [
      null, [], [1, 2], 'null', '"text"', '42', 'true', '{', '{"a":1}}', '\u0000', { diagnosticId: null }, { diagnosticId: [] },
      { diagnosticId: {} }, { diagnosticId: '1; DROP TABLE users' }, { diagnosticId: 1e308 }, { diagnosticId: -1 },
      { diagnosticId: 2 ** 53 + 2 }, { note: long }, { email: long }, { token: long }, { password: long },
      { email: { $ne: null } }, { firstName: '\u202e\u0000😀' }, { dateOfBirth: '1990-13-45' }, { heightCm: '180' },
    ];
    const routes: [string, string][] = [
      ['POST', '/api/requests'], ['POST', '/api/auth/register'], ['POST', '/api/auth/activate'],
      ['POST', '/api/auth/password-reset'], ['POST', '/api/auth/password-reset/confirm'], ['PATCH', '/api/me'],
      ['POST', '/api/me/email/verify'], ['POST', '/api/appointments/1/cancel'],
    ];
    for (const [method, path] of routes) {
      for (const body of bodies) {
        const sent = body === null ? 'null' : typeof body === 'string' ? body : body;
        const res = await c.call(method, path, sent);
        expect(res.status, `${method} ${path} ${JSON.stringify(body).slice(0, 60)}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${method} ${path} ${JSON.stringify(body).slice(0, 60)}`).toBeLessThan(500);
        expect(res.body.error.code).toEqual(expect.any(String));
      }
    }
    const queries = [
      '/api/appointments?page=abc', '/api/appointments?page=1&page=2', '/api/appointments?perPage=1e9', '/api/appointments?status=',
      '/api/appointments?status=requested,bogus', '/api/appointments?from=2027-02-30', '/api/appointments?to=tomorrow',
      '/api/appointments?sort=passwordHash', '/api/appointments?kind[]=visit', `/api/diagnostics?q=${'x'.repeat(500)}`,
      '/api/diagnostics?q=a&q=b', '/api/journal?from=%00', '/api/prescriptions?sort=-x', '/api/appointments/abc',
      '/api/appointments/1.5', '/api/appointments/-3', '/api/appointments/99999999999999999999', '/api/journal/%F0%9F%98%80',
      '/api/prescriptions/0', '/api/appointments/1e400',
    ];
    for (const path of queries) {
      const res = await c.get(path);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
      expect(res.body.error.code, path).toEqual(expect.any(String));
    }
    expect(await db().getRepository(Appointment).countBy({ patientId: patient.id })).toBe(0);
  });

  it('refuses a list range whose end comes before its start, naming `to`', async () => {
    const c = await loggedIn(await makeUser('patient'));
    for (const list of ['appointments', 'journal', 'prescriptions']) {
      const res = await c.get(`/api/${list}?from=2027-03-10&to=2027-03-01`);
      expectEnvelope(res, 400);
      expect(res.body.error.fields).toHaveProperty('to');
      expect((await c.get(`/api/${list}?from=2027-03-01&to=2027-03-01`)).status).toBe(200);
    }
  });
});

describe('authentication at its edges', () => {
  it('takes a state change whose Origin is the portal\'s own, and refuses a foreign Origin or Referer with a 403 envelope', async () => {
    const patient = await makeUser('patient');
    const c = await loggedIn(patient);
    expect((await c.call('POST', '/api/requests', { diagnosticId: mri.id }, { origin: base })).status).toBe(201);
    expect((await c.call('PATCH', '/api/me', { addressCity: 'Lund' }, { referer: `${base}/profile` })).status).toBe(200);
    const foreign: Record<string, string>[] = [{ origin: 'https://evil.example' }, { origin: 'null' }, { referer: 'https://evil.example/page' }];
    for (const headers of foreign) {
      expectEnvelope(await c.call('POST', '/api/auth/logout', undefined, headers), 403);
      expectEnvelope(await c.call('DELETE', '/api/me', undefined, headers), 403);
    }
    expect((await c.get('/api/me')).body.addressCity).toBe('Lund');
  });

  it('answers 401 envelopes on every patient route without a session', async () => {
    const c = client();
    for (const [method, path] of [
      ['GET', '/api/me'], ['PATCH', '/api/me'], ['DELETE', '/api/me'], ['GET', '/api/diagnostics'], ['POST', '/api/requests'],
      ['GET', '/api/appointments'], ['GET', '/api/appointments/1'], ['POST', '/api/appointments/1/cancel'],
      ['GET', '/api/journal'], ['GET', '/api/journal/1'], ['GET', '/api/prescriptions'], ['GET', '/api/prescriptions/1'],
    ]) {
      const res = await c.call(method, path, method === 'GET' || method === 'DELETE' ? undefined : {});
      expectEnvelope(res, 401);
    }
  });

  it('refuses an expired activation link with 400 and leaves the account inactive', async () => {
    const email = 'late.activator@example.com';
    const res = await client().post('/api/auth/register', {
      email, password: 'a long and unusual passphrase', firstName: 'Late', lastName: 'Activator', dateOfBirth: '1985-06-01',
    });
    expect(res.status).toBe(201);
    const token = await tokenFromMail('activation', email);
    clock.set(new Date(NOW.getTime() + 25 * 3_600_000));
    try {
      const late = await client().post('/api/auth/activate', { token });
      expectEnvelope(late, 400);
    } finally {
      clock.set(NOW);
    }
    expect((await db().getRepository(User).findOneByOrFail({ email })).isActive).toBe(false);
  });

  it('answers a weak new password on a valid reset link with 400 naming `password`, and keeps the link usable', async () => {
    const patient = await makeUser('patient');
    await client().post('/api/auth/password-reset', { email: patient.email });
    const token = await tokenFromMail('password_reset', patient.email);
    const weak = await client().post('/api/auth/password-reset/confirm', { token, password: 'password123' });
    expectEnvelope(weak, 400);
    expect(weak.body.error.fields).toHaveProperty('password');
    expect((await client().post('/api/auth/password-reset/confirm', { token, password: 'short' })).body.error.fields).toHaveProperty('password');
    // A weak password is named even with a bad link.
    expect((await client().post('/api/auth/password-reset/confirm', { token: 'not-a-token', password: 'short' })).body.error.fields).toHaveProperty('password');
    expect((await client().post('/api/auth/password-reset/confirm', { token, password: 'a much better passphrase 7' })).status).toBe(200);
  });

  it('sets the session cookie HttpOnly, SameSite=Lax, Path=/ and, only over plain HTTP, without Secure', async () => {
    const patient = await makeUser('patient');
    const res = await client().post('/api/auth/login', { email: patient.email, password: FIXTURE_PASSWORD });
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/i);
    const spoofed = await client().call('POST', '/api/auth/login', { email: patient.email, password: FIXTURE_PASSWORD }, { 'x-forwarded-proto': 'https' });
    expect(spoofed.headers.get('set-cookie')).not.toMatch(/Secure/i);
  });

  it('marks the cookie Secure when a trusted proxy says the request came over TLS', async () => {
    const before = config().trustProxy;
    overrideConfig({ trustProxy: ['loopback'] });
    const proxied = await startPortalServer();
    try {
      const patient = await makeUser('patient');
      const c = new PortalClient(() => proxied.base);
      const res = await c.call('POST', '/api/auth/login', { email: patient.email, password: FIXTURE_PASSWORD }, { 'x-forwarded-proto': 'https' });
      expect(res.status).toBe(200);
      expect(res.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
    } finally {
      overrideConfig({ trustProxy: before });
      await proxied.close();
    }
  });
});

describe('deleting one\'s own account (rule 8)', () => {
  it('refuses while a scheduled appointment lies ahead (409, account and session kept)', async () => {
    const patient = await makeUser('patient');
    const request = await requestDiagnostic(actorOf(patient), { diagnosticId: mri.id });
    await scheduleRequest(operator, request.id, { startsAt: '2027-03-10T09:00:00Z' });
    const c = await loggedIn(patient);
    const res = await c.call('DELETE', '/api/me');
    expectEnvelope(res, 409);
    expect(res.body.error.message).toMatch(/appointment/i);
    expect(await db().getRepository(User).countBy({ id: patient.id })).toBe(1);
    expect((await c.get('/api/me')).status).toBe(200);
  });

  it('deletes an account whose only request is undated, with its request, and mails the goodbye', async () => {
    const patient = await makeUser('patient');
    await requestDiagnostic(actorOf(patient), { diagnosticId: mri.id });
    const c = await loggedIn(patient);
    const res = await c.call('DELETE', '/api/me');
    expect(res.status).toBe(204);
    expect(await db().getRepository(User).countBy({ id: patient.id })).toBe(0);
    expect(await db().getRepository(Appointment).countBy({ patientId: patient.id })).toBe(0);
    expect(await outbox('account_deleted', patient.email)).toHaveLength(1);
    expect((await c.get('/api/me')).status).toBe(401);
  });
});

describe('the OpenAPI document as tools read it', () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON document walked generically
  function collect(node: any, key: string, found: unknown[] = []): unknown[] {
    if (Array.isArray(node)) node.forEach((n) => collect(n, key, found));
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === key) found.push(v);
        collect(v, key, found);
      }
    }
    return found;
  }

  it('writes patterns that compile as plain ECMA-262 regexes, without /flags', async () => {
    const doc = (await client().get('/api/openapi.json')).body;
    const patterns = collect(doc, 'pattern') as string[];
    expect(patterns.length).toBeGreaterThan(0);
    for (const p of patterns) {
      expect(p).not.toMatch(/\/[a-z]+$/);
      expect(() => new RegExp(p, 'u')).not.toThrow();
    }
    const name = doc.paths['/api/auth/register'].post.requestBody.content['application/json'].schema.properties.firstName;
    expect(new RegExp(name.pattern, 'u').test("Zoë O'Brien-Łukasiewicz")).toBe(true);
  });

  it('marks the optional cancellation body as optional, and documents 415 and the error envelope on JSON routes', async () => {
    const doc = (await client().get('/api/openapi.json')).body;
    expect(doc.paths['/api/appointments/{id}/cancel'].post.requestBody.required).toBe(false);
    expect(doc.paths['/api/requests'].post.requestBody.required).toBe(true);
    expect(doc.paths['/api/requests'].post.responses['415'].content['application/json'].schema.$ref).toBe('#/components/schemas/Error');
    expect(doc.components.schemas.Error.properties.error.required).toEqual(expect.arrayContaining(['code', 'message']));
    for (const path of ['/api/auth/activate', '/api/auth/password-reset', '/api/auth/password-reset/confirm']) {
      expect(doc.paths[path].post.responses['429'], path).toBeDefined();
    }
  });
});

describe('answers as documented', () => {
  it('shapes every read exactly as its OpenAPI schema says (no missing, no undocumented fields) and lets no cache keep it', async () => {
    const patient = await makeUser('patient');
    const doctor = await makeUser('doctor');
    const request = await requestDiagnostic(actorOf(patient), { diagnosticId: mri.id, note: 'Headaches' });
    await scheduleRequest(operator, request.id, { startsAt: '2027-03-11T09:00:00Z' });
    await requestDiagnostic(actorOf(patient), { diagnosticId: mri.id });
    const entry = await addJournalEntry(actorOf(doctor), { patientId: patient.id, diagnosis: 'Migraine', description: 'Since May.' });
    await addPrescription(actorOf(await makeUser('pharmacist')), { patientId: patient.id, medication: 'Sumatriptan', dosage: '50 mg', instructions: 'At onset.', journalEntryId: entry.id });
    const c = await loggedIn(patient);

    const me = await c.get('/api/me');
    portalUserSchema.strict().parse(me.body);
    expect(me.headers.get('cache-control')).toBe('no-store');
    const lists = [
      ['/api/appointments', appointmentSchema],
      ['/api/journal', journalEntrySchema],
      ['/api/prescriptions', prescriptionSchema],
      ['/api/diagnostics', diagnosticSchema],
    ] as const;
    for (const [path, schema] of lists) {
      const answer = await c.get(path);
      expect(answer.headers.get('cache-control'), path).toBe('no-store');
      const page = answer.body;
      expect(Object.keys(page).sort(), path).toEqual(['items', 'page', 'perPage', 'total']);
      expect(page.items.length, path).toBeGreaterThan(0);
      for (const item of page.items) schema.strict().parse(item);
      schema.strict().parse((await c.get(`${path}/${page.items[0].id}`)).body);
    }
  });
});
