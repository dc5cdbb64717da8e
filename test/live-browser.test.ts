import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { buildRouter } from '@adminjs/express';
import express from 'express';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mountPanelLogin, requirePanelUser } from '../admin/auth.js';
import { mountPanelLive, PANEL_LIVE_SCRIPT_URL } from '../admin/live/index.js';
import { createAdmin } from '../admin/setup.js';
import '../admin/adminjs-env.js';
import { userActor } from '../server/access/actor.js';
import { createSessionMiddleware } from '../server/auth/session.js';
import type { User } from '../server/db/entities/user.js';
import { errorHandler } from '../server/http/errors.js';
import { requestId } from '../server/http/request-context.js';
import { stopLiveBus, startLiveBus } from '../server/live/start.js';
import { addJournalEntry } from '../server/records/index.js';
import { FIXTURE_PASSWORD, makeUser } from '../server/users/test-fixtures.js';
import { useTestDatabase } from './support/db.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = fs.existsSync(CHROMIUM);

useTestDatabase();

/**
 * The panel wired the way admin/live/index.ts asks: the live routes right
 * after the session, the script in AdminJS's assets.
 */
async function startPanel(): Promise<{ url: string; close: () => Promise<void> }> {
  const admin = createAdmin();
  admin.options.assets = { styles: [], scripts: [PANEL_LIVE_SCRIPT_URL] };
  const app = express();
  app.use(requestId);
  const router = express.Router();
  router.use(await createSessionMiddleware());
  mountPanelLive(router);
  mountPanelLogin(router, admin);
  router.use(requirePanelUser(admin));
  buildRouter(admin, router);
  app.use(admin.options.rootPath, router);
  app.use(errorHandler);
  const server: Server = await new Promise((ok) => {
    const s = app.listen(0, '127.0.0.1', () => ok(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((ok) => {
      server.closeAllConnections();
      server.close(() => ok());
    }),
  };
}

describe.skipIf(!hasChromium)('live lists in the panel, in a browser (skipped without /usr/bin/chromium)', () => {
  let server: Awaited<ReturnType<typeof startPanel>>;
  let browser: Browser;
  let doctor: User;
  let colleague: User;
  let patient: User;

  beforeAll(async () => {
    await startLiveBus({ redisUrl: undefined });
    doctor = await makeUser('doctor');
    colleague = await makeUser('doctor');
    patient = await makeUser('patient');
    await addJournalEntry(userActor(colleague), { patientId: patient.id, diagnosis: 'Old news', description: 'Seen before' });
    server = await startPanel();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stopLiveBus();
    await server?.close();
  });

  async function logIn(user: User): Promise<Page> {
    const page = await (await browser.newContext({ viewport: { width: 1360, height: 900 } })).newPage();
    await page.goto(`${server.url}/admin/login`);
    await page.fill('input[name="email"]', user.email);
    await page.fill('input[name="password"]', FIXTURE_PASSWORD);
    await page.click('form[action="/admin/login"] button');
    await page.waitForURL(`${server.url}/admin`);
    return page;
  }

  it("shows a colleague's new journal entry in a doctor's open list without a reload, keeping its filters and sort", async () => {
    const page = await logIn(doctor);
    const search = `filters.patientId=${patient.id}&sortBy=createdAt&direction=desc&page=1`;
    await page.goto(`${server.url}/admin/resources/Journal?${search}`);
    await page.getByText('Old news').first().waitFor({ timeout: 20_000 });
    await page.locator('[role="status"][data-state="live"]').waitFor({ timeout: 10_000 });
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

    const started = Date.now();
    await addJournalEntry(userActor(colleague), { patientId: patient.id, diagnosis: 'Fresh fracture', description: 'Left wrist' });
    await page.getByText('Fresh fracture').first().waitFor({ timeout: 5_000 });
    const took = Date.now() - started;

    expect(took).toBeLessThan(2_500);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await expect.poll(() => new URL(page.url()).search.slice(1)).toBe(search);
  }, 60_000);
});
