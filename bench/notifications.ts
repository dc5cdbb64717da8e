/**
 * Notifications end to end: 10,000 committed outbox rows → relay → pg-boss →
 * SMTP sink, with the worker already running,
 * against a floor measured in the same run: nodemailer sending straight to
 * the same sink with the same concurrency. Prints figures; asserts nothing.
 *
 *   npm run bench:notifications                       # SQLite + embedded PGlite
 *   PG_BOSS_URL=postgres://postgres@127.0.0.1:5432/postgres \
 *   DATABASE_URL=mysql://qhealth:qhealth@127.0.0.1:3306/qhealth npm run bench:notifications
 *
 * With DATABASE_URL / PG_BOSS_URL set it creates (and drops) throw-away
 * databases next to the ones named; it never writes into them.
 */
import type { AddressInfo } from 'node:net';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { SYSTEM_ACTOR } from '../server/access/actor.js';
import { config, overrideConfig } from '../server/config.js';
import { closeDatabase, openDatabase } from '../server/db/data-source.js';
import { createQueueDatabase } from '../test/notifications-support.js';
import { createTestDatabase } from '../test/support/databases.js';
import { startWorker } from '../server/notifications/worker-loop.js';
import { renderNotification } from '../server/notifications/templates.js';
import { notifyMany } from '../server/jobs/outbox.js';
import { inTransaction } from '../server/shared/unit-of-work.js';

const TOTAL = Number(process.argv[2] ?? 10_000);
const concurrency = config().worker.concurrency;

/** A sink that only counts: the Message-ID header is all it reads. */
async function startCountingSink() {
  const seen = new Set<string>();
  let accepted = 0;
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
    onData(stream, _session, callback) {
      let head = '';
      stream.on('data', (chunk: Buffer) => { if (head.length < 4096) head += chunk.toString('latin1'); });
      stream.on('end', () => {
        const id = /^Message-ID:\s*(\S+)/im.exec(head)?.[1] ?? `anon-${accepted}`;
        seen.add(id);
        accepted++;
        callback();
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
    seen,
    get accepted() { return accepted; },
    reset() { seen.clear(); accepted = 0; },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

async function recordsDatabase() {
  const created = await createTestDatabase('qhealth_bench');
  return { label: created.database.kind === 'mariadb' ? 'MariaDB' : 'SQLite', ...created };
}

async function waitFor(predicate: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function measureFloor(sinkUrl: string, count: number): Promise<number> {
  const transport = nodemailer.createTransport({ url: sinkUrl, pool: true, maxConnections: concurrency, maxMessages: Infinity } as Parameters<typeof nodemailer.createTransport>[0]);
  const mail = renderNotification('welcome', { firstName: 'Bench' });
  const started = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) {
      const i = next++;
      await transport.sendMail({ from: config().mail.from, to: `p${i}@example.org`, messageId: `<floor-${i}@bench>`, ...mail });
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  transport.close();
  return count / seconds;
}

const sink = await startCountingSink();
const records = await recordsDatabase();
const queueDb = await createQueueDatabase();
overrideConfig({
  database: records.database,
  pgBossUrl: queueDb.pgBossUrl,
  pgliteDir: queueDb.pgliteDir ?? config().pgliteDir,
  mail: { ...config().mail, smtpUrl: sink.url },
  publicUrl: 'https://clinic.example.org',
});
await openDatabase(records.database);

console.log(`records: ${records.label}; queue: ${queueDb.kind === 'postgres' ? 'PostgreSQL' : 'PGlite (embedded)'}; concurrency ${concurrency}; ${TOTAL} notifications`);

const floor = await measureFloor(sink.url, TOTAL);
sink.reset();

const worker = await startWorker({ schedule: false });
// The outbox is filled in one transaction (multi-row inserts, as a season
// greeting does), so the clock below measures the worker, not the writers.
const writeStarted = performance.now();
await inTransaction(SYSTEM_ACTOR, (w) => notifyMany(w.manager, Array.from({ length: TOTAL }, (_, j) => ({
  kind: 'welcome', toEmail: `p${j}@example.org`, data: { firstName: `P${j}` }, dedupeKey: `bench:${j}`,
}))));
const started = performance.now();
await waitFor(() => sink.seen.size >= TOTAL, 600_000);
const finished = performance.now();
await worker.stop();

const endToEnd = TOTAL / ((finished - started) / 1000);
console.log(`outbox written in:        ${((started - writeStarted) / 1000).toFixed(2)} s (one transaction, not counted below)`);
console.log(`end to end:               ${endToEnd.toFixed(0)} notifications/s (${((finished - started) / 1000).toFixed(2)} s for ${TOTAL})`);
console.log(`floor (nodemailer→sink):  ${floor.toFixed(0)} sends/s`);
console.log(`end to end / floor:       ${(endToEnd / floor).toFixed(2)}`);
console.log(`repeats (same Message-ID): ${sink.accepted - sink.seen.size}`);

await closeDatabase();
await sink.close();
await queueDb.drop();
await records.drop();
