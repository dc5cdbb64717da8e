import { describe, expect, it } from 'vitest';
import { MAX_REPLAY } from './bus.js';
import type { ChangeEvent } from './changes.js';
import { MemoryBus } from './memory-bus.js';

const change = (id: number): ChangeEvent => ({ resource: 'appointment', id, action: 'updated', patientId: 1 });

describe('the in-process bus', () => {
  it('gives events increasing ids, even within one millisecond, and replays what came after an id', async () => {
    const bus = new MemoryBus(60_000, 1000, () => 5_000);
    const seen: string[] = [];
    bus.subscribe((e) => seen.push(e.eventId));
    await bus.publish([change(1), change(2), change(3)]);
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual(['5000-1', '5000-2', '5000-3']);
    const replay = await bus.replay('5000-1');
    expect(replay.complete).toBe(true);
    expect(replay.events.map((e) => e.change.id)).toEqual([2, 3]);
    expect(await bus.replay('5000-3')).toEqual({ events: [], complete: true });
  });

  it('says a replay is incomplete once the missed events were evicted, or came from before a restart', async () => {
    let now = 10_000;
    const bus = new MemoryBus(60_000, 1000, () => now);
    await bus.publish([change(1)]);
    const firstId = bus.headId();
    now += 61_000;
    await bus.publish([change(2)]);
    expect((await bus.replay(firstId)).complete).toBe(true);
    const beforeIt = '9999-0';
    expect((await bus.replay(beforeIt)).complete).toBe(false);
    now += 61_000;
    await bus.publish([change(3)]);
    expect((await bus.replay(firstId)).complete).toBe(false);
    expect((await bus.replay('not-an-id')).complete).toBe(false);
    expect((await bus.replay('99999999-0')).complete).toBe(false);
  });

  it('sends a client that missed more than the replay limit to re-read instead', async () => {
    const bus = new MemoryBus();
    const start = bus.headId();
    await bus.publish(Array.from({ length: MAX_REPLAY + 1 }, (_, i) => change(i)));
    expect((await bus.replay(start)).complete).toBe(false);
  });
});
