import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { Notification } from '../db/entities/notification.js';
import type { NotificationInput } from '../shared/unit-of-work.js';

/**
 * Writes many outbox rows at once (a season greeting goes to every patient):
 * the same rows `w.notify` would write, in chunks, a row whose dedupe key
 * exists being skipped. So a job that runs twice, or late, writes nothing new.
 */
export async function notifyMany(manager: EntityManager, inputs: NotificationInput[]): Promise<void> {
  for (let i = 0; i < inputs.length; i += 500) {
    const values = inputs.slice(i, i + 500).map((n) => ({
      kind: n.kind,
      toEmail: n.toEmail,
      recipientUserId: n.recipientUserId ?? null,
      data: (n.data ?? {}) as QueryDeepPartialEntity<Record<string, unknown>>,
      dedupeKey: n.dedupeKey.slice(0, 191),
      status: 'pending' as const,
    }));
    await manager.createQueryBuilder().insert().into(Notification).values(values).orIgnore().execute();
  }
}
