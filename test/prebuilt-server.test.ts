/**
 * The production start: `node --enable-source-maps dist/server/main.js` (npm
 * run start:web, the image) on the prebuilt bundles of `npm run build` — the
 * web server with its packages bundled in, AdminJS's bundler and browser side
 * left out, the panel's components prebuilt — serves the portal, the API and
 * a working panel, and keeps V8's code cache beside the bundle.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NAVIGATION_BY_ROLE } from '../admin/navigation.js';
import { closeDatabase, openDatabase } from '../server/db/data-source.js';
import { DEMO_PASSWORD, seedDemo } from '../server/seed/demo.js';
import { PanelClient } from './panel-support.js';
import { freePort, waitForHttp } from './support/nginx.js';

const SERVER_DIR = 'dist/server';
const CHROMIUM = '/usr/bin/chromium';

let scratch: string;
let template: string;
const running: ChildProcess[] = [];

/** A production web process on its own copy of the demo clinic. */
async function startPrebuilt(name: string): Promise<{ url: string; child: ChildProcess; output: () => string }> {
  const dir = path.join(scratch, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(template, path.join(dir, 'qhealth.sqlite'));
  const port = await freePort();
  const child = spawn(process.execPath, ['--enable-source-maps', `${SERVER_DIR}/main.js`], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      SESSION_SECRET: 'prebuilt-server-test-secret-0123456789abcdef',
      PORT: String(port),
      SQLITE_PATH: path.join(dir, 'qhealth.sqlite'),
      MAIL_DIR: path.join(dir, 'mail'),
      PGLITE_DIR: path.join(dir, 'pglite'),
      LOG_LEVEL: 'warn',
      // The embedded defaults and the bundle of `npm run build`, whatever the suite runs on.
      DATABASE_URL: '', REDIS_URL: '', PG_BOSS_URL: '', ADMIN_JS_TMP_DIR: '', ADMIN_JS_SKIP_BUNDLE: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/readyz`, 90_000).catch((err) => {
    throw new Error(`${err.message}\n${out}`);
  });
  return { url, child, output: () => out };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

function codeCaches(): string[] {
  return fs.readdirSync(SERVER_DIR).filter((f) => /^web\..+\.cache$/.test(f)).map((f) => path.join(SERVER_DIR, f));
}

/** Waits (polling, generously) for the start to write its code cache. */
async function cacheWritten(differentFrom?: Buffer): Promise<string> {
  for (let i = 0; i < 600; i++) {
    const [file] = codeCaches();
    if (file && (!differentFrom || !fs.readFileSync(file).equals(differentFrom))) return file;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no code cache was written');
}

function writable(dir: string): boolean {
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

describe('the prebuilt web server (npm run build, then npm run start:web)', () => {
  beforeAll(async () => {
    if (!fs.existsSync('dist/.build-complete') || !fs.existsSync(`${SERVER_DIR}/web.cjs`)) {
      const built = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], { stdio: 'inherit' });
      if (built.status !== 0) throw new Error('npm run build failed');
    }
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'qhealth-prebuilt-'));
    template = path.join(scratch, 'demo.sqlite');
    await openDatabase({ kind: 'sqlite', path: template });
    await seedDemo();
    await closeDatabase();
  }, 240_000);

  afterAll(async () => {
    await Promise.all(running.map(stop));
    fs.rmSync(scratch, { recursive: true, force: true });
  }, 60_000);

  it('serves the portal, the API with its documentation, and the panel with its prebuilt components', async () => {
    const { url, child } = await startPrebuilt('serves');
    const portal = await fetch(`${url}/`);
    expect(portal.status).toBe(200);
    expect(await portal.text()).toContain('<div id="app"');

    const openapi = await fetch(`${url}/api/openapi.json`);
    expect(openapi.status).toBe(200);
    const document = await openapi.json();
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toContain('/api/auth/login');
    // Swagger UI's files come from its package in node_modules, found from inside the bundle.
    const init = await fetch(`${url}/api/docs/swagger-ui-init.js`);
    expect(await init.text()).toContain('QHealth patient portal API');
    expect((await fetch(`${url}/api/docs/swagger-ui-bundle.js`)).status).toBe(200);

    const panel = new PanelClient(url);
    expect((await panel.get('/admin/login')).text).toContain('QHealth staff panel');
    const login = await panel.login('doctor@qhealth.test', DEMO_PASSWORD);
    expect(login.status).toBe(302);
    const page = await panel.get('/admin');
    expect(page.status).toBe(200);
    // AdminJS's own scripts from its package, and the components `npm run build` bundled.
    for (const asset of ['app.bundle.js', 'global.bundle.js', 'design-system.bundle.js', 'components.bundle.js']) {
      expect(page.text).toContain(`/admin/frontend/assets/${asset}`);
      const res = await panel.get(`/admin/frontend/assets/${asset}`);
      expect(res.status, asset).toBe(200);
    }
    expect((await panel.get('/admin/frontend/assets/components.bundle.js')).text).toBe(fs.readFileSync('dist/adminjs/bundle.js', 'utf8'));
    const list = await panel.get('/admin/api/resources/Appointments/actions/list');
    expect(list.status).toBe(200);
    expect((list.json().records as unknown[]).length).toBeGreaterThan(0);
    await stop(child);
  }, 120_000);

  it.skipIf(!fs.existsSync(CHROMIUM))('shows a doctor the panel in a browser: their navigation and dashboard', async () => {
    const { url, child } = await startPrebuilt('browser');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
    try {
      const page = await (await browser.newContext()).newPage();
      await page.goto(`${url}/admin/login`);
      await page.fill('input[name="email"]', 'doctor@qhealth.test');
      await page.fill('input[name="password"]', DEMO_PASSWORD);
      await page.click('form[action="/admin/login"] button');
      await page.waitForURL(`${url}/admin`);
      await page.waitForSelector('[data-css="sidebar"] a[href*="/admin/resources/"]', { timeout: 30_000 });
      const navigation = await page.$$eval('[data-css="sidebar"] a[href*="/admin/resources/"]', (links) => links.map((a) => (a.textContent ?? '').trim()));
      expect(navigation).toEqual(NAVIGATION_BY_ROLE.doctor);
      await page.waitForSelector('[data-testid="dashboard-doctor"]', { timeout: 30_000 });
    } finally {
      await browser.close();
      await stop(child);
    }
  }, 120_000);

  describe.skipIf(!writable(SERVER_DIR))('V8 code cache', () => {
    it('is written beside the bundle after the first start, and the next start serves the panel from it', async () => {
      for (const f of codeCaches()) fs.rmSync(f);
      const first = await startPrebuilt('cache-first');
      const cache = await cacheWritten();
      await stop(first.child);
      const written = fs.readFileSync(cache);

      const second = await startPrebuilt('cache-second');
      expect((await fetch(`${second.url}/admin/login`)).status).toBe(200);
      // A cache V8 took is kept as it is.
      expect(fs.readFileSync(cache).equals(written)).toBe(true);
      await stop(second.child);
    }, 180_000);

    it('is replaced when damaged, and the server starts without it', async () => {
      const [existing] = codeCaches();
      const damaged = Buffer.from('not a V8 code cache');
      const cache = existing ?? (await (async () => {
        const s = await startPrebuilt('cache-make');
        const f = await cacheWritten();
        await stop(s.child);
        return f;
      })());
      fs.writeFileSync(cache, damaged);
      const server = await startPrebuilt('cache-damaged');
      expect((await fetch(`${server.url}/admin/login`)).status).toBe(200);
      await cacheWritten(damaged);
      await stop(server.child);
    }, 180_000);
  });
});
