import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from './support/db.js';
import { cookieFor, SseClient, startLiveServer } from './live-support.js';
import { SYSTEM_ACTOR } from '../server/access/actor.js';
import { makeDiagnostic, makeUser } from '../server/appointments/test-fixtures.js';
import { requestDiagnostic } from '../server/appointments/index.js';
import { localChanges, setChangePublisher } from '../server/live/changes.js';
import { RedisBus } from '../server/live/redis-bus.js';
import { StreamHub } from '../server/live/streams.js';
import { inTransaction } from '../server/shared/unit-of-work.js';

const redisUrl = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL;

useTestDatabase();

describe.skipIf(!redisUrl)('live streams across two instances sharing Redis (skipped without REDIS_URL or TEST_REDIS_URL)', () => {
  const streamKey = `qhealth:test:changes:${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const instances: { bus: RedisBus; hub: StreamHub; url: string; close: () => Promise<void> }[] = [];
  const clients: SseClient[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      // Each instance has its own Redis connections, as two processes would.
      const bus = await RedisBus.connect(redisUrl!, streamKey);
      const hub = new StreamHub(bus);
      const server = await startLiveServer(hub);
      instances.push({ bus, hub, ...server });
    }
    // Changes are committed through instance 1.
    setChangePublisher(instances[0].bus);
  });

  afterAll(async () => {
    clients.forEach((c) => c.close());
    setChangePublisher(localChanges);
    for (const { bus, hub, close } of instances) {
      hub.stop();
      await close();
      await bus.close();
    }
    const cleanup = createClient({ url: redisUrl });
    await cleanup.connect();
    await cleanup.del(streamKey);
    await cleanup.close();
  });

  async function touch(id: number, patientId: number): Promise<void> {
    await inTransaction(SYSTEM_ACTOR, async (w) => w.changed({ resource: 'appointment', id, action: 'updated', patientId }));
  }

  it('delivers a change made through instance 1 to a stream held on instance 2', async () => {
    const { user, actor } = await makeUser('patient', { dateOfBirth: '1980-01-01' });
    const [one, two] = instances;
    const client = await SseClient.open(`${two.url}/api/events`, { cookie: await cookieFor(one.url, user) });
    clients.push(client);
    expect(client.status).toBe(200);
    const diagnostic = await makeDiagnostic();
    const request = await requestDiagnostic(actor, { diagnosticId: diagnostic.id });
    await client.waitFor((c) => c.changes().length > 0, 2000);
    expect(client.changes()).toEqual([{ resource: 'appointment', id: request.id, action: 'created' }]);
  });

  it('loses no event over forced reconnects that hop between instances with Last-Event-ID', async () => {
    const { user } = await makeUser('patient');
    const cookie = await cookieFor(instances[0].url, user);
    const received: number[] = [];
    let lastEventId: string | undefined;
    let publishing = true;
    let sent = 0;
    let publisher: Promise<void> | undefined;
    const publish = async () => {
      while (publishing) {
        sent += 1;
        await touch(sent, user.id);
        await new Promise((r) => setTimeout(r, 5));
      }
    };

    for (let hop = 0; hop < 6; hop++) {
      const instance = instances[hop % 2];
      const client = await SseClient.open(`${instance.url}/api/events`, { cookie, lastEventId });
      clients.push(client);
      expect(client.status).toBe(200);
      publisher ??= publish(); // from the first connection on, every change must arrive
      await new Promise((r) => setTimeout(r, 60 + Math.random() * 60));
      client.close(); // the connection drops mid-stream
      await client.whenEnded();
      expect(client.events.filter((e) => e.event === 'reset')).toEqual([]);
      received.push(...client.changes().map((e) => e.id));
      lastEventId = client.lastEventId ?? lastEventId;
      await new Promise((r) => setTimeout(r, 30)); // events keep coming while it is away
    }
    publishing = false;
    await publisher;
    const last = await SseClient.open(`${instances[1].url}/api/events`, { cookie, lastEventId });
    clients.push(last);
    await last.waitFor((c) => c.changes().some((e) => e.id === sent), 3000);
    received.push(...last.changes().map((e) => e.id));

    expect(sent).toBeGreaterThan(20);
    expect(received).toEqual(Array.from({ length: sent }, (_, i) => i + 1));
  });
});
