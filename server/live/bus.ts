import type { ChangeEvent, ChangePublisher } from './changes.js';

/** A committed change with its place in the bus's order; `eventId` becomes the SSE `id:`. */
export interface BusEvent {
  eventId: string;
  change: ChangeEvent;
}

export interface Replay {
  /** Events after the asked-for id, oldest first. */
  events: BusEvent[];
  /**
   * False when events after that id may already be gone (too old, too many,
   * or from before a restart): the client must re-read everything instead.
   */
  complete: boolean;
}

/**
 * Carries committed changes from whoever commits them (any web instance, the
 * worker) to every instance holding streams, and keeps the recent past for
 * replay after a reconnect.
 */
export interface LiveBus extends ChangePublisher {
  subscribe(listener: (event: BusEvent) => void): () => void;
  replay(afterId: string): Promise<Replay>;
  /** The newest id this instance has seen; a client told to re-read resumes from here. */
  headId(): string;
  close(): Promise<void>;
}

/** At most this many missed events are replayed; a client further behind re-reads its lists instead. */
export const MAX_REPLAY = 1000;

/** Replay history kept by the in-process bus (the Redis stream keeps REDIS_STREAM_MAXLEN entries). */
export const MEMORY_RETENTION_MS = 10 * 60_000;
export const MEMORY_MAX_EVENTS = 100_000;
export const REDIS_STREAM_MAXLEN = 100_000;
export const DEFAULT_STREAM_KEY = 'qhealth:changes';
