import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../server/db/data-source.js';
import { LoginAttempt } from '../server/db/entities/login-attempt.js';
import { User } from '../server/db/entities/user.js';
import { FIXTURE_PASSWORD, makeUser } from '../server/users/test-fixtures.js';
import { PanelClient, startServer, type PanelResponse } from './panel-support.js';
import { useTestDatabase } from './support/db.js';

useTestDatabase();

let server: Awaited<ReturnType<typeof startServer>>;
const people = {} as Record<'admin' | 'operator' | 'patient', User>;
const clients = {} as Record<'admin' | 'operator', PanelClient>;

beforeAll(async () => {
  for (const role of ['admin', 'operator', 'patient'] as const) people[role] = await makeUser(role);
  await makeUser('patient');
  server = await startServer();
  for (const role of ['admin', 'operator'] as const) {
    clients[role] = new PanelClient(server.url);
    expect((await clients[role].login(people[role].email, FIXTURE_PASSWORD)).status).toBe(302);
  }
}, 120_000);

afterAll(async () => {
  await server?.close();
});

type ListBody = { meta: { sortBy: string; direction: string; perPage: number; page: number; total: number }; records: { params: { id: number } }[] };
const list = (r: PanelResponse) => r.json() as ListBody;

describe('a list asked for a sort or a page it does not offer', () => {
  it('reports the sort and page it used, never the column it was asked for', async () => {
    const plain = list(await clients.admin.get('/admin/api/resources/Patients/actions/list'));
    for (const query of ['sortBy=passwordHash&direction=asc', 'sortBy=email&direction=asc', 'sortBy=nope&direction=sideways']) {
      const answer = await clients.admin.get(`/admin/api/resources/Patients/actions/list?${query}`);
      expect(answer.status).toBe(200);
      expect(answer.text, query).not.toContain('passwordHash');
      const body = list(answer);
      expect([body.meta.sortBy, body.meta.direction], query).toEqual(['createdAt', 'desc']);
      expect(body.records.map((r) => r.params.id), query).toEqual(plain.records.map((r) => r.params.id));
    }
  });

  it('reports a whole page size between 1 and 100 and a page from 1', async () => {
    for (const [query, perPage, page] of [['perPage=-5&page=-1', 20, 1], ['perPage=2.5&page=1.5', 2, 1], ['perPage=100000', 100, 1], ['perPage=abc&page=abc', 20, 1]] as const) {
      const body = list(await clients.operator.get(`/admin/api/resources/Patients/actions/list?${query}`));
      expect([body.meta.perPage, body.meta.page], query).toEqual([perPage, page]);
      expect(body.records.length, query).toBeLessThanOrEqual(perPage);
    }
  });
});

describe('the panel\'s login posted as JSON', () => {
  const asJson = (client: PanelClient, email: string, password: string) => client.post('/admin/login', { email, password });
  const envelope = (r: PanelResponse) => (r.json() as { error: { code: string; message: string } }).error;

  it('answers a wrong password and a patient alike, with the error envelope', async () => {
    const wrong = await asJson(new PanelClient(server.url), people.operator.email, 'not the password');
    const patient = await asJson(new PanelClient(server.url), people.patient.email, FIXTURE_PASSWORD);
    for (const answer of [wrong, patient]) {
      expect(answer.status).toBe(401);
      expect(answer.headers.get('content-type')).toContain('application/json');
      expect(envelope(answer).message).toBe('Email or password is wrong.');
    }
    expect(patient.text).toBe(wrong.text);
    const empty = await new PanelClient(server.url).post('/admin/login', {});
    expect([empty.status, typeof envelope(empty).code]).toEqual([400, 'string']);
  });

  it('answers the sixth failure and the right password while locked with 429, Retry-After and the envelope', async () => {
    const target = await makeUser('doctor');
    for (let i = 1; i <= 5; i += 1) expect((await asJson(new PanelClient(server.url), target.email, `wrong ${i}`)).status).toBe(401);
    for (const password of ['wrong 6', FIXTURE_PASSWORD]) {
      const answer = await asJson(new PanelClient(server.url), target.email, password);
      expect(answer.status).toBe(429);
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(envelope(answer).code).toBe('too_many_requests');
      expect(answer.headers.get('set-cookie') ?? '').not.toContain('qhealth.sid');
    }
  });
});

describe('editing a patient\'s profile in the panel', () => {
  it('takes height and weight as the form\'s text, and names a bad one in words', async () => {
    const path = `/admin/api/resources/Patients/records/${people.patient.id}/editProfile`;
    const saved = await clients.admin.post(path, { heightCm: '172', weightKg: '68.5' });
    expect(saved.status, saved.text.slice(0, 300)).toBe(200);
    expect(await db().getRepository(User).findOneByOrFail({ id: people.patient.id })).toMatchObject({ heightCm: 172, weightKg: 68.5 });
    const bad = await clients.admin.post(path, { heightCm: 'tall' });
    expect(bad.status).toBe(400);
    const fields = (bad.json() as { error: { fields: Record<string, string> } }).error.fields;
    expect(fields.heightCm).toBeTruthy();
    expect(fields.heightCm).not.toMatch(/expected number|NaN/);
    expect((await db().getRepository(User).findOneByOrFail({ id: people.patient.id })).heightCm).toBe(172);
  });
});

describe('ids and pages past what a number holds', () => {
  it('answers a picker search for page 1e20 with a sane, empty page rather than a 500', async () => {
    for (const query of ['page=1e20', 'page=1e20&perPage=-1', 'page=99999999999999999999']) {
      const answer = await clients.operator.get(`/admin/api/resources/Patients/actions/search/First?${query}`);
      expect(answer.status, `${query}: ${answer.text.slice(0, 200)}`).toBe(200);
      expect((answer.json() as { records: unknown[] }).records, query).toEqual([]);
    }
    const listed = await clients.operator.get('/admin/api/resources/Patients/actions/list?page=1e20');
    expect(listed.status).toBe(200);
  });

  it('answers 404 with the envelope for a record id too big to be one, like any id that names no record', async () => {
    for (const id of ['9999999999999999', '9007199254740993']) {
      const answer = await clients.admin.get(`/admin/api/resources/Patients/records/${id}/show`);
      expect(answer.status, id).toBe(404);
      expect((answer.json() as { error: { code: string } }).error.code).toBe('not_found');
    }
  });
});

describe('a day typed into a date filter', () => {
  it('means the clinic\'s day (Stockholm), in the list and in its CSV export', async () => {
    const email = 'night.owl@fixture.test';
    // 00:30 and 23:30 on 15 January in Stockholm (UTC+1), and 00:30 on the 16th.
    for (const at of ['2026-01-14T23:30:00Z', '2026-01-15T22:30:00Z', '2026-01-15T23:30:00Z']) {
      await db().getRepository(LoginAttempt).insert({ email, ip: '10.1.1.1', userAgent: 'probe', channel: 'panel', success: false, reason: 'bad_credentials', at: new Date(at) });
    }
    const query = `filters.email=${email}&filters.at~~from=2026-01-15&filters.at~~to=2026-01-15`;
    const listed = await clients.admin.get(`/admin/api/resources/LoginAttempts/actions/list?${query}`);
    const times = (listed.json() as { records: { params: { at: string } }[] }).records.map((r) => r.params.at).sort();
    expect(times).toEqual(['2026-01-14T23:30:00.000Z', '2026-01-15T22:30:00.000Z']);
    const csv = await clients.admin.get(`/admin/api/export/LoginAttempts?${query}`);
    expect(csv.text.trim().split('\n')).toHaveLength(3);
  });
});
