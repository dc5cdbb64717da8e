import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const NGINX_BIN = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => fs.existsSync(p));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Runs Debian's nginx with the project's own nginx/qhealth.conf, rewritten only
 * where the topology differs from docker compose: the upstream servers are
 * local processes, the listen port is free, the portal root is dist/portal.
 */
export async function startNginx(upstreamPorts: number[]): Promise<{ port: number; stop: () => Promise<void> }> {
  if (!NGINX_BIN) throw new Error('nginx is not installed');
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qhealth-nginx-'));
  // nginx's workers drop root; they must reach the temp folders for request bodies.
  fs.chmodSync(dir, 0o755);
  const site = fs
    .readFileSync('nginx/qhealth.conf', 'utf8')
    .replace(/server web:3000[^;]*;/, upstreamPorts.map((p) => `server 127.0.0.1:${p};`).join('\n    '))
    .replace('listen 8080;', `listen 127.0.0.1:${port};`)
    .replace('root /srv/portal;', `root ${path.resolve('dist/portal')};`);
  const conf = `
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
daemon off;
worker_processes 1;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  include /etc/nginx/mime.types;
  ${site}
}`;
  fs.writeFileSync(path.join(dir, 'nginx.conf'), conf);
  const check = spawnSync(NGINX_BIN, ['-t', '-p', dir, '-c', path.join(dir, 'nginx.conf')], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`nginx config test failed: ${check.stderr}`);
  const child: ChildProcess = spawn(NGINX_BIN, ['-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: 'ignore' });
  await waitForHttp(`http://127.0.0.1:${port}/healthz`, 15_000, true);
  return {
    port,
    stop: async () => {
      child.kill('SIGQUIT');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls until the URL answers (any status when `anyStatus`, else 2xx). */
export async function waitForHttp(url: string, timeoutMs: number, anyStatus = false): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (anyStatus || res.ok) return;
      last = res.status;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${url} did not answer in ${timeoutMs} ms (${String(last)})`);
}
