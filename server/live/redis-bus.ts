import { createClient } from 'redis';
import type { BusEvent, LiveBus, Replay } from './bus.js';
import { MAX_REPLAY, REDIS_STREAM_MAXLEN } from './bus.js';
import { LIVE_RESOURCES, localChanges, type ChangeEvent } from './changes.js';
import { compareEventIds, parseEventId } from './event-id.js';

type Client = ReturnType<typeof createClient>;
type RawEntry = [id: string, fields: string[]];

const PUBLISH_WAIT_MS = 1000;

/**
 * The bus across instances: one Redis stream. XADD gives every change an id
 * that all instances agree on (it is the SSE event id); each instance tails the
 * stream with XREAD BLOCK on a connection of its own; a reconnecting client is
 * replayed with XRANGE from its Last-Event-ID. The stream is trimmed to about
 * REDIS_STREAM_MAXLEN entries, which at a clinic's pace is hours, not minutes.
 */
export class RedisBus implements LiveBus {
  private readonly listeners = new Set<(event: BusEvent) => void>();
  private last = '0-0';
  private closed = false;
  private tailing?: Promise<void>;

  private constructor(
    private readonly writer: Client,
    private readonly reader: Client | null,
    private readonly key: string,
  ) {}

  /** `subscribe: false` for processes that only publish (the worker). */
  static async connect(url: string, key: string, options: { subscribe?: boolean } = {}): Promise<RedisBus> {
    const writer = createClient({ url });
    writer.on('error', (err) => console.error('live: redis', err.message));
    await writer.connect();
    let reader: Client | null = null;
    if (options.subscribe !== false) {
      // XREAD BLOCK holds its connection; it must not queue behind or in front of XADDs.
      reader = writer.duplicate();
      reader.on('error', (err) => console.error('live: redis (tail)', err.message));
      await reader.connect();
    }
    const bus = new RedisBus(writer, reader, key);
    if (reader) {
      bus.last = await bus.lastGeneratedId();
      bus.tailing = bus.tail(reader);
    }
    return bus;
  }

  /**
   * Appends the changes in commit order (one connection keeps them in order).
   * While Redis is away the client queues them; the committing request waits
   * at most PUBLISH_WAIT_MS for that, not for Redis to come back.
   */
  async publish(changes: ChangeEvent[]): Promise<void> {
    for (const change of changes) localChanges.emitter.emit('change', change);
    const appended = Promise.all(
      changes.map((change) =>
        this.writer.sendCommand(['XADD', this.key, 'MAXLEN', '~', String(REDIS_STREAM_MAXLEN), '*', 'e', JSON.stringify(change)]),
      ),
    );
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((ok) => {
      timer = setTimeout(() => ok('late'), PUBLISH_WAIT_MS);
    });
    try {
      if ((await Promise.race([appended, late])) === 'late') {
        appended.catch((err) => console.error('live: publishing changes failed', (err as Error).message));
        console.error('live: Redis is slow to take changes; they are queued');
      }
    } finally {
      clearTimeout(timer);
    }
  }

  subscribe(listener: (event: BusEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async replay(afterId: string): Promise<Replay> {
    const after = parseEventId(afterId);
    if (!after) return { events: [], complete: false };
    const info = await this.streamInfo();
    if (!info) return { events: [], complete: false };
    const lastGenerated = parseEventId(info.lastGeneratedId);
    if (!lastGenerated || compareEventIds(after, lastGenerated) > 0) return { events: [], complete: false };
    // Entries after `after` may have been trimmed away: then the client has a gap.
    const maxDeleted = parseEventId(info.maxDeletedId);
    if (maxDeleted && compareEventIds(after, maxDeleted) < 0) return { events: [], complete: false };
    if (!maxDeleted && info.firstId) {
      // Redis before 7 does not say what it trimmed; be conservative.
      const first = parseEventId(info.firstId);
      if (first && compareEventIds(after, first) < 0 && info.length >= REDIS_STREAM_MAXLEN) return { events: [], complete: false };
    }
    const raw = (await this.writer.sendCommand(['XRANGE', this.key, `(${afterId}`, '+', 'COUNT', String(MAX_REPLAY + 1)])) as RawEntry[];
    if (raw.length > MAX_REPLAY) return { events: [], complete: false };
    return { events: raw.map(toBusEvent).filter((e): e is BusEvent => e !== null), complete: true };
  }

  headId(): string {
    return this.last;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    this.reader?.destroy();
    await this.tailing?.catch(() => undefined);
    if (this.writer.isOpen) await this.writer.close();
  }

  private async tail(reader: Client): Promise<void> {
    let backoff = 100;
    while (!this.closed) {
      let reply: [string, RawEntry[]][] | null;
      try {
        reply = (await reader.sendCommand(['XREAD', 'COUNT', '1000', 'BLOCK', '5000', 'STREAMS', this.key, this.last])) as typeof reply;
        backoff = 100;
      } catch (err) {
        if (this.closed) return;
        console.error('live: reading the change stream failed; retrying', (err as Error).message);
        await new Promise((r) => setTimeout(r, backoff));
        backoff = Math.min(backoff * 2, 5000);
        continue;
      }
      for (const [, entries] of reply ?? []) {
        for (const entry of entries) {
          this.last = entry[0];
          const event = toBusEvent(entry);
          if (event) for (const listener of this.listeners) listener(event);
        }
      }
    }
  }

  private async lastGeneratedId(): Promise<string> {
    return (await this.streamInfo())?.lastGeneratedId ?? '0-0';
  }

  private async streamInfo(): Promise<{ lastGeneratedId: string; maxDeletedId: string | null; firstId: string | null; length: number } | null> {
    let flat: unknown[];
    try {
      flat = (await this.writer.sendCommand(['XINFO', 'STREAM', this.key])) as unknown[];
    } catch (err) {
      if (/no such key/i.test((err as Error).message)) return null;
      throw err;
    }
    const info = new Map<string, unknown>();
    for (let i = 0; i + 1 < flat.length; i += 2) info.set(String(flat[i]), flat[i + 1]);
    const maxDeleted = info.get('max-deleted-entry-id');
    const first = info.get('first-entry') as RawEntry | null | undefined;
    return {
      lastGeneratedId: String(info.get('last-generated-id') ?? '0-0'),
      maxDeletedId: typeof maxDeleted === 'string' && maxDeleted !== '0-0' ? maxDeleted : null,
      firstId: first ? first[0] : null,
      length: Number(info.get('length') ?? 0),
    };
  }
}

const RESOURCES = new Set<string>(LIVE_RESOURCES);

/** Entries written by another version or by hand are skipped, not trusted. */
function toBusEvent([eventId, fields]: RawEntry): BusEvent | null {
  const at = fields.indexOf('e');
  if (at < 0 || at % 2 !== 0) return null;
  try {
    const c = JSON.parse(fields[at + 1]) as ChangeEvent;
    if (!RESOURCES.has(c.resource) || !Number.isInteger(c.id)) return null;
    return {
      eventId,
      change: { resource: c.resource, id: c.id, action: c.action, patientId: c.patientId ?? null, doctorId: c.doctorId ?? null },
    };
  } catch {
    return null;
  }
}
