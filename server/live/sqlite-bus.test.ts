import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_REPLAY, type BusEvent } from './bus.js';
import type { ChangeEvent } from './changes.js';
import { SqliteBus } from './sqlite-bus.js';

const change = (id: number): ChangeEvent => ({ resource: 'appointment', id, action: 'updated', patientId: 1 });

let dir: string;
let file: string;
const buses: SqliteBus[] = [];
function bus(options: ConstructorParameters<typeof SqliteBus>[1] = {}): SqliteBus {
  const b = new SqliteBus(file, { pollMs: 20, ...options });
  buses.push(b);
  return b;
}

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qhealth-sqlite-bus-'));
  file = path.join(dir, 'bus.sqlite');
});
afterEach(async () => {
  for (const b of buses.splice(0)) await b.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the embedded bus (a table in the SQLite file)', () => {
  it("delivers a change published by another process to this process's subscribers", async () => {
    const web = bus();
    const seen: BusEvent[] = [];
    web.subscribe((e) => seen.push(e));
    // The worker: a separate process on the same database file, publishing only.
    const script = `
      import { SqliteBus } from ${JSON.stringify(path.resolve('server/live/sqlite-bus.ts'))};
      const worker = new SqliteBus(${JSON.stringify(file)}, { subscribe: false });
      await worker.publish([{ resource: 'appointment', id: 41, action: 'updated', patientId: 7 }]);
      await worker.close();`;
    execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: 'pipe' });
    await until(() => seen.length === 1);
    expect(seen[0].change).toEqual({ resource: 'appointment', id: 41, action: 'updated', patientId: 7, doctorId: null });
    expect(seen[0].eventId).toBe(web.headId());
  });

  it('keeps one order for changes from two processes, and a publisher sees its own at once', async () => {
    const web = bus({ pollMs: 60_000 });
    const worker = bus({ subscribe: false });
    const seen: number[] = [];
    web.subscribe((e) => seen.push(e.change.id));
    await worker.publish([change(1)]);
    await web.publish([change(2)]);
    // No poll tick has run: the publisher's own read brings the worker's earlier change too, first.
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual([1, 2]);
  });

  it('replays what came after an id, and says so when rows were pruned or the id is unknown', async () => {
    let now = 1_000_000;
    const web = bus({ retentionMs: 60_000, now: () => now });
    await web.publish([change(1), change(2), change(3)]);
    await until(() => web.headId() === '0-3');
    const replay = await web.replay('0-1');
    expect(replay.complete).toBe(true);
    expect(replay.events.map((e) => [e.eventId, e.change.id])).toEqual([['0-2', 2], ['0-3', 3]]);
    expect(await web.replay('0-3')).toEqual({ events: [], complete: true });
    expect((await web.replay('0-4')).complete).toBe(false);
    expect((await web.replay('1732000000000-0')).complete).toBe(false);
    expect((await web.replay('nonsense')).complete).toBe(false);

    now += 61_000;
    await web.publish([change(4)]);
    (web as unknown as { prune(): void }).prune();
    expect((await web.replay('0-1')).complete).toBe(false);
    expect((await web.replay('0-3')).events.map((e) => e.change.id)).toEqual([4]);
  });

  it('sends a client that missed more than the replay limit to re-read instead', async () => {
    const web = bus();
    const start = web.headId();
    await web.publish(Array.from({ length: MAX_REPLAY + 1 }, (_, i) => change(i)));
    expect((await web.replay(start)).complete).toBe(false);
  });

  it('starts after what was already in the file, and never reuses an id', async () => {
    const first = bus();
    await first.publish([change(1), change(2)]);
    await first.close();
    const again = bus();
    const seen: string[] = [];
    again.subscribe((e) => seen.push(e.eventId));
    await again.publish([change(3)]);
    await until(() => seen.length === 1);
    expect(seen).toEqual(['0-3']);
  });
});
