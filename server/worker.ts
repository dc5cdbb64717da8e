/**
 * The worker process (`npm run worker`): outbox relay, mail delivery and the
 * scheduled jobs. In the quick start it runs beside the web server and owns
 * the embedded job queue (PGlite); in production any number of them run
 * against PostgreSQL. SIGTERM/SIGINT: stop fetching, finish what is in
 * flight, close the databases, exit 0.
 */
import { config } from './config.js';
import { closeDatabase, openDatabase } from './db/data-source.js';
import { startLiveBus, stopLiveBus } from './live/start.js';
import { startWorker, type RunningWorker } from './notifications/worker-loop.js';

/**
 * In the quick start the web server creates the embedded schema at the same
 * moment; a clash there is retried rather than fatal.
 */
async function openDatabaseWithRetry(): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await openDatabase();
      return;
    } catch (err) {
      if (attempt >= 5) throw err;
      console.warn(`[worker] database not ready (${(err as Error).message}); retrying`);
      await closeDatabase().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 1000 * attempt));
    }
  }
}

let stopping = false;
let worker: RunningWorker | undefined = undefined;
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

const c = config();
await openDatabaseWithRetry();
// Jobs change records (past appointments completed): open lists hear of it
// through the live bus (Redis when configured), published, never subscribed.
await startLiveBus({ subscribe: false });
worker = await startWorker();
console.info(`[worker] running: queue on ${c.pgBossUrl ? 'PostgreSQL' : `embedded PGlite (${c.pgliteDir})`}, mail ${c.mail.smtpUrl ? 'via SMTP' : `to ${c.mail.dir}`}`);
// A stop asked for while starting is carried out now that there is something to stop.
if (stopping) await stop('SIGTERM');

async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  if (worker) await stop(signal);
}

async function stop(signal: string): Promise<void> {
  console.info(`[worker] ${signal}: finishing in-flight jobs`);
  try {
    await worker?.stop();
    await stopLiveBus();
    await closeDatabase();
    process.exit(0);
  } catch (err) {
    console.error('[worker] unclean stop:', err);
    process.exit(1);
  }
}
