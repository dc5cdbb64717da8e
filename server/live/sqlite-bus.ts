import Database from 'better-sqlite3';
import type { BusEvent, LiveBus, Replay } from './bus.js';
import { MAX_REPLAY, MEMORY_MAX_EVENTS, MEMORY_RETENTION_MS } from './bus.js';
import { LIVE_RESOURCES, localChanges, type ChangeEvent } from './changes.js';
import { parseEventId } from './event-id.js';

export interface SqliteBusOptions {
  /** False in processes that publish but hold no streams (the worker). */
  subscribe?: boolean;
  /** How often changes committed by other processes are looked for. */
  pollMs?: number;
  retentionMs?: number;
  maxEvents?: number;
  now?: () => number;
}

const DEFAULT_POLL_MS = 200;
const PRUNE_EVERY_MS = 60_000;
const BATCH = 1000;

/**
 * The bus of the embedded set-up (no REDIS_URL, SQLite): the web process and
 * the worker are separate processes sharing one database file, so changes go
 * through a table in it. Each change is a row; its AUTOINCREMENT id is the
 * order every process agrees on and becomes the SSE event id (`0-<row id>`,
 * the same `<ms>-<seq>` shape as the Redis bus, so one comparison serves
 * both). The publishing process reads the new rows at once; others within a
 * poll interval. Rows are kept MEMORY_RETENTION_MS for replay.
 *
 * It has a connection of its own: the application's single TypeORM
 * connection may be inside another request's transaction, and a row written
 * there would vanish with that transaction's rollback.
 */
export class SqliteBus implements LiveBus {
  private readonly listeners = new Set<(event: BusEvent) => void>();
  private readonly db: Database.Database;
  private readonly insert: Database.Statement<[number, string]>;
  private readonly after: Database.Statement<[number, number], { id: number; change: string }>;
  private readonly retentionMs: number;
  private readonly maxEvents: number;
  private readonly now: () => number;
  private last: number;
  private readonly subscribed: boolean;
  private closed = false;
  private pollScheduled = false;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(file: string, options: SqliteBusOptions = {}) {
    this.retentionMs = options.retentionMs ?? MEMORY_RETENTION_MS;
    this.maxEvents = options.maxEvents ?? MEMORY_MAX_EVENTS;
    this.now = options.now ?? Date.now;
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS live_events (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      at INTEGER NOT NULL,
      change TEXT NOT NULL
    )`);
    this.insert = this.db.prepare('INSERT INTO live_events (at, change) VALUES (?, ?)');
    this.after = this.db.prepare('SELECT id, change FROM live_events WHERE id > ? ORDER BY id LIMIT ?');
    this.last = this.sequence();
    this.subscribed = options.subscribe !== false;
    if (this.subscribed) {
      const poll = setInterval(() => this.poll(), options.pollMs ?? DEFAULT_POLL_MS);
      poll.unref();
      this.timers.push(poll);
    }
    const prune = setInterval(() => this.prune(), PRUNE_EVERY_MS);
    prune.unref();
    this.timers.push(prune);
  }

  async publish(changes: ChangeEvent[]): Promise<void> {
    if (this.closed || changes.length === 0) return;
    const at = this.now();
    this.db.transaction(() => {
      for (const change of changes) this.insert.run(at, JSON.stringify(change));
    })();
    for (const change of changes) localChanges.emitter.emit('change', change);
    // Fan-out runs after the committing request has its answer, not inside it.
    if (this.subscribed && !this.pollScheduled) {
      this.pollScheduled = true;
      setImmediate(() => {
        this.pollScheduled = false;
        this.poll();
      });
    }
  }

  subscribe(listener: (event: BusEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async replay(afterId: string): Promise<Replay> {
    const after = parseEventId(afterId);
    const head = this.sequence();
    if (!after || after.ms !== 0 || after.seq > head) return { events: [], complete: false };
    const oldest = (this.db.prepare('SELECT MIN(id) AS id FROM live_events').get() as { id: number | null }).id;
    // Rows after the asked-for one were pruned: the client has a gap.
    if ((oldest === null && after.seq < head) || (oldest !== null && after.seq < oldest - 1)) return { events: [], complete: false };
    const rows = this.after.all(after.seq, MAX_REPLAY + 1);
    if (rows.length > MAX_REPLAY) return { events: [], complete: false };
    return { events: rows.map(toBusEvent).filter((e): e is BusEvent => e !== null), complete: true };
  }

  headId(): string {
    return `0-${this.last}`;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    this.listeners.clear();
    this.db.close();
  }

  /** Hands every row this process has not seen yet to the listeners, in id order. */
  private poll(): void {
    if (this.closed) return;
    try {
      for (;;) {
        const rows = this.after.all(this.last, BATCH);
        for (const row of rows) {
          this.last = row.id;
          const event = toBusEvent(row);
          if (event) for (const listener of this.listeners) listener(event);
        }
        if (rows.length < BATCH) return;
      }
    } catch (err) {
      console.error('live: reading changes failed', (err as Error).message);
    }
  }

  private prune(): void {
    if (this.closed) return;
    try {
      this.db.prepare('DELETE FROM live_events WHERE at < ? OR id <= ?').run(this.now() - this.retentionMs, this.sequence() - this.maxEvents);
    } catch (err) {
      console.error('live: pruning old changes failed', (err as Error).message);
    }
  }

  /** The last id handed out, pruned or not (AUTOINCREMENT never reuses one). */
  private sequence(): number {
    const row = this.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'live_events'").get() as { seq: number } | undefined;
    return row?.seq ?? 0;
  }
}

const RESOURCES = new Set<string>(LIVE_RESOURCES);

/** Rows written by another version or by hand are skipped, not trusted. */
function toBusEvent(row: { id: number; change: string }): BusEvent | null {
  try {
    const c = JSON.parse(row.change) as ChangeEvent;
    if (!RESOURCES.has(c.resource) || !Number.isInteger(c.id)) return null;
    return {
      eventId: `0-${row.id}`,
      change: { resource: c.resource, id: c.id, action: c.action, patientId: c.patientId ?? null, doctorId: c.doctorId ?? null },
    };
  } catch {
    return null;
  }
}
