/**
 * Event ids have the shape of Redis stream ids, `<milliseconds>-<sequence>`,
 * on both buses, so one comparison serves replay everywhere and an id from one
 * bus never looks newer than it is on the other.
 */
export interface EventId {
  ms: number;
  seq: number;
}

const SHAPE = /^(\d{1,15})-(\d{1,15})$/;

export function parseEventId(text: string | null | undefined): EventId | null {
  const match = text ? SHAPE.exec(text.trim()) : null;
  return match ? { ms: Number(match[1]), seq: Number(match[2]) } : null;
}

export function formatEventId(id: EventId): string {
  return `${id.ms}-${id.seq}`;
}

/** Negative when a is older than b, 0 when equal, positive when newer. */
export function compareEventIds(a: EventId, b: EventId): number {
  return a.ms - b.ms || a.seq - b.seq;
}

export function isNewer(candidate: string, than: string): boolean {
  const a = parseEventId(candidate);
  const b = parseEventId(than);
  return !!a && !!b && compareEventIds(a, b) > 0;
}
