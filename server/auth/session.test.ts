import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { RedisStore } from 'connect-redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/support/db.js';
import { config } from '../config.js';
import { db } from '../db/data-source.js';
import { Session } from '../db/entities/session.js';
import { User } from '../db/entities/user.js';
import { errorHandler } from '../http/errors.js';
import { clientMeta, requestId } from '../http/request-context.js';
import { clock } from '../shared/clock.js';
import { blockUser } from '../users/blocking.js';
import { actorOf, FIXTURE_PASSWORD, makeUser } from '../users/test-fixtures.js';
import { login } from './login.js';
import { authRedis, closeAuthRedis } from './redis.js';
import { DatabaseSessionStore } from './session-store.js';
import { createSessionMiddleware, endSession, establishSession, requireActor, setSessionStore } from './session.js';

useTestDatabase();

/** A tiny app with the real middleware: login, who-am-I, logout. */
async function startApp(): Promise<{ url: string; server: Server }> {
  const app = express();
  app.set('trust proxy', 'loopback');
  app.use(requestId);
  app.use(await createSessionMiddleware());
  app.use(express.json());
  app.post('/login', async (req, res) => {
    const meta = clientMeta(req);
    const user = await login(req.body, { ip: meta.ip ?? '', userAgent: meta.userAgent, channel: 'portal' });
    await establishSession(req, user, 'portal');
    res.json({ id: user.id });
  });
  app.get('/me', (req, res) => {
    const actor = requireActor(req);
    res.json({ id: actor.id, role: actor.role, email: req.currentUser?.email });
  });
  app.post('/change', (req, res) => {
    requireActor(req);
    res.json({ ok: true });
  });
  app.post('/logout', async (req, res) => {
    await endSession(req, res);
    res.status(204).end();
  });
  app.use(errorHandler);
  const server = app.listen(0);
  await new Promise((ok) => server.once('listening', ok));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** A browser's cookie jar, one cookie deep. */
class Browser {
  cookie: string | undefined;
  constructor(private readonly base: string) {}
  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookie) headers.set('cookie', this.cookie);
    if (init.body) headers.set('content-type', 'application/json');
    const res = await fetch(this.base + path, { ...init, headers, redirect: 'manual' });
    const set = res.headers.getSetCookie().find((c) => c.startsWith('qhealth.sid='));
    if (set) {
      const value = set.split(';')[0];
      this.cookie = value === 'qhealth.sid=' ? undefined : value;
    }
    // Read the whole body, as a browser does before its next click:
    // express-session finishes saving the session before the body's last byte.
    const body = await res.arrayBuffer();
    return new Response(res.status === 204 ? null : body, { status: res.status, headers: res.headers });
  }
  login(email: string, password = FIXTURE_PASSWORD, headers: Record<string, string> = {}) {
    return this.fetch('/login', { method: 'POST', body: JSON.stringify({ email, password }), headers });
  }
}

const stores = config().redisUrl ? (['database', 'redis'] as const) : (['database'] as const);

describe.each(stores)('sessions in the %s store', (storeKind) => {
  let app: { url: string; server: Server };
  beforeAll(async () => {
    if (storeKind === 'redis') {
      setSessionStore(new RedisStore({ client: await authRedis(), prefix: `qhealth:test:${process.pid}:${Date.now()}:sess:` }));
    } else {
      setSessionStore(new DatabaseSessionStore());
    }
    app = await startApp();
  });
  afterAll(async () => {
    app.server.close();
    setSessionStore(undefined);
    await closeAuthRedis();
  });
  afterEach(() => clock.reset());

  it('logs in with an httpOnly, SameSite=Lax cookie that is not Secure over plain HTTP', async () => {
    const patient = await makeUser('patient');
    const browser = new Browser(app.url);
    const res = await browser.login(patient.email);
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('qhealth.sid='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i);
    expect(await (await browser.fetch('/me')).json()).toEqual({ id: patient.id, role: 'patient', email: patient.email });
  });

  it('marks the cookie Secure when a trusted proxy says the request came over TLS', async () => {
    const patient = await makeUser('patient');
    const res = await new Browser(app.url).login(patient.email, FIXTURE_PASSWORD, { 'x-forwarded-proto': 'https' });
    expect(res.headers.getSetCookie().find((c) => c.startsWith('qhealth.sid='))).toMatch(/Secure/i);
  });

  it('answers 401 without a session', async () => {
    const res = await new Browser(app.url).fetch('/me');
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('unauthenticated');
  });

  it('gives a new session id at login, so an old one cannot be planted', async () => {
    const patient = await makeUser('patient');
    const browser = new Browser(app.url);
    await browser.login(patient.email);
    const first = browser.cookie;
    await browser.login(patient.email);
    expect(browser.cookie).not.toBe(first);
    const planted = new Browser(app.url);
    planted.cookie = first;
    expect((await planted.fetch('/me')).status).toBe(401);
  });

  it('destroys the session at logout', async () => {
    const patient = await makeUser('patient');
    const browser = new Browser(app.url);
    await browser.login(patient.email);
    const old = browser.cookie;
    expect((await browser.fetch('/logout', { method: 'POST' })).status).toBe(204);
    const replay = new Browser(app.url);
    replay.cookie = old;
    expect((await replay.fetch('/me')).status).toBe(401);
    if (storeKind === 'database') expect(await db().getRepository(Session).countBy({ userId: patient.id })).toBe(0);
  });

  it('ends the session at once when the user is blocked, changes epoch, or is deleted', async () => {
    for (const change of [
      { isBlocked: true },
      { sessionEpoch: 1 },
      { isActive: false },
      { role: 'operator' as const },
    ]) {
      const patient = await makeUser('patient');
      const browser = new Browser(app.url);
      await browser.login(patient.email);
      expect((await browser.fetch('/me')).status).toBe(200);
      await db().getRepository(User).update({ id: patient.id }, change);
      expect((await browser.fetch('/me')).status, JSON.stringify(change)).toBe(401);
      // Undoing the change does not bring the dropped session back.
      await db().getRepository(User).update({ id: patient.id }, { isBlocked: false, sessionEpoch: 0, isActive: true, role: 'patient' });
      expect((await browser.fetch('/me')).status).toBe(401);
    }
    const gone = await makeUser('patient');
    const browser = new Browser(app.url);
    await browser.login(gone.email);
    await db().getRepository(User).delete({ id: gone.id });
    expect((await browser.fetch('/me')).status).toBe(401);
  });

  it('ends every session of a user an admin blocks, on their very next request', async () => {
    const admin = await makeUser('admin');
    const doctorLike = await makeUser('patient');
    const phone = new Browser(app.url);
    const laptop = new Browser(app.url);
    await phone.login(doctorLike.email);
    await laptop.login(doctorLike.email);
    await blockUser(actorOf(admin), doctorLike.id, 'Left the clinic');
    expect((await phone.fetch('/me')).status).toBe(401);
    expect((await laptop.fetch('/me')).status).toBe(401);
    expect((await laptop.login(doctorLike.email)).status).toBe(401);
  });

  it('ends a session idle for more than 30 minutes', async () => {
    const patient = await makeUser('patient');
    const browser = new Browser(app.url);
    clock.set('2026-11-28T08:00:00Z');
    await browser.login(patient.email);
    clock.set('2026-11-28T08:29:00Z');
    expect((await browser.fetch('/me')).status).toBe(200);
    clock.set('2026-11-28T08:58:00Z');
    expect((await browser.fetch('/me')).status).toBe(200);
    clock.set('2026-11-28T09:28:01Z');
    expect((await browser.fetch('/me')).status).toBe(401);
  });

  it('ends even a busy session 12 hours after login', async () => {
    const patient = await makeUser('patient');
    const browser = new Browser(app.url);
    const start = new Date('2026-11-28T06:00:00Z').getTime();
    clock.set(new Date(start));
    await browser.login(patient.email);
    for (let minutes = 20; minutes < 12 * 60; minutes += 20) {
      clock.set(new Date(start + minutes * 60_000));
      expect((await browser.fetch('/me')).status, `after ${minutes} minutes`).toBe(200);
    }
    clock.set(new Date(start + 12 * 60 * 60_000 + 60_000));
    expect((await browser.fetch('/me')).status).toBe(401);
  });

  it('refuses a state-changing request from another origin with 403', async () => {
    const patient = await makeUser('patient');
    const browser = new Browser(app.url);
    await browser.login(patient.email);
    const evil = await browser.fetch('/change', { method: 'POST', headers: { origin: 'https://evil.example' } });
    expect(evil.status).toBe(403);
    expect((await evil.json()).error.code).toBe('forbidden');
    const evilReferer = await browser.fetch('/change', { method: 'POST', headers: { referer: 'https://evil.example/page' } });
    expect(evilReferer.status).toBe(403);
    expect((await browser.fetch('/change', { method: 'POST', headers: { origin: app.url } })).status).toBe(200);
    expect((await browser.fetch('/change', { method: 'POST', headers: { origin: config().publicUrl } })).status).toBe(200);
    expect((await browser.fetch('/change', { method: 'POST' })).status).toBe(200);
    // Reads are not state-changing.
    expect((await browser.fetch('/me', { headers: { origin: 'https://evil.example' } })).status).toBe(200);
  });
});

describe('the embedded session store', () => {
  it('keeps the user id beside each session so blocking can delete them', async () => {
    setSessionStore(new DatabaseSessionStore());
    const app = await startApp();
    try {
      const patient = await makeUser('patient');
      await new Browser(app.url).login(patient.email);
      await new Browser(app.url).login(patient.email);
      expect(await db().getRepository(Session).countBy({ userId: patient.id })).toBe(2);
    } finally {
      app.server.close();
    }
  });

  it('treats an expired row as no session and prunes expired rows when writing', async () => {
    const store = new DatabaseSessionStore();
    const sessions = db().getRepository(Session);
    await sessions.insert({ sid: 'stale-1', userId: null, data: '{"cookie":{}}', expiresAt: new Date(Date.now() - 1000) });
    await sessions.insert({ sid: 'stale-2', userId: null, data: '{"cookie":{}}', expiresAt: new Date(Date.now() - 1000) });
    const got = await new Promise((ok, fail) => store.get('stale-1', (err, data) => (err ? fail(err) : ok(data))));
    expect(got).toBeNull();
    await new Promise<void>((ok, fail) =>
      store.set('fresh', { cookie: { originalMaxAge: 60_000, expires: new Date(Date.now() + 60_000) } } as never, (err) => (err ? fail(err) : ok())),
    );
    expect(await sessions.countBy({ sid: 'stale-2' })).toBe(0);
    expect(await sessions.countBy({ sid: 'fresh' })).toBe(1);
  });
});
