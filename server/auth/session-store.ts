import session from 'express-session';
import { LessThan } from 'typeorm';
import { db } from '../db/data-source.js';
import { Session } from '../db/entities/session.js';

// express-session calls back with (err) or (err, session).
type Callback = (err?: unknown) => void;
type GetCallback = (err: unknown, data?: session.SessionData | null) => void;

const PRUNE_EVERY_MS = 5 * 60_000;
const DEFAULT_TTL_MS = 30 * 60_000;

/**
 * express-session's store over the `sessions` table, for the quick start
 * (Redis holds sessions in production). Rows carry the user's id so that
 * blocking a user can delete their sessions in the same transaction.
 * Expiry follows the cookie (real time, as express-session's own cookie does);
 * expired rows are pruned every few minutes while sessions are written.
 */
export class DatabaseSessionStore extends session.Store {
  private lastPrune = 0;

  override get(sid: string, callback: GetCallback): void {
    this.run(callback, async () => {
      const row = await db().getRepository(Session).findOneBy({ sid });
      if (!row) return null;
      if (row.expiresAt.getTime() <= Date.now()) {
        await db().getRepository(Session).delete({ sid });
        return null;
      }
      return JSON.parse(row.data) as session.SessionData;
    });
  }

  override set(sid: string, data: session.SessionData, callback?: Callback): void {
    this.runVoid(callback, async () => {
      const userId = (data as { userId?: number }).userId ?? null;
      await db()
        .getRepository(Session)
        .upsert({ sid, userId, data: JSON.stringify(data), expiresAt: expiry(data) }, ['sid']);
      await this.pruneNowAndThen();
    });
  }

  override touch(sid: string, data: session.SessionData, callback?: Callback): void {
    this.runVoid(callback, async () => {
      await db().getRepository(Session).update({ sid }, { expiresAt: expiry(data) });
    });
  }

  override destroy(sid: string, callback?: Callback): void {
    this.runVoid(callback, async () => {
      await db().getRepository(Session).delete({ sid });
    });
  }

  override clear(callback?: Callback): void {
    this.runVoid(callback, async () => {
      await db().getRepository(Session).clear();
    });
  }

  override length(callback: (err: unknown, length?: number) => void): void {
    db().getRepository(Session).count().then((n) => callback(null, n), callback);
  }

  private async pruneNowAndThen(): Promise<void> {
    if (Date.now() - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = Date.now();
    await db().getRepository(Session).delete({ expiresAt: LessThan(new Date()) });
  }

  private run<T>(callback: ((err: unknown, data?: T) => void) | undefined, work: () => Promise<T>): void {
    work().then(
      (result) => callback?.(null, result),
      (err) => callback?.(err),
    );
  }

  private runVoid(callback: Callback | undefined, work: () => Promise<void>): void {
    work().then(
      () => callback?.(),
      (err) => callback?.(err),
    );
  }
}

function expiry(data: session.SessionData): Date {
  const expires = data.cookie?.expires;
  if (expires) return new Date(expires);
  return new Date(Date.now() + (data.cookie?.maxAge ?? DEFAULT_TTL_MS));
}
