/**
 * Live streams under load: holds N streams (default 5,000) on one web
 * instance and measures commit-to-client latency of a few hundred changes,
 * plus the instance's memory. Two floors are measured in the same run: the
 * same changes to a single stream of ours, and to the same number of streams
 * held by a bare TCP server that only loops over its sockets
 * (bench/sse-floor.ts) — what this machine's kernel and Node cost at best.
 *
 *   npm run bench:sse -- [--streams 5000] [--events 300] [--interval 250] [--staff-share 1] [--redis redis://127.0.0.1:6379]
 *
 * --staff-share 1 (default) is the worst case: every stream is a staff
 * member's who may list appointments, so every change goes to every stream.
 * Prints figures; asserts nothing.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
const STREAMS = Number(args.get('streams') ?? 5000);
const EVENTS = Number(args.get('events') ?? 300);
const FLOOR_EVENTS = Math.min(100, EVENTS);
const INTERVAL_MS = Number(args.get('interval') ?? 250);
const STAFF_SHARE = Number(args.get('staff-share') ?? 1);
const REDIS_URL = args.get('redis') ?? '';
const PER_USER = 5;

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface User {
  id: number;
  role: string;
}
type FromServer =
  | { kind: 'ready'; port: number; users: User[] }
  | { kind: 'committed'; seq: number; at: number }
  | {
      kind: 'stats';
      rss: number;
      heapUsed: number;
      streams: number;
      fanout: number[];
      cpuMs: number;
      loop: { p99: number; max: number };
      gc: { count: number; totalMs: number; maxMs: number };
    };

function openFileLimit(): number {
  const line = fs.readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
  return line ? Number(line.split(/\s+/)[3]) : Infinity;
}

class Server {
  private waiting = new Map<string, (m: FromServer) => void>();
  readonly committed = new Map<number, number>();
  constructor(readonly child: ChildProcess) {
    child.on('message', (m: FromServer) => {
      if (m.kind === 'committed') this.committed.set(m.seq, m.at);
      this.waiting.get(m.kind)?.(m);
    });
  }
  next<K extends FromServer['kind']>(kind: K): Promise<Extract<FromServer, { kind: K }>> {
    return new Promise((ok) => this.waiting.set(kind, ok as (m: FromServer) => void));
  }
  async stats() {
    const reply = this.next('stats');
    this.child.send({ kind: 'stats' });
    return reply;
  }
}

/** Receipt times per event sequence number, over all streams. */
const receipts = new Map<number, number[]>();
let connected = 0;
let failed = 0;

/**
 * One stream, read the way a browser's EventSource would need to at least:
 * raw bytes, scanning for the change frames' ids. The 5,000 clients share one
 * process and two cores with the server, so the client is kept cheap (no HTTP
 * parser objects, no string decoding of whole chunks) to measure the server,
 * not the stand-in for 5,000 browsers.
 */
function openStream(port: number, user: User): Promise<void> {
  const pathName = user.role === 'patient' ? '/api/events' : '/admin/api/events';
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    clientSockets.push(socket);
    let headerDone = false;
    let carry: Buffer = Buffer.alloc(0);
    socket.on('connect', () => {
      socket.write(`GET ${pathName}?user=${user.id} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`);
    });
    socket.on('data', (chunk: Buffer) => {
      const at = now();
      let data = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      if (!headerDone) {
        const end = data.indexOf('\r\n\r\n');
        if (end < 0) {
          carry = data;
          return;
        }
        if (!data.subarray(0, 12).toString('latin1').startsWith('HTTP/1.1 200')) {
          failed++;
          socket.destroy();
          resolve();
          return;
        }
        headerDone = true;
        connected++;
        resolve();
        data = data.subarray(end + 4);
      }
      // Frames: `id:…\nevent:change\ndata:{"resource":…,"id":N,…}\n\n`, inside HTTP chunks.
      let from = 0;
      for (;;) {
        const frameEnd = data.indexOf(FRAME_END, from);
        if (frameEnd < 0) break;
        const marker = data.indexOf(CHANGE_MARKER, from);
        if (marker >= 0 && marker < frameEnd) {
          const idAt = data.indexOf(ID_MARKER, marker);
          if (idAt >= 0 && idAt < frameEnd) {
            let seq = 0;
            for (let i = idAt + ID_MARKER.length; i < frameEnd; i++) {
              const digit = data[i] - 48;
              if (digit < 0 || digit > 9) break;
              seq = seq * 10 + digit;
            }
            let list = receipts.get(seq);
            if (!list) receipts.set(seq, (list = []));
            list.push(at);
          }
        }
        from = frameEnd + FRAME_END.length;
      }
      carry = from < data.length ? Buffer.from(data.subarray(from)) : Buffer.alloc(0);
    });
    socket.on('error', () => {
      if (!headerDone) {
        failed++;
        resolve();
      }
    });
  });
}

const clientSockets: net.Socket[] = [];

/** Closes every client stream and forgets what they received, between phases. */
async function closeClients(): Promise<void> {
  for (const socket of clientSockets.splice(0)) socket.destroy();
  receipts.clear();
  connected = 0;
  failed = 0;
  await sleep(500);
}

const FRAME_END = Buffer.from('\n\n');
const CHANGE_MARKER = Buffer.from('event:change');
const ID_MARKER = Buffer.from('"id":');

async function publish(server: Server, from: number, count: number, patientIds: number[]): Promise<number[]> {
  const seqs: number[] = [];
  for (let i = 0; i < count; i++) {
    const seq = from + i;
    seqs.push(seq);
    server.child.send({ kind: 'publish', seq, patientId: patientIds[i % patientIds.length] ?? 1 });
    await sleep(INTERVAL_MS);
  }
  await sleep(2000);
  return seqs;
}

function latencies(server: Server, seqs: number[]): { values: number[]; expected: number } {
  const values: number[] = [];
  for (const seq of seqs) {
    const committedAt = server.committed.get(seq);
    if (committedAt === undefined) continue;
    for (const at of receipts.get(seq) ?? []) values.push(at - committedAt);
  }
  return { values: values.sort((a, b) => a - b), expected: 0 };
}

function pct(sorted: number[], p: number): string {
  if (sorted.length === 0) return '-';
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))].toFixed(1);
}

type Stats = Extract<FromServer, { kind: 'stats' }>;

interface Phase {
  held: Stats;
  after: Stats;
  idle: Stats;
  load: number[];
  fanout: number[];
  rampSeconds: number;
  refused: number;
  opened: number;
}

function start(script: string, argv: string[]): Server {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const child = fork(path.join(here, script), argv, {
    execArgv: ['--import', 'tsx', ...(process.env.BENCH_SSE_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_SSE_PROF] : [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Server(child);
}

async function stop(server: Server): Promise<void> {
  server.child.send({ kind: 'stop' });
  await new Promise((ok) => server.child.once('exit', ok));
}

/** Opens the clients' streams a couple of hundred at a time, then sends the changes. */
async function holdAndPublish(server: Server, port: number, clients: User[], seqFrom: number, events: number, patientIds: number[]): Promise<Omit<Phase, 'idle'>> {
  const rampStart = Date.now();
  for (let i = 0; i < clients.length; i += 200) {
    await Promise.all(clients.slice(i, i + 200).map((u) => openStream(port, u)));
  }
  let held = await server.stats();
  for (let tries = 0; held.streams < connected && tries < 50; tries++) {
    await sleep(100);
    held = await server.stats();
  }
  const rampSeconds = (Date.now() - rampStart) / 1000;
  const seqs = await publish(server, seqFrom, events, patientIds);
  const load = latencies(server, seqs).values;
  const after = await server.stats();
  return { held, after, load, fanout: after.fanout.sort((a, b) => a - b), rampSeconds, refused: failed, opened: connected };
}

async function main(): Promise<void> {
  const limit = openFileLimit();
  if (limit < STREAMS + 200) {
    console.error(`Open-file limit is ${limit}; ${STREAMS} streams need more. Run \`ulimit -n ${STREAMS * 2 + 500}\` first (npm run bench:sse does so when the hard limit allows).`);
    process.exit(1);
  }
  const staffStreams = Math.round(STREAMS * STAFF_SHARE);
  const patientStreams = STREAMS - staffStreams;
  const staffUsers = Math.ceil(staffStreams / PER_USER);
  console.log(`bus: ${REDIS_URL ? `Redis stream (${REDIS_URL})` : 'SQLite table (embedded)'}; ${staffStreams} staff + ${patientStreams} patient streams; ${EVENTS} changes every ${INTERVAL_MS} ms`);

  // Floor 1: a bare server looping over the same number of sockets.
  const bare = start('sse-floor.ts', [String(STREAMS)]);
  const bareReady = await bare.next('ready');
  const bareIdle = await bare.stats();
  const floorEvents = Math.min(EVENTS, 120);
  const bareRun = await holdAndPublish(bare, bareReady.port, bareReady.users.slice(0, STREAMS), 1, floorEvents, [1]);
  await stop(bare);
  await closeClients();

  const server = start('sse-server.ts', [String(staffUsers), String(patientStreams), REDIS_URL]);
  const ready = await server.next('ready');
  const staff = ready.users.filter((u) => u.role !== 'patient');
  const patients = ready.users.filter((u) => u.role === 'patient');
  const clients: User[] = [];
  for (let i = 0; i < staffStreams; i++) clients.push(staff[Math.floor(i / PER_USER)]);
  clients.push(...patients);
  const patientIds = patients.length ? patients.map((p) => p.id) : [1];
  const idle = await server.stats();

  // Floor 2: one stream of ours, same changes.
  await openStream(ready.port, clients[0]);
  await sleep(300);
  const floorSeqs = await publish(server, 1, FLOOR_EVENTS, patientIds);
  const floor = latencies(server, floorSeqs).values;

  const ours = await holdAndPublish(server, ready.port, clients.slice(1), 100_000, EVENTS, patientIds);
  const { held, after, load, fanout } = ours;

  // Each change reaches every staff stream and the one patient it is about.
  const expectedDeliveries = EVENTS * (staffStreams + (patientStreams > 0 ? 1 : 0));
  const mb = (b: number) => (b / 1024 / 1024).toFixed(0);
  console.log(`streams held: ${held.streams} (client saw ${ours.opened + 1} open, ${ours.refused} refused) after ${ours.rampSeconds.toFixed(1)} s ramp; bare server held ${bareRun.held.streams}`);
  console.log('');
  console.log('| run | streams | deliveries | p50 ms | p99 ms | max ms |');
  console.log('|---|---|---|---|---|---|');
  console.log(`| floor: bare server, loop of socket writes | ${bareRun.held.streams} | ${bareRun.load.length}/${floorEvents * bareRun.held.streams} | ${pct(bareRun.load, 50)} | ${pct(bareRun.load, 99)} | ${pct(bareRun.load, 100)} |`);
  console.log(`| floor: one stream of ours | 1 | ${floor.length}/${FLOOR_EVENTS} | ${pct(floor, 50)} | ${pct(floor, 99)} | ${pct(floor, 100)} |`);
  console.log(`| ours | ${held.streams} | ${load.length}/${expectedDeliveries} | ${pct(load, 50)} | ${pct(load, 99)} | ${pct(load, 100)} |`);
  console.log(`| bare server side: loop of writes | ${bareRun.held.streams} | ${bareRun.fanout.length} changes | ${pct(bareRun.fanout, 50)} | ${pct(bareRun.fanout, 99)} | ${pct(bareRun.fanout, 100)} |`);
  console.log(`| our server side: commit → last write queued | ${held.streams} | ${fanout.length} changes | ${pct(fanout, 50)} | ${pct(fanout, 99)} | ${pct(fanout, 100)} |`);
  console.log('');
  console.log(`server RSS: ${mb(idle.rss)} MB idle, ${mb(held.rss)} MB holding ${held.streams} streams, ${mb(after.rss)} MB after the changes (heap ${mb(after.heapUsed)} MB); bare server ${mb(bareIdle.rss)} → ${mb(bareRun.held.rss)} MB`);
  // CPU is what the fan-out costs regardless of how busy the machine is; latency is not.
  const phaseSeconds = (EVENTS * INTERVAL_MS + 2000) / 1000;
  const perChange = (run: { held: Stats; after: Stats }, events: number) => (run.after.cpuMs - run.held.cpuMs) / events;
  console.log(`server CPU during the changes: ${perChange(ours, EVENTS).toFixed(1)} ms per change (${(((after.cpuMs - held.cpuMs) / 1000 / phaseSeconds) * 100).toFixed(0)}% of one core), heartbeats and checks included; bare server ${perChange(bareRun, floorEvents).toFixed(1)} ms per change`);
  console.log(`server event loop while changes went out: delay p99 ${after.loop.p99.toFixed(0)} ms, max ${after.loop.max.toFixed(0)} ms; GC ${after.gc.count} pauses, ${after.gc.totalMs.toFixed(0)} ms in all, longest ${after.gc.maxMs.toFixed(1)} ms`);
  console.log(`≈ ${(((held.rss - idle.rss) / Math.max(1, held.streams)) / 1024).toFixed(1)} KB per stream`);
  await stop(server);
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
