/**
 * The production shape of docker-compose.yml, proven with local services:
 * nginx (Debian's, with nginx/qhealth.conf) in front of two web instances and
 * a worker, on MariaDB, PostgreSQL and Redis. Runs when all three URLs and
 * nginx are present (CI), and says why it is skipped otherwise.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overrideConfig } from '../server/config.js';
import { closeDatabase, db, openDatabase } from '../server/db/data-source.js';
import { Appointment, Diagnostic, Notification } from '../server/db/entities/index.js';
import { makeUser, FIXTURE_PASSWORD } from '../server/users/test-fixtures.js';
import { createQueueDatabase, startSmtpSink, type QueueDatabase, type SmtpSink } from '../server/notifications/test-support.js';
import { createTestDatabase, testDatabaseKind } from './support/db.js';
import { NGINX_BIN, startNginx } from './support/nginx.js';
import { startProcess, startWeb, type Instance } from './support/processes.js';

const redisUrl = process.env.TEST_REDIS_URL || process.env.REDIS_URL;
const pgUrl = process.env.TEST_PG_BOSS_URL || process.env.PG_BOSS_URL;
const ready = testDatabaseKind() === 'mariadb' && !!redisUrl && !!pgUrl && !!NGINX_BIN;
const why = ready ? '' : ' (skipped: needs DATABASE_URL=mysql://…, REDIS_URL, PG_BOSS_URL and nginx)';

describe.skipIf(!ready)(`nginx → two web instances + a worker on MariaDB, PostgreSQL and Redis${why}`, () => {
  let dropDb: () => Promise<void>;
  let queue: QueueDatabase;
  let sink: SmtpSink;
  const web: Instance[] = [];
  let worker: ReturnType<typeof startProcess>;
  let proxy: { port: number; stop: () => Promise<void> };
  let base: string;
  let patientEmail: string;
  let diagnosticId: number;

  beforeAll(async () => {
    if (!fs.existsSync('dist/.build-complete')) {
      const built = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], { stdio: 'inherit' });
      if (built.status !== 0) throw new Error('npm run build failed');
    }
    const created = await createTestDatabase();
    dropDb = created.drop;
    if (created.database.kind !== 'mariadb') throw new Error('expected MariaDB');
    overrideConfig({ database: created.database });
    await openDatabase(created.database);
    const patient = await makeUser('patient', { firstName: 'Siobhán', lastName: "O'Connor-Ní Bhriain" });
    patientEmail = patient.email;
    diagnosticId = (await db().getRepository(Diagnostic).save(db().getRepository(Diagnostic).create({ name: 'MRI', durationMinutes: 30 }))).id;

    queue = await createQueueDatabase();
    sink = await startSmtpSink();
    const env = {
      NODE_ENV: 'production',
      DATABASE_URL: created.database.url,
      REDIS_URL: redisUrl!,
      PG_BOSS_URL: queue.pgBossUrl!,
      SMTP_URL: sink.url,
      SESSION_SECRET: 'topology-test-secret-0123456789abcdef',
      TRUST_PROXY: '127.0.0.1',
      LOG_LEVEL: 'warn',
    };
    web.push(await startWeb(env), await startWeb(env));
    worker = startProcess('server/worker.ts', env);
    proxy = await startNginx(web.map((w) => w.port));
    base = `http://127.0.0.1:${proxy.port}`;
  }, 180_000);

  afterAll(async () => {
    // Kept for CI artifacts: what each process said.
    fs.mkdirSync('test-results', { recursive: true });
    web.forEach((w, i) => fs.writeFileSync(`test-results/topology-web-${i + 1}.log`, w.output()));
    if (worker) fs.writeFileSync('test-results/topology-worker.log', worker.output());
    await proxy?.stop();
    await Promise.all([...web.map((w) => w.stop()), worker?.stop()]);
    await sink?.close();
    await queue?.drop();
    await closeDatabase();
    await dropDb?.();
  }, 60_000);

  async function login(): Promise<string> {
    const res = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base },
      body: JSON.stringify({ email: patientEmail, password: FIXTURE_PASSWORD }),
    });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')?.split(';')[0];
    expect(cookie).toMatch(/^qhealth\.sid=/);
    return cookie!;
  }

  it('serves the portal files from nginx and the API from the instances', async () => {
    const index = await fetch(`${base}/`);
    expect(index.status).toBe(200);
    const html = await index.text();
    const asset = html.match(/\/assets\/[\w.-]+\.js/)?.[0];
    expect(asset).toBeTruthy();
    const js = await fetch(`${base}${asset}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('cache-control')).toContain('immutable');
    const missing = await fetch(`${base}/api/no-such-thing`);
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('not_found');
  });

  it('keeps one session across both instances (sessions live in Redis)', async () => {
    const cookie = await login();
    for (const w of web) {
      const res = await fetch(`http://127.0.0.1:${w.port}/api/me`, { headers: { cookie } });
      expect(res.status).toBe(200);
      expect((await res.json()).email).toBe(patientEmail);
    }
  });

  it('carries a change made on instance 2 to a stream held through nginx, and mails the patient once', async () => {
    const cookie = await login();
    const controller = new AbortController();
    const stream = await fetch(`${base}/api/events`, { headers: { cookie, accept: 'text/event-stream' }, signal: controller.signal });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const reader = stream.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    // Let the stream subscribe before the change is made.
    await new Promise((r) => setTimeout(r, 300));

    const created = await fetch(`http://127.0.0.1:${web[1].port}/api/requests`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', origin: `http://127.0.0.1:${web[1].port}` },
      body: JSON.stringify({ diagnosticId, note: 'Knee pain after a fall' }),
    });
    expect(created.status).toBe(201);
    const appointment = await created.json();

    const deadline = Date.now() + 2_000;
    while (!text.includes(`"id":${appointment.id}`) && Date.now() < deadline) {
      const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), deadline - Date.now()))]);
      if (!chunk || chunk.done) break;
      text += decoder.decode(chunk.value, { stream: true });
    }
    controller.abort();
    const data = text.split('\n').filter((l) => l.startsWith('data:')).map((l) => JSON.parse(l.slice(5)));
    const event = data.find((d) => d.id === appointment.id);
    expect(event).toEqual({ resource: 'appointment', id: appointment.id, action: 'created' });

    // The worker relays the outbox row through PostgreSQL and SMTP: one mail, to the patient.
    await sink.waitFor(() => sink.received.some((m) => m.to.includes(patientEmail)), 30_000);
    await new Promise((r) => setTimeout(r, 1_000));
    const mails = sink.received.filter((m) => m.to.includes(patientEmail));
    expect(mails).toHaveLength(1);
    expect(mails[0].text).not.toContain('Knee pain');
    const row = await db().getRepository(Notification).findOneByOrFail({ recipientUserId: (await db().getRepository(Appointment).findOneByOrFail({ id: appointment.id })).patientId });
    expect(row.status).toBe('sent');
  }, 60_000);

  it('locks a login after five failures even when the client forges X-Forwarded-For', async () => {
    const target = await makeUser('patient');
    const attempt = (password: string, i: number) =>
      fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: base, 'x-forwarded-for': `198.51.100.${i}` },
        body: JSON.stringify({ email: target.email, password }),
      });
    for (let i = 1; i <= 5; i++) expect((await attempt('not the password', i)).status).toBe(401);
    const locked = await attempt(FIXTURE_PASSWORD, 6);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(500);
  });

  it('answers an oversized body with 413 through the proxy', async () => {
    const res = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base },
      body: JSON.stringify({ email: 'x@y.test', password: 'p'.repeat(200_000) }),
    });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('payload_too_large');
  });
});
