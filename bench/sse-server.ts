/**
 * The web instance under test for bench/sse.ts, in its own process so that its
 * memory is measured alone. It serves the real stream endpoint over a fresh
 * SQLite database; a bench-only middleware names the user (`?user=`) instead
 * of a session, since logging in 5,000 clients measures the login, not SSE.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import express from 'express';
import { userActor } from '../server/access/actor.js';
import { SYSTEM_ACTOR } from '../server/access/actor.js';
import type { Role } from '../server/access/roles.js';
import { overrideConfig } from '../server/config.js';
import { closeDatabase, db, openDatabase } from '../server/db/data-source.js';
import { User } from '../server/db/entities/user.js';
import { errorHandler } from '../server/http/errors.js';
import { localChanges } from '../server/live/changes.js';
import { liveRouter, panelEventsHandler } from '../server/live/routes.js';
import { currentBus, currentHub, startLiveBus, stopLiveBus } from '../server/live/start.js';
import { inTransaction } from '../server/shared/unit-of-work.js';

type Message = { kind: 'publish'; seq: number; patientId: number } | { kind: 'stats' } | { kind: 'stop' };

const now = () => performance.timeOrigin + performance.now();

async function main(): Promise<void> {
  const staff = Number(process.argv[2] ?? 1000);
  const patients = Number(process.argv[3] ?? 0);
  const redisUrl = process.argv[4] || undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qhealth-bench-sse-'));
  const database = { kind: 'sqlite', path: path.join(dir, 'bench.sqlite') } as const;
  overrideConfig({ database, redisUrl });
  await openDatabase(database);
  const users: { id: number; role: Role }[] = [];
  await db().transaction(async (m) => {
    for (let i = 0; i < staff + patients; i++) {
      const role: Role = i < staff ? 'doctor' : 'patient';
      const saved = await m.getRepository(User).save(m.getRepository(User).create({
        email: `bench${i}@bench.test`, role, firstName: 'Bench', lastName: `User${i}`, isActive: true, isBlocked: false,
      }));
      users.push({ id: saved.id, role });
    }
  });
  await startLiveBus({ redisUrl, streamKey: `qhealth:bench:${process.pid}` });

  const byId = new Map(users.map((u) => [u.id, u]));
  const app = express();
  app.use((req, _res, next) => {
    const user = byId.get(Number(req.query.user));
    if (user) req.actor = userActor(user);
    next();
  });
  app.use('/api/events', liveRouter());
  app.get('/admin/api/events', panelEventsHandler());
  app.use(errorHandler);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((ok) => server.once('listening', ok));

  // The commit instant: publishChanges runs right after the transaction commits.
  const committedAt = new Map<number, number>();
  localChanges.emitter.on('change', (c: { id: number }) => committedAt.set(c.id, now()));
  // Subscribed after the hub, so this runs once every stream's write is queued.
  currentHub();
  const fannedOutAt = new Map<number, number>();
  const fanout: number[] = [];
  currentBus()!.subscribe((e) => {
    // The hub fans out in a microtask queued when the bus read began; this one runs after it.
    queueMicrotask(() => {
      const at = committedAt.get(e.change.id);
      if (at !== undefined) fanout.push(now() - at);
      fannedOutAt.set(e.change.id, now());
    });
  });

  // Where a slow delivery comes from: the event loop held up, or the collector.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const gcPauses: number[] = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcPauses.push(entry.duration);
  }).observe({ entryTypes: ['gc'] });

  process.on('message', async (message: Message) => {
    if (message.kind === 'publish') {
      await inTransaction(SYSTEM_ACTOR, async (w) => {
        await w.audit({ action: 'appointment.complete', resource: 'appointment', recordId: message.seq, patientId: message.patientId });
        w.changed({ resource: 'appointment', id: message.seq, action: 'updated', patientId: message.patientId });
      });
      process.send!({ kind: 'committed', seq: message.seq, at: committedAt.get(message.seq) });
    } else if (message.kind === 'stats') {
      const cpu = process.cpuUsage();
      const gc = gcPauses.splice(0).sort((a, b) => a - b);
      const loop = { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 };
      loopDelay.reset();
      process.send!({ kind: 'stats', cpuMs: (cpu.user + cpu.system) / 1000, fanout: fanout.splice(0), loop, gc: { count: gc.length, totalMs: gc.reduce((a, b) => a + b, 0), maxMs: gc.at(-1) ?? 0 }, rss: process.memoryUsage().rss, heapUsed: process.memoryUsage().heapUsed, streams: currentHub().streamCount });
    } else if (message.kind === 'stop') {
      await stopLiveBus();
      server.closeAllConnections();
      server.close();
      await closeDatabase();
      fs.rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    }
  });
  process.send!({ kind: 'ready', port: (server.address() as AddressInfo).port, users });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
