/**
 * `npm run bench:start [runs]`: how long the prebuilt web server takes from
 * `node --enable-source-maps dist/server/main.js` (as `npm run start:web`
 * runs it; NODE_ENV=production, SQLite with the demo clinic in it) to its
 * first 200 from /healthz and from /admin/login (the panel's login page), a
 * fresh process each run on a fresh copy of one demo database. The floor,
 * measured in the same run the same way: a bare `node -e` HTTP server's time
 * to its first answer. Builds nothing (run `npm run build` first); prints
 * figures, asserts nothing.
 *
 *   BENCH_NODE_FLAGS="" npm run bench:start 5   # without --enable-source-maps
 *   BENCH_ENTRY=other/server/main.js npm run bench:start   # another build, to compare
 *
 * Also prints the CPU time the server used until /admin/login answered
 * (user + system, from /proc on Linux): on a shared machine it moves far
 * less with the load than the wall-clock time does.
 *
 * The first start after a build has no V8 code cache yet (it writes one once
 * it listens: server/entry/load-web.ts); the benchmark removes the cache
 * first, times that start on its own, and the others with the cache.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { closeDatabase, openDatabase } from '../server/db/data-source.js';
import { seedDemo } from '../server/seed/demo.js';

const RUNS = Number(process.argv[2] ?? 5);
const NODE_FLAGS = (process.env.BENCH_NODE_FLAGS ?? '--enable-source-maps').split(' ').filter(Boolean);
const ENTRY = process.env.BENCH_ENTRY ?? 'dist/server/main.js';
const POLL_MS = 5;

if (!fs.existsSync(ENTRY)) {
  console.error(`${ENTRY} is missing: run \`npm run build\` first (this benchmark builds nothing).`);
  process.exit(1);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function status(port: number, urlPath: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.setTimeout(5000, () => req.destroy());
  });
}

/** Milliseconds from `started` until `urlPath` answers 200 (polled every few ms; any earlier answer is noted). */
async function firstOk(port: number, urlPath: string, started: bigint, child: ChildProcess): Promise<{ ms: number; earlier: number[] }> {
  const earlier = new Set<number>();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}) before ${urlPath} answered 200`);
    const code = await status(port, urlPath);
    if (code === 200) return { ms: Number(process.hrtime.bigint() - started) / 1e6, earlier: [...earlier] };
    if (code !== 0) earlier.add(code);
    if (Number(process.hrtime.bigint() - started) > 60e9) throw new Error(`${urlPath} gave no 200 within 60 s`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  });
}

async function floorRun(): Promise<number> {
  const port = await freePort();
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, ['-e', `require('http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1')`], { stdio: 'ignore' });
  try {
    return (await firstOk(port, '/', started, child)).ms;
  } finally {
    await stopChild(child);
  }
}

/** CPU seconds (user + system) a process has used so far, where /proc tells. */
function cpuSeconds(pid: number | undefined): number | undefined {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 a second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** The code cache files beside the entry (none for a build without one). */
function codeCaches(): string[] {
  const dir = path.dirname(ENTRY);
  return fs.readdirSync(dir).filter((f) => /^web\..+\.cache$/.test(f)).map((f) => path.join(dir, f));
}

async function serverRun(template: string, scratch: string, run: number): Promise<{ healthz: number; login: number; cpu?: number; earlier: number[] }> {
  const dir = path.join(scratch, `run-${run}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(template, path.join(dir, 'qhealth.sqlite'));
  const port = await freePort();
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    SESSION_SECRET: 'bench-start-session-secret-0123456789abcdef',
    PORT: String(port),
    SQLITE_PATH: path.join(dir, 'qhealth.sqlite'),
    MAIL_DIR: path.join(dir, 'mail'),
    PGLITE_DIR: path.join(dir, 'pglite'),
    LOG_LEVEL: 'warn',
    DATABASE_URL: '', REDIS_URL: '', PG_BOSS_URL: '', ADMIN_JS_SKIP_BUNDLE: '', ADMIN_JS_TMP_DIR: '',
  };
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [...NODE_FLAGS, ENTRY], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    const [healthz, login] = await Promise.all([
      firstOk(port, '/healthz', started, child),
      firstOk(port, '/admin/login', started, child),
    ]);
    const cpu = cpuSeconds(child.pid);
    // Ready means all of it: the portal and the API answer too.
    for (const p of ['/', '/api/openapi.json', '/readyz']) {
      const code = await status(port, p);
      if (code !== 200) throw new Error(`${p} answered ${code} once /healthz and /admin/login were up`);
    }
    // A start without a code cache writes one once it listens: let it finish.
    const bundled = fs.existsSync(path.join(path.dirname(ENTRY), 'web.cjs'));
    for (let waited = 0; bundled && !codeCaches().length && waited < 15_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    return { healthz: healthz.ms, login: login.ms, cpu, earlier: [...new Set([...healthz.earlier, ...login.earlier])] };
  } finally {
    await stopChild(child);
  }
}

function summary(values: number[]): string {
  const s = [...values].sort((a, b) => a - b);
  const median = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return `median ${median.toFixed(0)} ms, min ${s[0].toFixed(0)}, max ${s[s.length - 1].toFixed(0)}`;
}

async function main(): Promise<void> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'qhealth-bench-start-'));
  try {
    const template = path.join(scratch, 'demo.sqlite');
    await openDatabase({ kind: 'sqlite', path: template });
    await seedDemo();
    await closeDatabase();

    const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
    console.log(`server start: ${RUNS} runs of node ${[...NODE_FLAGS, ENTRY].join(' ')} (${os.cpus().length} cores, load ${load()})`);
    for (const f of codeCaches()) fs.rmSync(f);
    const floors: number[] = [];
    const groups = new Map<string, { healthz: number[]; login: number[]; cpu: number[] }>();
    for (let i = 1; i <= RUNS; i++) {
      floors.push(await floorRun());
      const group = codeCaches().length ? 'with code cache' : 'no code cache';
      const r = await serverRun(template, scratch, i);
      const g = groups.get(group) ?? { healthz: [], login: [], cpu: [] };
      groups.set(group, g);
      g.healthz.push(r.healthz);
      g.login.push(r.login);
      if (r.cpu !== undefined) g.cpu.push(r.cpu * 1000);
      const earlier = r.earlier.length ? `  (answered ${r.earlier.join(', ')} before 200)` : '';
      console.log(`  run ${i} (${group}): /healthz ${r.healthz.toFixed(0)} ms, /admin/login ${r.login.toFixed(0)} ms${r.cpu === undefined ? '' : ` (CPU ${r.cpu.toFixed(2)} s)`}; floor ${floors[i - 1].toFixed(0)} ms${earlier}`);
    }
    for (const [group, g] of groups) {
      console.log(`${group} (${g.login.length} runs):`);
      console.log(`  /healthz 200:      ${summary(g.healthz)}`);
      console.log(`  /admin/login 200:  ${summary(g.login)}`);
      if (g.cpu.length) console.log(`  CPU until ready:   ${summary(g.cpu)}`);
    }
    console.log(`floor (bare node):   ${summary(floors)}`);
    console.log(`load after: ${load()}`);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
