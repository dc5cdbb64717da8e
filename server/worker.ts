/**
 * The worker process (`npm run worker`): outbox relay, mail delivery and the
 * scheduled jobs. In the quick start it runs beside the web server and owns
 * the embedded job queue (PGlite); in production any number of them run
 * against PostgreSQL. SIGTERM/SIGINT: stop fetching, finish what is in
 * flight, close the databases, exit 0.
 */
import { config } from './config.js';
import { closeDatabase, openDatabase } from './db/data-source.js';
import { startWorker } from './notifications/worker-loop.js';

const c = config();
await openDatabase();
const worker = await startWorker();
console.info(`[worker] running: queue on ${c.pgBossUrl ? 'PostgreSQL' : `embedded PGlite (${c.pgliteDir})`}, mail ${c.mail.smtpUrl ? 'via SMTP' : `to ${c.mail.dir}`}`);
process.send?.('ready');

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.info(`[worker] ${signal}: finishing in-flight jobs`);
  try {
    await worker.stop();
    await closeDatabase();
    process.exit(0);
  } catch (err) {
    console.error('[worker] unclean stop:', err);
    process.exit(1);
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
