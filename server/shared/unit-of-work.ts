import { AsyncLocalStorage } from 'node:async_hooks';
import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import type { Actor } from '../access/actor.js';
import { db, isMariaDb } from '../db/data-source.js';
import { AuditEvent, type AuditAction, type AuditChanges, type AuditOutcome, type AuditResource } from '../db/entities/audit-event.js';
import { Notification } from '../db/entities/notification.js';
import { publishChanges, type ChangeEvent } from '../live/changes.js';

export interface AuditInput {
  action: AuditAction;
  resource: AuditResource;
  recordId?: string | number | null;
  patientId?: number | null;
  changes?: AuditChanges | null;
  outcome?: AuditOutcome;
}

export interface NotificationInput {
  kind: string;
  toEmail: string;
  recipientUserId?: number | null;
  data?: Record<string, unknown>;
  /** Same key → same notification, written once (SPEC §5). */
  dedupeKey: string;
}

/**
 * One transaction of a service: the change, its audit event, its outbox rows,
 * and the live events to publish once it has committed.
 */
export class Work {
  private readonly changes: ChangeEvent[] = [];

  constructor(
    readonly manager: EntityManager,
    readonly actor: Actor,
  ) {}

  async audit(input: AuditInput): Promise<void> {
    await this.manager.insert(AuditEvent, auditRow(this.actor, input));
  }

  /** Writes an outbox row; a second row with the same dedupe key is silently skipped. */
  async notify(input: NotificationInput): Promise<void> {
    await this.manager
      .createQueryBuilder()
      .insert()
      .into(Notification)
      .values({
        kind: input.kind,
        toEmail: input.toEmail,
        recipientUserId: input.recipientUserId ?? null,
        data: (input.data ?? {}) as QueryDeepPartialEntity<Record<string, unknown>>,
        dedupeKey: input.dedupeKey.slice(0, 191),
        status: 'pending',
      })
      .orIgnore()
      .execute();
  }

  changed(event: ChangeEvent): void {
    this.changes.push(event);
  }

  /** @internal */
  takeChanges(): ChangeEvent[] {
    return this.changes.splice(0);
  }
}

export function auditRow(actor: Actor, input: AuditInput): QueryDeepPartialEntity<AuditEvent> {
  return {
    actorId: actor.id,
    actorRole: actor.role,
    action: input.action,
    resource: input.resource,
    recordId: input.recordId === undefined || input.recordId === null ? null : String(input.recordId),
    patientId: input.patientId ?? null,
    // simple-json columns take plain objects; TypeORM's deep-partial type does not model that.
    changes: (input.changes ?? null) as QueryDeepPartialEntity<AuditChanges> | null,
    ip: actor.ip?.slice(0, 45) ?? null,
    userAgent: actor.userAgent?.slice(0, 400) ?? null,
    requestId: actor.requestId?.slice(0, 64) ?? null,
    outcome: input.outcome ?? 'success',
  };
}

/** Audit outside a change (a refused attempt, a read of medical records). */
export async function auditNow(actor: Actor, input: AuditInput): Promise<void> {
  await db().getRepository(AuditEvent).insert(auditRow(actor, input));
}

const RETRYABLE = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'SQLITE_BUSY']);

/**
 * Runs `work` in one database transaction and publishes its live events after
 * commit. InnoDB may pick this transaction as a deadlock victim when many
 * claim the same rows; it is then retried from the start, a few times.
 */
export async function inTransaction<T>(actor: Actor, work: (w: Work) => Promise<T>): Promise<T> {
  const ds = db();
  if (!isMariaDb(ds)) return oneAtATime(() => runTransaction(ds, actor, work));
  return runTransaction(ds, actor, work);
}

/**
 * better-sqlite3 gives TypeORM one connection per process, so two transactions
 * started at once would share it ("cannot start a transaction within a
 * transaction"). The embedded database runs them one after the other instead.
 */
let sqliteQueue: Promise<unknown> = Promise.resolve();
const insideSqliteTransaction = new AsyncLocalStorage<true>();
function oneAtATime<T>(run: () => Promise<T>): Promise<T> {
  // A transaction started inside another must not wait for it (it never would).
  if (insideSqliteTransaction.getStore()) return run();
  const queued = () => insideSqliteTransaction.run(true, run);
  const next = sqliteQueue.then(queued, queued);
  sqliteQueue = next.catch(() => undefined);
  return next;
}

async function runTransaction<T>(ds: ReturnType<typeof db>, actor: Actor, work: (w: Work) => Promise<T>): Promise<T> {
  const attempts = isMariaDb(ds) ? 4 : 1;
  for (let attempt = 1; ; attempt++) {
    let unit: Work | undefined;
    try {
      const result = await ds.transaction(async (manager) => {
        unit = new Work(manager, actor);
        return work(unit);
      });
      await publishChanges(unit!.takeChanges());
      return result;
    } catch (err) {
      const code = (err as { code?: string }).code ?? (err as { driverError?: { code?: string } }).driverError?.code;
      if (attempt < attempts && code && RETRYABLE.has(code)) {
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * attempt));
        continue;
      }
      throw err;
    }
  }
}

/** Before/after of the fields that differ; keys in `secret` are never written. */
export function diff<T extends object>(before: Partial<T>, after: Partial<T>, secret: string[] = ['passwordHash']): AuditChanges {
  const changes: AuditChanges = {};
  for (const key of Object.keys(after) as (keyof T & string)[]) {
    if (secret.includes(key)) continue;
    const a = normalize(before[key]);
    const b = normalize(after[key]);
    if (JSON.stringify(a) !== JSON.stringify(b)) changes[key] = { before: a, after: b };
  }
  return changes;
}

function normalize(v: unknown): unknown {
  return v instanceof Date ? v.toISOString() : (v ?? null);
}

/** Whether a database error is a unique-key violation (either driver). */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; errno?: number; driverError?: { code?: string } };
  const code = e.code ?? e.driverError?.code;
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

export function isForeignKeyViolation(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string } };
  const code = e.code ?? e.driverError?.code;
  return code === 'ER_ROW_IS_REFERENCED_2' || code === 'ER_ROW_IS_REFERENCED' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}
