import type PgBoss from 'pg-boss';
import { completePastAppointments } from '../appointments/completion.js';
import { queueReminders } from '../appointments/reminders.js';
import { config } from '../config.js';
import { QUEUES } from '../notifications/boss.js';
import { clock } from '../shared/clock.js';
import { queueBirthdayGreetings, queueSeasonGreetings } from './greetings.js';
import { removeExpiredRecords } from './housekeeping.js';

/**
 * The scheduled jobs, as pg-boss cron schedules in the clinic's time zone.
 * pg-boss keeps schedules in its database and lets one worker fire each tick,
 * however many workers run. Every job is idempotent, so the schedules repeat
 * them generously (greetings every hour after 10:00) to cover a worker that
 * was down at the exact minute.
 */
export const SCHEDULED_JOBS: { queue: string; cron: string; enabled: () => boolean; run: (now: Date) => Promise<unknown> }[] = [
  { queue: QUEUES.reminders, cron: '*/15 * * * *', enabled: () => true, run: queueReminders },
  { queue: QUEUES.birthdays, cron: '0 10-23 * * *', enabled: () => config().greetings.birthday, run: queueBirthdayGreetings },
  { queue: QUEUES.seasons, cron: '0 10-23 25,31 12 *', enabled: () => config().greetings.season, run: queueSeasonGreetings },
  { queue: QUEUES.completePast, cron: '*/15 * * * *', enabled: () => true, run: completePastAppointments },
  { queue: QUEUES.cleanup, cron: '30 3 * * *', enabled: () => true, run: removeExpiredRecords },
];

export async function startScheduledJobs(boss: PgBoss): Promise<void> {
  const tz = config().clinic.timeZone;
  for (const job of SCHEDULED_JOBS) {
    // A switched-off greeting is unscheduled, so the setting also holds for other workers' schedules.
    if (job.enabled()) await boss.schedule(job.queue, job.cron, {}, { tz });
    else await boss.unschedule(job.queue);
    await boss.work(job.queue, { batchSize: 1, pollingIntervalSeconds: 5 }, async () => {
      const result = await job.run(clock.now());
      if (result) console.info(`[worker] ${job.queue}:`, JSON.stringify(result));
    });
    // Once at start-up too: a worker that was down when a tick was due catches
    // up now (the jobs are idempotent, so a second worker doing the same is harmless).
    if (job.enabled()) await boss.send(job.queue, {});
  }
}
