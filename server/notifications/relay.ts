import crypto from 'node:crypto';
import type PgBoss from 'pg-boss';
import type { EntityManager } from 'typeorm';
import { db, isMariaDb } from '../db/data-source.js';
import { Notification } from '../db/entities/notification.js';
import { clock } from '../shared/clock.js';
import { QUEUES } from './boss.js';

/**
 * The outbox relay: moves `pending` notification rows into the delivery
 * queue. The two stores (records database, job queue) share no transaction,
 * so every step is safe to repeat:
 *
 * 1. claim pending rows (MariaDB: FOR UPDATE SKIP LOCKED, so several workers
 *    split the work; SQLite has one writer and one worker);
 * 2. insert one job per row whose id is derived from the notification id —
 *    pg-boss inserts with ON CONFLICT DO NOTHING, so a repeat is a no-op;
 * 3. mark the rows `queued`.
 *
 * A crash after 2 and before 3 leaves the rows pending; the next pass inserts
 * the same job ids again and nothing is duplicated. A crash before 2 loses
 * nothing: the rows are still pending.
 */
export interface DeliveryJobData {
  notificationId: number;
}

const NAMESPACE = 'qhealth:notification:';

/** A UUID (version 5 layout, SHA-1 based) that is the same for the same notification, on every worker. */
export function deliveryJobId(notificationId: number): string {
  const hash = crypto.createHash('sha1').update(`${NAMESPACE}${notificationId}`).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

interface PendingRow {
  id: number;
  attempts: number;
}

/** One pass: relays up to `limit` pending rows; returns how many it relayed. */
export async function relayOutbox(boss: PgBoss, limit = 500): Promise<number> {
  const ds = db();
  if (isMariaDb(ds)) {
    return ds.transaction(async (manager) => {
      const rows: PendingRow[] = await manager.query(
        'SELECT id, attempts FROM notifications WHERE status = ? ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED',
        ['pending', limit],
      );
      return relayRows(boss, manager, rows);
    });
  }
  const rows: PendingRow[] = await ds.query('SELECT id, attempts FROM notifications WHERE status = ? ORDER BY id LIMIT ?', ['pending', limit]);
  return relayRows(boss, ds.manager, rows);
}

async function relayRows(boss: PgBoss, manager: EntityManager, rows: PendingRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  await boss.insert(rows.map((r) => ({
    id: deliveryJobId(r.id),
    name: QUEUES.deliver,
    data: { notificationId: Number(r.id) } satisfies DeliveryJobData,
  })));
  // A row that was already tried is an admin's retry of a failed delivery:
  // its job still exists as `failed` (the insert above was ignored), so it is
  // revived for one more attempt. On any other job state this does nothing.
  const retried = rows.filter((r) => Number(r.attempts) > 0).map((r) => deliveryJobId(r.id));
  if (retried.length) await boss.retry(QUEUES.deliver, retried);
  const ids = rows.map((r) => Number(r.id));
  await manager
    .createQueryBuilder()
    .update(Notification)
    .set({ status: 'queued', queuedAt: clock.now() })
    .where('status = :pending AND id IN (:...ids)', { pending: 'pending', ids })
    .execute();
  return rows.length;
}
