import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { User } from '../server/db/entities/index.js';
import { clock } from '../server/shared/clock.js';
import { FIXTURE_PASSWORD, makeUser } from '../server/users/test-fixtures.js';
import { PortalClient, startPortalServer } from './portal-client.js';
import { useTestDatabase } from './support/db.js';

/**
 * A third conformance sweep of the portal API against SPEC.md, written as an
 * outside tester reads it.
 */
useTestDatabase();

// Monday 1 March 2027, 08:00 in Stockholm.
const NOW = new Date('2027-03-01T07:00:00Z');
let base = '';
let close: () => Promise<void>;

const client = () => new PortalClient(() => base);

async function loggedIn(user: User, password = FIXTURE_PASSWORD): Promise<PortalClient> {
  const c = client();
  const res = await c.post('/api/auth/login', { email: user.email, password });
  expect(res.status).toBe(200);
  return c;
}

beforeAll(async () => {
  clock.set(NOW);
  ({ base, close } = await startPortalServer());
});

afterAll(async () => {
  clock.reset();
  await close?.();
});

describe('changing one\'s own password (rules 11 and 14)', () => {
  it('changes it with the current one and ends every session of the account, this one included', async () => {
    const patient = await makeUser('patient');
    const laptop = await loggedIn(patient);
    const phone = await loggedIn(patient);
    const res = await laptop.post('/api/me/password', { currentPassword: FIXTURE_PASSWORD, newPassword: 'a brand new passphrase' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.message).toEqual(expect.any(String));
    expect((await laptop.get('/api/me')).status).toBe(401);
    expect((await phone.get('/api/me')).status).toBe(401);
    expect((await client().post('/api/auth/login', { email: patient.email, password: FIXTURE_PASSWORD })).status).toBe(401);
    await loggedIn(patient, 'a brand new passphrase');
  });

  it('refuses a wrong current password or a weak new one with 400 naming the field, keeping password and sessions', async () => {
    const patient = await makeUser('patient');
    const c = await loggedIn(patient);
    const wrong = await c.post('/api/me/password', { currentPassword: 'not my password at all', newPassword: 'a brand new passphrase' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.fields).toHaveProperty('currentPassword');
    for (const newPassword of ['short pw', patient.email, 'password123']) {
      const weak = await c.post('/api/me/password', { currentPassword: FIXTURE_PASSWORD, newPassword });
      expect(weak.status).toBe(400);
      expect(weak.body.error.fields).toHaveProperty('newPassword');
    }
    expect((await c.get('/api/me')).status).toBe(200);
    await loggedIn(patient);
  });

  it('is documented, needs a session, and refuses another site', async () => {
    const doc = (await client().get('/api/openapi.json')).body;
    expect(doc.paths['/api/me/password'].post).toBeDefined();
    expect((await client().post('/api/me/password', { currentPassword: FIXTURE_PASSWORD, newPassword: 'a brand new passphrase' })).status).toBe(401);
    const patient = await makeUser('patient');
    const c = await loggedIn(patient);
    const foreign = await c.call('POST', '/api/me/password', { currentPassword: FIXTURE_PASSWORD, newPassword: 'a brand new passphrase' }, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect((await c.get('/api/me')).status).toBe(200);
  });
});

describe('a known path asked with the wrong method', () => {
  it('answers 405 with Allow on the API document, its Swagger page and the live stream, as on every other route', async () => {
    const c = client();
    for (const [method, path] of [['POST', '/api/openapi.json'], ['DELETE', '/api/openapi.json'], ['POST', '/api/docs/'], ['PUT', '/api/docs/swagger-ui.css'], ['POST', '/api/events']]) {
      const res = await c.call(method, path);
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, HEAD');
      expect(res.body.error.code).toBe('method_not_allowed');
    }
    expect((await c.get('/api/openapi.json')).status).toBe(200);
    expect((await c.get('/api/docs/')).status).toBe(200);
  });
});

describe('guessing the current password through a password change', () => {
  it('stops an address after 10 tries in 10 minutes with 429 and Retry-After, changing nothing', async () => {
    const patient = await makeUser('patient');
    const c = await loggedIn(patient);
    let res;
    for (let i = 0; i < 12; i++) {
      res = await c.post('/api/me/password', { currentPassword: `guess number ${i}`, newPassword: 'a brand new passphrase' });
    }
    expect(res!.status).toBe(429);
    expect(res!.body.error.code).toBe('too_many_requests');
    expect(Number(res!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await c.get('/api/me')).status).toBe(200);
    await loggedIn(patient);
  });
});
