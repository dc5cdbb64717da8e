import type { BusEvent, LiveBus, Replay } from './bus.js';
import { MAX_REPLAY, MEMORY_MAX_EVENTS, MEMORY_RETENTION_MS } from './bus.js';
import { localChanges, type ChangeEvent } from './changes.js';
import { compareEventIds, formatEventId, parseEventId, type EventId } from './event-id.js';

interface Kept extends BusEvent {
  at: EventId;
  keptAt: number;
}

/**
 * The bus of a single process (no REDIS_URL): a ring of recent events with
 * increasing ids. It reaches only this process's streams, so changes made by a
 * separate worker process are not delivered without Redis.
 */
export class MemoryBus implements LiveBus {
  private readonly listeners = new Set<(event: BusEvent) => void>();
  private kept: Kept[] = [];
  /** Everything at or before this id is gone (evicted, or from before this process started). */
  private forgottenUpTo: EventId;
  private last: EventId;

  constructor(
    private readonly retentionMs = MEMORY_RETENTION_MS,
    private readonly maxEvents = MEMORY_MAX_EVENTS,
    private readonly now: () => number = Date.now,
  ) {
    this.last = { ms: this.now(), seq: 0 };
    this.forgottenUpTo = this.last;
  }

  async publish(changes: ChangeEvent[]): Promise<void> {
    const fresh: BusEvent[] = [];
    for (const change of changes) {
      const at = this.nextId();
      const event: Kept = { eventId: formatEventId(at), change, at, keptAt: this.now() };
      this.kept.push(event);
      fresh.push(event);
      localChanges.emitter.emit('change', change);
    }
    this.evict();
    // Fan-out runs after the committing request has its answer, not inside it.
    setImmediate(() => {
      for (const event of fresh) for (const listener of this.listeners) listener(event);
    });
  }

  subscribe(listener: (event: BusEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async replay(afterId: string): Promise<Replay> {
    const after = parseEventId(afterId);
    if (!after || compareEventIds(after, this.forgottenUpTo) < 0 || compareEventIds(after, this.last) > 0) {
      return { events: [], complete: false };
    }
    let lo = 0;
    let hi = this.kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareEventIds(this.kept[mid].at, after) <= 0) lo = mid + 1;
      else hi = mid;
    }
    const missed = this.kept.length - lo;
    if (missed > MAX_REPLAY) return { events: [], complete: false };
    return { events: this.kept.slice(lo).map(({ eventId, change }) => ({ eventId, change })), complete: true };
  }

  headId(): string {
    return formatEventId(this.last);
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }

  private nextId(): EventId {
    const ms = Math.max(this.now(), this.last.ms);
    this.last = ms === this.last.ms ? { ms, seq: this.last.seq + 1 } : { ms, seq: 0 };
    return this.last;
  }

  private evict(): void {
    const oldest = this.now() - this.retentionMs;
    let drop = 0;
    while (drop < this.kept.length && (this.kept.length - drop > this.maxEvents || this.kept[drop].keptAt < oldest)) drop++;
    if (drop === 0) return;
    this.forgottenUpTo = this.kept[drop - 1].at;
    this.kept = this.kept.slice(drop);
  }
}
