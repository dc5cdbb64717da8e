import fs from 'node:fs';
import path from 'node:path';
import PgBoss from 'pg-boss';
import { config } from '../config.js';

/**
 * The job queue: pg-boss on PostgreSQL (PG_BOSS_URL) in production, on an
 * embedded PGlite in the quick start. PGlite runs on the calling thread and
 * locks nothing across processes, so only the worker process opens it (one
 * worker per data folder); the web server never touches the queue — it
 * writes outbox rows, and the worker relays them.
 */
export const QUEUES = {
  deliver: 'notification-deliver',
  reminders: 'job-appointment-reminders',
  birthdays: 'job-birthday-greetings',
  seasons: 'job-season-greetings',
  completePast: 'job-complete-past-appointments',
  cleanup: 'job-cleanup',
} as const;

export interface Queue {
  boss: PgBoss;
  close(): Promise<void>;
}

interface PgliteLike {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
  exec(text: string): Promise<{ rows: unknown[] }[]>;
  close(): Promise<void>;
}

/** pg-boss's adapter contract: `executeSql(text, values)` → `{ rows }`. */
function pgliteAdapter(pg: PgliteLike) {
  return {
    async executeSql(text: string, values?: unknown[]) {
      // pg-boss sends its schema and locked commands as several statements
      // without parameters; PGlite runs those only through exec().
      if (!values || values.length === 0) {
        const results = await pg.exec(text);
        return { rows: results.at(-1)?.rows ?? [] };
      }
      return pg.query(text, values);
    },
  };
}

export async function openQueue(options: { schedule?: boolean } = {}): Promise<Queue> {
  const c = config();
  const common = {
    schema: 'pgboss',
    // The worker decides when a lost job (a killed worker) is retried.
    maintenanceIntervalSeconds: Math.min(60, Math.max(1, Math.floor(c.worker.jobTimeoutSeconds / 2))),
    monitorStateIntervalSeconds: 60,
    schedule: options.schedule ?? true,
    supervise: true,
    archiveCompletedAfterSeconds: 3600,
    archiveFailedAfterSeconds: 7 * 24 * 3600,
  };
  let pglite: PgliteLike | undefined;
  let releaseLock = () => {};
  let boss: PgBoss;
  if (c.pgBossUrl) {
    boss = new PgBoss({ ...common, connectionString: c.pgBossUrl, max: 5 });
  } else {
    fs.mkdirSync(c.pgliteDir, { recursive: true });
    releaseLock = lockDataDir(c.pgliteDir);
    const { PGlite } = await import('@electric-sql/pglite');
    pglite = (await PGlite.create({ dataDir: c.pgliteDir })) as unknown as PgliteLike;
    boss = new PgBoss({ ...common, db: pgliteAdapter(pglite) });
  }
  boss.on('error', (err: Error) => console.error('[worker] queue error:', err.message));
  await boss.start();
  await createQueues(boss);
  return {
    boss,
    async close() {
      await boss.stop({ graceful: true, wait: true, close: true, timeout: 30_000 });
      await pglite?.close();
      releaseLock();
    },
  };
}

/**
 * PGlite locks nothing: two processes on one data folder would corrupt it.
 * A pid file refuses a second worker; one left by a killed worker is taken over.
 */
function lockDataDir(dir: string): () => void {
  const file = `${path.resolve(dir)}.worker.pid`;
  try {
    const holder = Number(fs.readFileSync(file, 'utf8'));
    if (holder && holder !== process.pid && isAlive(holder)) {
      throw new Error(`the embedded job queue in ${dir} is in use by worker process ${holder}; run one worker per PGLITE_DIR, or set PG_BOSS_URL`);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  fs.writeFileSync(file, String(process.pid));
  return () => fs.rmSync(file, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Sending to a queue that does not exist returns null silently: create them all first. */
async function createQueues(boss: PgBoss): Promise<void> {
  const c = config().worker;
  for (const name of Object.values(QUEUES)) {
    const options: PgBoss.Queue = name === QUEUES.deliver
      ? {
          name,
          retryLimit: c.mailRetryLimit,
          retryDelay: c.mailRetryDelaySeconds,
          retryBackoff: true,
          expireInSeconds: c.jobTimeoutSeconds,
        }
      : { name, retryLimit: 3, retryDelay: 60, retryBackoff: true, expireInSeconds: 15 * 60 };
    if (await boss.getQueue(name)) await boss.updateQueue(name, options);
    else await boss.createQueue(name, options);
  }
}
