import type PgBoss from 'pg-boss';
import { config } from '../config.js';
import { startScheduledJobs } from '../jobs/schedule.js';
import { openQueue, QUEUES, type Queue } from './boss.js';
import { deliverBatch } from './delivery.js';
import { createMailer, type Mailer } from './mailer.js';
import { relayOutbox, type DeliveryJobData } from './relay.js';

/**
 * The worker: relays the outbox into the queue, delivers mail, and runs the
 * scheduled jobs. Delivery fetches batches itself instead of pg-boss `work()`,
 * which waits a polling interval after every fetch; a busy queue is drained
 * back to back, an empty one is polled.
 */
export interface RunningWorker {
  queue: Queue;
  /** Stops fetching, lets in-flight deliveries and jobs finish, closes the queue. */
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startWorker(options: { schedule?: boolean } = {}): Promise<RunningWorker> {
  const c = config().worker;
  const queue = await openQueue({ schedule: options.schedule });
  const mailer = createMailer();
  let stopping = false;
  let wake: (() => void) | undefined;
  const nap = (ms: number) => new Promise<void>((r) => {
    const t = setTimeout(r, ms);
    wake = () => { clearTimeout(t); r(); };
  });

  const relayLoop = (async () => {
    while (!stopping) {
      try {
        const moved = await relayOutbox(queue.boss);
        if (moved >= 500) continue;
      } catch (err) {
        console.error('[worker] outbox relay failed:', (err as Error).message);
      }
      await nap(c.outboxPollMs);
    }
  })();

  // Two fetch loops share the lanes: one sends while the other fetches and
  // completes, so the SMTP connections do not idle between batches.
  const lanes = Math.max(1, Math.ceil(c.concurrency / 2));
  const deliveryLoop = Promise.all([1, 2].map(() => runDeliveries(queue.boss, mailer, lanes, () => stopping)));
  if (options.schedule !== false) await startScheduledJobs(queue.boss);

  return {
    queue,
    async stop() {
      stopping = true;
      wake?.();
      await Promise.all([relayLoop, deliveryLoop]);
      await queue.close();
      mailer.close();
    },
  };
}

async function runDeliveries(boss: PgBoss, mailer: Mailer, concurrency: number, stopping: () => boolean): Promise<void> {
  while (!stopping()) {
    try {
      // Two mails per lane at most: a fetched job must be done well before its
      // timeout (WORKER_JOB_TIMEOUT_SECONDS) even when SMTP is slow, or it
      // would be handed out a second time while still being sent.
      const jobs = await boss.fetch<DeliveryJobData>(QUEUES.deliver, { batchSize: concurrency * 2, includeMetadata: true });
      if (jobs.length === 0) {
        await sleep(200);
        continue;
      }
      await deliverBatch(boss, mailer, jobs, concurrency);
    } catch (err) {
      console.error('[worker] delivery failed:', (err as Error).message);
      await sleep(1000);
    }
  }
}
