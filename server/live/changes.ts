import { EventEmitter } from 'node:events';

/**
 * What changed, after a commit. Clients receive only { resource, id, action };
 * `patientId` (and `doctorId`) route the event to the streams allowed to see it
 * and never leave the server.
 */
export const LIVE_RESOURCES = ['diagnostic', 'appointment', 'journalEntry', 'prescription'] as const;
export type LiveResource = (typeof LIVE_RESOURCES)[number];
export type ChangeAction = 'created' | 'updated' | 'deleted';

export interface ChangeEvent {
  resource: LiveResource;
  id: number;
  action: ChangeAction;
  patientId: number | null;
  doctorId?: number | null;
}

export interface ChangePublisher {
  publish(events: ChangeEvent[]): Promise<void>;
}

/**
 * In-process default. The live module swaps in the Redis-backed bus at
 * start-up when REDIS_URL is set, so every instance and the worker reach
 * every subscriber.
 */
class LocalPublisher implements ChangePublisher {
  readonly emitter = new EventEmitter().setMaxListeners(0);
  async publish(events: ChangeEvent[]): Promise<void> {
    for (const e of events) this.emitter.emit('change', e);
  }
}

export const localChanges = new LocalPublisher();
let publisher: ChangePublisher = localChanges;

export function setChangePublisher(p: ChangePublisher): void {
  publisher = p;
}

/** Called after commit. A failed publish never undoes a committed change. */
export async function publishChanges(events: ChangeEvent[]): Promise<void> {
  if (events.length === 0) return;
  try {
    await publisher.publish(events);
  } catch (err) {
    console.error('live: publishing changes failed', err);
  }
}
