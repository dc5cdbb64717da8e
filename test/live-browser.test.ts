import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userActor } from '../server/access/actor.js';
import { requestDiagnostic, scheduleRequest } from '../server/appointments/index.js';
import { createDiagnostic } from '../server/catalogue/index.js';
import { clinicParts, clinicTimeToUtc } from '../server/shared/clinic-time.js';
import type { User } from '../server/db/entities/user.js';
import { PORTAL_DIST } from '../server/http/portal-static.js';
import { stopLiveBus, startLiveBus } from '../server/live/start.js';
import { addJournalEntry } from '../server/records/index.js';
import { FIXTURE_PASSWORD, makeUser } from '../server/users/test-fixtures.js';
import { buildPortal } from '../scripts/build-portal.js';
import { startPortalServer } from './portal-client.js';
import { useTestDatabase } from './support/db.js';

/**
 * Live lists end to end in Debian's Chromium, against the real app (createApp):
 * the panel's list and the portal's pages re-read themselves after a change
 * made elsewhere, without a reload.
 */
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = fs.existsSync(CHROMIUM);

useTestDatabase();

/** The next weekday at least two days ahead, 10:00 clinic time. */
function bookableStart(): Date {
  let day = new Date(Date.now() + 2 * 86_400_000);
  while (clinicParts(day).isoWeekday > 5) day = new Date(day.getTime() + 86_400_000);
  return clinicTimeToUtc(clinicParts(day).date, 10 * 60);
}

describe.skipIf(!hasChromium)('live lists in a browser (skipped without /usr/bin/chromium)', () => {
  let server: { url: string; close: () => Promise<void> };
  let browser: Browser;
  let doctor: User;
  let colleague: User;
  let patient: User;

  beforeAll(async () => {
    await startLiveBus({ redisUrl: undefined });
    doctor = await makeUser('doctor');
    colleague = await makeUser('doctor');
    patient = await makeUser('patient', { dateOfBirth: '1980-01-01' });
    await addJournalEntry(userActor(colleague), { patientId: patient.id, diagnosis: 'Old news', description: 'Seen before' });
    if (!fs.existsSync(path.join(PORTAL_DIST, 'index.html'))) await buildPortal();
    const started = await startPortalServer();
    server = { url: started.base, close: started.close };
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

  it("shows a request the operator schedules on the patient's open appointments page without a reload", async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    const diagnostic = await createDiagnostic(userActor(await makeUser('admin')), { name: 'Ultrasound', durationMinutes: 30 });
    const request = await requestDiagnostic(userActor(patient), { diagnosticId: diagnostic.id, note: 'Side pain' });
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Email', { exact: true }).fill(patient.email);
    await page.getByLabel('Password', { exact: true }).fill(FIXTURE_PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await page.goto(`${server.url}/appointments`);
    const upcoming = page.locator('section[aria-labelledby="upcoming-h"]');
    await upcoming.getByText('No upcoming appointments.').waitFor({ timeout: 15_000 });
    await page.waitForTimeout(500); // the stream is open
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

    const started = Date.now();
    await scheduleRequest(userActor(await makeUser('operator')), request.id, { startsAt: bookableStart() });
    await upcoming.getByText('Ultrasound').waitFor({ timeout: 5_000 });
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  }, 60_000);

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
