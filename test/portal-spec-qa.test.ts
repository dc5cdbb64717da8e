import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../server/db/data-source.js';
import { Appointment, Diagnostic, User } from '../server/db/entities/index.js';
import { clock } from '../server/shared/clock.js';
import { FIXTURE_PASSWORD, makeUser } from '../server/users/test-fixtures.js';
import { PortalClient, startPortalServer, type Answer } from './portal-client.js';
import { useTestDatabase } from './support/db.js';

/**
 * The portal API read the way an outside tester reads SPEC.md: wrong types
 * where one value goes, text that is not text, real-world input. Every
 * refusal is a 4xx envelope naming the field, and nothing is written.
 */
useTestDatabase();

// Monday 1 March 2027, 08:00 in Stockholm.
const NOW = new Date('2027-03-01T07:00:00Z');
let base = '';
let close: () => Promise<void>;
let mri: Diagnostic;

const client = () => new PortalClient(() => base);

async function loggedIn(user: User): Promise<PortalClient> {
  const c = client();
  const res = await c.post('/api/auth/login', { email: user.email, password: FIXTURE_PASSWORD });
  expect(res.status).toBe(200);
  return c;
}

function expectFieldError(res: Answer, field: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
  expect(res.body.error).toMatchObject({ code: 'invalid', message: expect.any(String) });
  expect(res.body.error.fields, JSON.stringify(res.body)).toHaveProperty(field);
}

beforeAll(async () => {
  clock.set(NOW);
  ({ base, close } = await startPortalServer());
  const diagnostics = db().getRepository(Diagnostic);
  mri = await diagnostics.save(diagnostics.create({ name: 'MRI', durationMinutes: 45 }));
});

afterAll(async () => {
  clock.reset();
  await close?.();
});

describe('a value of the wrong type where one id goes', () => {
  it('refuses an id sent as an array, a boolean, an object or a number in disguise, and writes nothing', async () => {
    const patient = await makeUser('patient');
    const c = await loggedIn(patient);
    for (const diagnosticId of [[mri.id], true, { id: mri.id }, `${mri.id}.0`, `0x${mri.id.toString(16)}`, `${mri.id}e0`, 1.5, '']) {
      expectFieldError(await c.post('/api/requests', { diagnosticId }), 'diagnosticId');
    }
    expect(await db().getRepository(Appointment).countBy({ patientId: patient.id })).toBe(0);
    // A plain number, or its digits as text (a form field), is an id.
    expect((await c.post('/api/requests', { diagnosticId: mri.id })).status).toBe(201);
    expect((await c.post('/api/requests', { diagnosticId: String(mri.id) })).status).toBe(201);
  });

  it('answers a path id that is not plain digits 400, not another record', async () => {
    const patient = await makeUser('patient');
    const c = await loggedIn(patient);
    const mine = await c.post('/api/requests', { diagnosticId: mri.id });
    expect(mine.status).toBe(201);
    const hex = `0x${Number(mine.body.id).toString(16)}`;
    for (const id of [hex, `${mine.body.id}.0`, `${mine.body.id}e0`, ` ${mine.body.id}`]) {
      expectFieldError(await c.get(`/api/appointments/${encodeURIComponent(id)}`), 'id');
    }
    expect((await c.get(`/api/appointments/${mine.body.id}`)).status).toBe(200);
  });
});

describe('text that is not text', () => {
  it('refuses a lone UTF-16 surrogate in any text field with 400 naming it, and stores nothing', async () => {
    const patient = await makeUser('patient');
    const c = await loggedIn(patient);
    // JSON can carry "\ud800"; no database column can keep it, it would come back as "?" or U+FFFD.
    expectFieldError(await c.call('POST', '/api/requests', `{"diagnosticId": ${mri.id}, "note": "knee \\ud800 pain"}`), 'note');
    expect(await db().getRepository(Appointment).countBy({ patientId: patient.id })).toBe(0);

    expectFieldError(await c.call('PATCH', '/api/me', '{"addressCity": "\\udc00Lund"}'), 'addressCity');
    expect((await db().getRepository(User).findOneByOrFail({ id: patient.id })).addressCity).toBeNull();

    const registration = {
      email: 'surrogate@example.com', firstName: 'Ana', lastName: 'Lind', dateOfBirth: '1990-01-01',
    };
    const res = await client().call('POST', '/api/auth/register', JSON.stringify({ ...registration, password: 'a long and unusual passphrase' })
      .replace('passphrase', 'passphrase \\udbff'));
    expectFieldError(res, 'password');
    expect(await db().getRepository(User).countBy({ email: registration.email })).toBe(0);
  });

  it('answers a body nested 40,000 levels deep, or full of bad text, with 400 rather than running out of stack', async () => {
    const patient = await makeUser('patient');
    const c = await loggedIn(patient);
    for (const body of [
      '['.repeat(40_000) + ']'.repeat(40_000),
      '{"a":'.repeat(15_000) + '"\\ud800"' + '}'.repeat(15_000),
      `{"diagnosticId":${mri.id},"note":${'['.repeat(40_000)}${']'.repeat(40_000)}}`,
      `{"diagnosticId":${mri.id},"note":[${Array.from({ length: 10_000 }, () => '"\\ud800"').join(',')}]}`,
    ]) {
      const res = await c.call('POST', '/api/requests', body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid');
    }
    expect(await db().getRepository(Appointment).countBy({ patientId: patient.id })).toBe(0);
  });

  it('keeps characters outside the Basic Multilingual Plane (a surrogate pair) as they were typed', async () => {
    const patient = await makeUser('patient');
    const c = await loggedIn(patient);
    const street = '𠜎𠜱 Road 😀';
    const res = await c.call('PATCH', '/api/me', { addressStreet: street });
    expect(res.status).toBe(200);
    expect((await c.get('/api/me')).body.addressStreet).toBe(street);
  });
});

describe('real-world phone numbers (SPEC §2: E.164)', () => {
  it('drops the national trunk "(0)" people write after the country code', async () => {
    const patient = await makeUser('patient');
    const c = await loggedIn(patient);
    const res = await c.call('PATCH', '/api/me', { phone: '+46 (0)70 123 45 67' });
    expect(res.status).toBe(200);
    expect(res.body.phone).toBe('+46701234567');
    const uk = await c.call('PATCH', '/api/me', { phone: '+44 (0) 20 7946 0958' });
    expect(uk.body.phone).toBe('+442079460958');
  });

  it('reads the international prefix 00 as the "+" of E.164', async () => {
    const patient = await makeUser('patient');
    const c = await loggedIn(patient);
    const res = await c.call('PATCH', '/api/me', { phone: '0046 70 123 45 67' });
    expect(res.status).toBe(200);
    expect(res.body.phone).toBe('+46701234567');
    // A national number without any country code stays refused: which country would it be?
    expectFieldError(await c.call('PATCH', '/api/me', { phone: '070 123 45 67' }), 'phone');
  });
});
