import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../server/access/actor.js';
import { config } from '../server/config.js';
import { db } from '../server/db/data-source.js';
import { Notification } from '../server/db/entities/notification.js';
import { createQueueDatabase, notificationIdOf, startSmtpSink, type QueueDatabase, type SmtpSink } from './notifications-support.js';
import { inTransaction } from '../server/shared/unit-of-work.js';
import { useTestDatabase } from './support/db.js';

/**
 * The worker as a real child process (`server/worker.ts`) against this
 * file's databases and an SMTP sink in the test process: killed with
 * SIGKILL in the middle of a batch, then restarted; and stopped with SIGTERM.
 */
useTestDatabase();

let queueDb: QueueDatabase;
let sink: SmtpSink;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  queueDb = await createQueueDatabase();
  sink = await startSmtpSink();
}, 60_000);

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await sink?.close();
  await queueDb?.drop();
}, 60_000);

const CONCURRENCY = 10;

function workerEnv(): NodeJS.ProcessEnv {
  const c = config();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    PUBLIC_URL: 'https://clinic.example.org',
    SMTP_URL: sink.url,
    OUTBOX_POLL_MS: '100',
    MAIL_RETRY_DELAY_SECONDS: '1',
    WORKER_CONCURRENCY: String(CONCURRENCY),
    // A job a killed worker left active is retried after this long.
    WORKER_JOB_TIMEOUT_SECONDS: '5',
  };
  delete env.DATABASE_URL;
  delete env.PG_BOSS_URL;
  if (c.database.kind === 'mariadb') env.DATABASE_URL = c.database.url;
  else env.SQLITE_PATH = c.database.path;
  if (queueDb.pgBossUrl) env.PG_BOSS_URL = queueDb.pgBossUrl;
  else env.PGLITE_DIR = queueDb.pgliteDir;
  return env;
}

async function startChild(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/worker.ts'], { env: workerEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  let output = '';
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      output += d.toString();
      if (output.includes('[worker] running')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready:\n${output}`)));
  });
  return child;
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

async function writeOutbox(prefix: string, count: number): Promise<number[]> {
  for (let i = 0; i < count; i += 250) {
    await inTransaction(SYSTEM_ACTOR, async (w) => {
      for (let j = i; j < Math.min(count, i + 250); j++) {
        await w.notify({ kind: 'welcome', toEmail: `p${j}@example.org`, data: { firstName: `P${j}` }, dedupeKey: `${prefix}:${j}` });
      }
    });
  }
  const rows = await db().getRepository(Notification).createQueryBuilder('n')
    .select(['n.id']).where('n.dedupeKey LIKE :p', { p: `${prefix}:%` }).getMany();
  return rows.map((r) => r.id);
}

function deliveriesOf(ids: number[]): { distinct: number; total: number; missing: number[] } {
  const wanted = new Set(ids);
  const counts = new Map<number, number>();
  for (const m of sink.received) {
    const id = notificationIdOf(m.messageId);
    if (wanted.has(id)) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return {
    distinct: counts.size,
    total: [...counts.values()].reduce((a, b) => a + b, 0),
    missing: ids.filter((id) => !counts.has(id)),
  };
}

describe('the worker process', () => {
  it('delivers every one of 1,000 notifications exactly once by Message-ID after a kill -9 mid-batch and a restart', async () => {
    const ids = await writeOutbox('crash', 1000);
    expect(ids).toHaveLength(1000);

    const first = await startChild();
    await sink.waitFor(() => deliveriesOf(ids).distinct >= 200, 60_000);
    first.kill('SIGKILL');
    const killed = await exited(first);
    expect(killed.signal).toBe('SIGKILL');
    const atKill = deliveriesOf(ids).distinct;
    expect(atKill).toBeLessThan(1000);
    // Rows a delivery had started on (attempt counted) but not finished: the batch the kill cut into.
    const cut = await db().getRepository(Notification).createQueryBuilder('n')
      .where('n.dedupeKey LIKE :p AND n.status = :s AND n.attempts > 0', { p: 'crash:%', s: 'queued' }).getCount();

    const second = await startChild();
    try {
      await sink.waitFor(() => deliveriesOf(ids).distinct === 1000, 90_000);
      // The last rows are marked sent just after their mail is accepted; on a
      // loaded machine that can take a moment.
      const statuses = async () => (await db().getRepository(Notification).createQueryBuilder('n')
        .select('n.status', 'status').addSelect('COUNT(*)', 'count')
        .where('n.dedupeKey LIKE :p', { p: 'crash:%' }).groupBy('n.status').getRawMany())
        .map((s) => [s.status, Number(s.count)]);
      for (let waited = 0; waited < 30_000 && JSON.stringify(await statuses()) !== JSON.stringify([['sent', 1000]]); waited += 200) {
        await new Promise((r) => setTimeout(r, 200));
      }
      await new Promise((r) => setTimeout(r, 500));

      const result = deliveriesOf(ids);
      expect(result.missing).toEqual([]);
      expect(result.distinct).toBe(1000);
      // A repeat can only come from mails the SMTP server accepted in the instant
      // before the kill, before their row was marked sent: at most one per lane.
      expect(result.total - result.distinct).toBeLessThanOrEqual(CONCURRENCY);
      console.info(`kill -9 after ${atKill} mails with ${cut} in flight; repeats (same Message-ID): ${result.total - result.distinct}`);
      expect(await statuses()).toEqual([['sent', 1000]]);
    } finally {
      second.kill('SIGTERM');
      expect(await exited(second)).toEqual({ code: 0, signal: null });
    }
  }, 180_000);

  it('finishes in-flight mail and exits 0 on SIGTERM, and a restarted worker sends the rest once', async () => {
    const ids = await writeOutbox('graceful', 300);
    sink.answer = () => null;
    const worker = await startChild();
    await sink.waitFor(() => deliveriesOf(ids).distinct >= 50, 60_000);
    worker.kill('SIGTERM');
    expect(await exited(worker)).toEqual({ code: 0, signal: null });

    // Every mail the sink accepted is recorded as sent: nothing was cut off mid-send.
    const sentRows = await db().getRepository(Notification).createQueryBuilder('n')
      .where('n.dedupeKey LIKE :p AND n.status = :s', { p: 'graceful:%', s: 'sent' }).getCount();
    expect(sentRows).toBe(deliveriesOf(ids).distinct);

    const again = await startChild();
    await sink.waitFor(() => deliveriesOf(ids).distinct === 300, 60_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(deliveriesOf(ids)).toEqual({ distinct: 300, total: 300, missing: [] });
    again.kill('SIGTERM');
    expect((await exited(again)).code).toBe(0);
  }, 120_000);
});
