import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import type PgBoss from 'pg-boss';
import { In } from 'typeorm';
import { staleReminders } from '../appointments/reminders.js';
import { db } from '../db/data-source.js';
import { Notification } from '../db/entities/notification.js';
import { clock } from '../shared/clock.js';
import { QUEUES } from './boss.js';
import type { Mailer } from './mailer.js';
import type { DeliveryJobData } from './relay.js';
import { renderNotification } from './templates.js';

type DeliveryJob = PgBoss.JobWithMetadata<DeliveryJobData>;

/**
 * Delivers one fetched batch of jobs: loads the rows, skips those already
 * sent or skipped, marks reminders that no longer hold `skipped`, sends the rest (at most `concurrency` at once), records the outcome
 * on the row, and completes or fails each job in pg-boss, which retries a
 * failed one with exponential backoff until its retry limit.
 *
 * Exactly once at the receiver is impossible across two stores: if the
 * process dies after the SMTP server accepted a mail and before the row is
 * marked `sent`, the job is retried after its timeout and the mail goes out
 * again. That window is one single-row UPDATE by primary key, issued the
 * moment SMTP answers 250; the repeat carries the same Message-ID, so a
 * receiver (and our tests) can recognise it.
 */
export async function deliverBatch(boss: PgBoss, mailer: Mailer, jobs: DeliveryJob[], concurrency: number): Promise<void> {
  const repo = db().getRepository(Notification);
  const ids = jobs.map((j) => Number(j.data.notificationId));
  const rows = new Map((await repo.findBy({ id: In(ids) })).map((r) => [r.id, r]));

  const done: string[] = [];
  let toSend: { job: DeliveryJob; row: Notification }[] = [];
  for (const job of jobs) {
    const row = rows.get(Number(job.data.notificationId));
    // Sent: a repeat after a crash. Failed: a stale job (an admin's retry re-opens the row as pending first).
    // Skipped: no longer to be sent (a reminder of an appointment cancelled while its job waited for a retry).
    if (!row || row.status === 'sent' || row.status === 'failed' || row.status === 'skipped') done.push(job.id);
    else toSend.push({ job, row });
  }
  const stale = await staleReminders(toSend.map((s) => s.row));
  if (stale.size) {
    // Only rows still open: one sent meanwhile by another worker keeps its status.
    await repo.createQueryBuilder().update(Notification).set({ status: 'skipped' })
      .where('id IN (:...ids) AND status IN (:...open)', { ids: [...stale], open: ['pending', 'queued'] }).execute();
    done.push(...toSend.filter((s) => stale.has(s.row.id)).map((s) => s.job.id));
    toSend = toSend.filter((s) => !stale.has(s.row.id));
  }
  if (toSend.length) {
    await repo.increment({ id: In(toSend.map((s) => s.row.id)) }, 'attempts', 1);
  }

  const failures: { job: DeliveryJob; error: string }[] = [];
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < toSend.length) {
      const { job, row } = toSend[next++];
      const outcome = await deliverOne(mailer, job, row);
      if (outcome === 'done') done.push(job.id);
      else failures.push({ job, error: outcome.error });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, toSend.length) }, lane));

  if (done.length) await boss.complete(QUEUES.deliver, done);
  for (const f of failures) await boss.fail(QUEUES.deliver, f.job.id, { message: f.error });
}

async function deliverOne(mailer: Mailer, job: DeliveryJob, row: Notification): Promise<'done' | { error: string }> {
  const repo = db().getRepository(Notification);
  let mail;
  try {
    mail = renderNotification(row.kind, row.data);
  } catch (err) {
    // A template cannot succeed on a later try: fail the row at once.
    await repo.update({ id: row.id }, { status: 'failed', lastError: describe(err) });
    return 'done';
  }
  try {
    await mailer.send(row.id, row.toEmail, mail);
  } catch (err) {
    const lastAttempt = job.retryCount >= job.retryLimit;
    const error = describe(err);
    // A row skipped while this try was at the mail server stays skipped: it is not a delivery to retry.
    await repo.update({ id: row.id }, { lastError: error });
    if (lastAttempt) await repo.update({ id: row.id, status: In(['pending', 'queued']) }, { status: 'failed' });
    return { error };
  }
  await repo.update({ id: row.id }, { status: 'sent', sentAt: clock.now(), lastError: null, ...redactedLink(row.data) });
  return 'done';
}

/**
 * One-time tokens are stored hashed (SPEC §2); the outbox row carries the
 * plain link only until the mail is out. After that the token is blanked, so
 * the database never keeps a usable link.
 */
function redactedLink(data: Record<string, unknown>): { data?: QueryDeepPartialEntity<Record<string, unknown>> } {
  if (typeof data.link !== 'string' || !/token=/.test(data.link)) return {};
  return { data: { ...data, link: data.link.replace(/token=[^&#]*/, 'token=redacted') } as QueryDeepPartialEntity<Record<string, unknown>> };
}

function describe(err: unknown): string {
  const e = err as { message?: string; responseCode?: number; code?: string };
  const text = e.message ?? String(err);
  return (e.responseCode && !text.includes(String(e.responseCode)) ? `${e.responseCode} ${text}` : text).slice(0, 1000);
}
