/**
 * Quick start: `npm start` builds what is missing, then runs the web server and
 * the worker as one process group on embedded storage. Ctrl-C stops both.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';

const node = process.execPath;
const tsx = ['--import', 'tsx'];

/** The newest modification time under the folders the portal and panel bundles are built from. */
function newestSource(paths: string[]): number {
  let newest = 0;
  for (const p of paths) {
    if (!fs.existsSync(p)) continue;
    const stat = fs.statSync(p);
    if (stat.isDirectory()) newest = Math.max(newest, newestSource(fs.readdirSync(p).map((f) => `${p}/${f}`)));
    else newest = Math.max(newest, stat.mtimeMs);
  }
  return newest;
}

// A full build when there is none, when asked, or when the portal's or the
// panel components' sources changed since the last one (after a pull, say).
const marker = 'dist/.build-complete';
const fullBuild =
  !fs.existsSync(marker) ||
  process.argv.includes('--rebuild') ||
  newestSource(['portal/src', 'portal/index.html', 'admin/components', 'package-lock.json']) > fs.statSync(marker).mtimeMs;
// The server bundles alone when their sources changed: an unchanged bundle
// keeps the code cache its last start wrote (server/entry/load-web.ts).
const serverBundles = ['dist/server/main.js', 'dist/server/web.cjs', 'dist/server/worker.js'];
const serverBuild =
  fullBuild ||
  serverBundles.some((f) => !fs.existsSync(f)) ||
  newestSource(['server', 'admin', 'migrations', 'scripts', 'package.json', 'package-lock.json', 'tsconfig.json']) >
    Math.min(...serverBundles.map((f) => fs.statSync(f).mtimeMs));
if (serverBuild) {
  const built = spawnSync(node, [...tsx, 'scripts/build.ts', ...(fullBuild ? [] : ['--server-only'])], { stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const children: ChildProcess[] = [];
function run(name: string, file: string): void {
  const child = spawn(node, ['--enable-source-maps', file], { stdio: 'inherit', env: { ...process.env, QHEALTH_PROCESS: name } });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${name} exited (${signal ?? code}); stopping`);
      stop();
      process.exitCode = code ?? 1;
    }
  });
  children.push(child);
}

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  for (const c of children) c.kill('SIGTERM');
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

// The prebuilt bundles (npm run build) start in a fraction of tsx's time.
run('web', 'dist/server/main.js');
run('worker', 'dist/server/worker.js');
