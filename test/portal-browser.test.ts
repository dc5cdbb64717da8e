import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduleRequest } from '../server/appointments/schedule.js';
import { db } from '../server/db/data-source.js';
import { Appointment, Diagnostic, Notification, User } from '../server/db/entities/index.js';
import { PORTAL_DIST } from '../server/http/portal-static.js';
import { addJournalEntry } from '../server/records/journal.js';
import { addPrescription } from '../server/records/prescriptions.js';
import { clinicParts, clinicTimeToUtc } from '../server/shared/clinic-time.js';
import { actorOf, makeUser } from '../server/users/test-fixtures.js';
import { buildPortal } from '../scripts/build-portal.js';
import { startPortalServer } from './portal-client.js';
import { useTestDatabase } from './support/db.js';

/**
 * The patient's whole path through the portal in Debian's chromium: register,
 * open the activation link the system wrote, log in, request a diagnostic,
 * and see it once an operator has scheduled it. Screenshots of every page at
 * desktop and phone width go to test/screenshots/.
 */
const CHROMIUM = '/usr/bin/chromium';
const SHOTS = path.resolve('test/screenshots');
const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;
const hasChromium = fs.existsSync(CHROMIUM);

if (!hasChromium) console.warn(`portal browser test skipped: ${CHROMIUM} is not installed (apt-get install -y chromium)`);

describe.skipIf(!hasChromium)('the patient portal in a browser', () => {
  useTestDatabase();
  let close: (() => Promise<void>) | undefined;
  let base: string;
  let context: BrowserContext;
  let userDataDir: string;
  const email = 'zoe.obrien@example.com';
  const password = 'a very private passphrase';

  beforeAll(async () => {
    if (!fs.existsSync(path.join(PORTAL_DIST, 'index.html'))) await buildPortal();
    ({ base, close } = await startPortalServer());
    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qhealth-chromium-'));
    // A fresh profile folder each run (playwright passes it as --user-data-dir).
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      viewport: VIEWPORTS.desktop,
      locale: 'en-GB',
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync',
      ],
    });
    const diagnostics = db().getRepository(Diagnostic);
    await diagnostics.save([
      diagnostics.create({ name: 'MRI', description: 'Magnetic resonance imaging of one body region.', durationMinutes: 45 }),
      diagnostics.create({ name: 'Chest X-ray', description: 'Two views of the chest.', durationMinutes: 15 }),
      diagnostics.create({ name: 'Blood panel', description: 'Full blood count and basic chemistry.', durationMinutes: 15 }),
    ]);
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await close?.();
    if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
  });

  /** Waits for the page's h1 to say `text` (the portal renders after fetching). */
  async function title(page: Page, text: string): Promise<void> {
    await page.getByRole('heading', { level: 1, name: text, exact: true }).waitFor();
  }

  async function nav(page: Page, link: string): Promise<void> {
    await page.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: link }).click();
  }

  async function shoot(page: Page, name: string): Promise<void> {
    for (const [width, size] of Object.entries(VIEWPORTS)) {
      await page.setViewportSize(size);
      await page.waitForTimeout(50);
      await page.screenshot({ path: path.join(SHOTS, `${name}-${width}.png`), fullPage: true });
    }
    await page.setViewportSize(VIEWPORTS.desktop);
  }

  /** The next weekday at least two days ahead, 10:00 clinic time: bookable and still cancellable. */
  function bookableStart(): Date {
    let day = new Date(Date.now() + 2 * 86_400_000);
    while (clinicParts(day).isoWeekday > 5) day = new Date(day.getTime() + 86_400_000);
    return clinicTimeToUtc(clinicParts(day).date, 10 * 60);
  }

  it('takes a patient from registration to a scheduled diagnostic, and through email change and password reset', async () => {
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));

    await page.goto(`${base}/register`);
    await title(page, 'Create your patient account');
    await shoot(page, 'register');

    // The browser checks first, the same rules as the server: errors sit next to their fields.
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.locator('#f-email-error').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-email');
    await shoot(page, 'register-errors');

    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByLabel('First name').fill('Zoë');
    await page.getByLabel('Last name').fill("O'Brien-Łukasiewicz");
    await page.getByLabel('Date of birth').fill('1988-07-21');
    await page.getByLabel('Phone (optional)').fill('+46 70 123 45 67');
    await page.getByLabel('City').fill('Göteborg');
    await page.getByRole('button', { name: 'Create account' }).click();
    await title(page, 'Check your email');

    // The link the system wrote into its outbox for the activation mail.
    const mail = await db().getRepository(Notification).findOneByOrFail({ kind: 'activation', toEmail: email });
    const link = String(mail.data.link);
    expect(link).toMatch(/^\/activate\?token=/);
    await page.goto(`${base}${link}`);
    await page.getByText('Your account is active').waitFor();
    await page.waitForURL(/\/login\?activated=1$/);
    await shoot(page, 'login');

    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await title(page, 'My appointments');

    await nav(page, 'Diagnostics');
    await title(page, 'Diagnostics');
    await page.getByRole('heading', { name: 'MRI' }).waitFor();
    await shoot(page, 'diagnostics');
    const mriCard = page.locator('li.card', { has: page.getByRole('heading', { name: 'MRI' }) });
    const xrayCard = page.locator('li.card', { has: page.getByRole('heading', { name: 'Chest X-ray' }) });
    // Opening a request form puts the keyboard in its note; closing it puts it back on "Request".
    await xrayCard.getByRole('button', { name: 'Request' }).click();
    await page.waitForFunction(() => document.activeElement?.tagName === 'TEXTAREA');
    await xrayCard.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForFunction(() => document.activeElement?.textContent === 'Request');
    await xrayCard.getByRole('button', { name: 'Request' }).click();
    await mriCard.getByRole('button', { name: 'Request' }).click();
    await mriCard.getByLabel('Note for the clinic (optional)').waitFor();
    // Two open forms: every id on the page is still unique, so each label names its own note.
    expect(await page.evaluate(() => {
      const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
      return ids.filter((id, i) => ids.indexOf(id) !== i).join(' ');
    })).toBe('');
    await xrayCard.getByRole('button', { name: 'Cancel' }).click();
    await mriCard.getByLabel('Note for the clinic (optional)').fill('Pain in my left knee after running.');
    await mriCard.getByRole('button', { name: 'Send request' }).click();
    await mriCard.getByText('Requested.').waitFor();

    const patient = await db().getRepository(User).findOneByOrFail({ email });
    const request = await db().getRepository(Appointment).findOneByOrFail({ patientId: patient.id, status: 'requested' });
    expect(request.patientNote).toBe('Pain in my left knee after running.');

    // An operator dates the request through the bookings service; the open page
    // moves it from "Requests" to "Upcoming" by itself (live refresh, SPEC §6).
    await nav(page, 'My appointments');
    const requests = page.locator('section', { has: page.getByRole('heading', { name: 'Requests' }) });
    await requests.getByRole('heading', { name: 'MRI' }).waitFor();
    await page.getByText('Live', { exact: true }).waitFor();
    const operator = await makeUser('operator');
    await scheduleRequest(actorOf(operator), request.id, { startsAt: bookableStart() });
    const upcoming = page.locator('section', { has: page.getByRole('heading', { name: 'Upcoming' }) });
    await upcoming.getByRole('heading', { name: 'MRI' }).waitFor({ timeout: 5_000 });
    await upcoming.getByText('Booked').waitFor();
    await upcoming.getByText(/You can cancel until/).waitFor();
    // The cancel confirmation takes focus when it opens and gives it back when dismissed.
    await upcoming.getByRole('button', { name: 'Cancel appointment…' }).click();
    await page.waitForFunction(() => document.activeElement?.id.startsWith('reason-'));
    await upcoming.getByRole('button', { name: 'Keep it' }).click();
    await page.waitForFunction(() => document.activeElement?.textContent === 'Cancel appointment…');
    await shoot(page, 'appointments');

    // A second, still undated request and some records make the remaining pages worth a look.
    const xray = await page.request.post(`${base}/api/requests`, { data: { diagnosticId: (await db().getRepository(Diagnostic).findOneByOrFail({ name: 'Chest X-ray' })).id } });
    expect(xray.status()).toBe(201);
    const doctor = await makeUser('doctor', { lastName: 'Lindgren' });
    const pharmacist = await makeUser('pharmacist', { firstName: 'Maja', lastName: 'Berg' });
    const entry = await addJournalEntry(actorOf(doctor), {
      patientId: patient.id, diagnosis: 'Patellofemoral pain', description: 'Pain behind the left kneecap when running downhill.', plan: 'Physiotherapy for six weeks; MRI if no better.',
    });
    await addPrescription(actorOf(pharmacist), { patientId: patient.id, medication: 'Ibuprofen', dosage: '400 mg', instructions: 'Up to three times a day with food, for at most ten days.', journalEntryId: entry.id });
    await page.reload();
    await page.getByRole('heading', { name: 'Requests' }).waitFor();
    await page.getByRole('button', { name: 'Withdraw request…' }).waitFor();
    await shoot(page, 'appointments');

    await nav(page, 'Journal');
    await page.getByRole('heading', { name: 'Patellofemoral pain' }).waitFor();
    await shoot(page, 'journal');
    await nav(page, 'Prescriptions');
    await page.getByRole('heading', { name: 'Ibuprofen' }).waitFor();
    await shoot(page, 'prescriptions');
    await nav(page, 'Profile');
    await page.getByLabel('City').waitFor();
    await page.waitForFunction(() => (document.getElementById('f-addressCity') as HTMLInputElement | null)?.value === 'Göteborg');
    await shoot(page, 'profile');
    // Deleting asks first; the question takes focus on its safe answer and gives it back.
    await page.getByRole('button', { name: 'Delete account…' }).click();
    await page.waitForFunction(() => document.activeElement?.textContent === 'Keep my account');
    await page.getByRole('button', { name: 'Keep my account' }).click();
    await page.waitForFunction(() => document.activeElement?.textContent === 'Delete account…');

    // An email change goes to the new address; its link confirms it.
    await page.getByLabel('New email address').fill('zoe.new@example.com');
    await page.getByRole('button', { name: 'Send a confirmation link' }).click();
    await page.getByText('We sent a link to zoe.new@example.com').waitFor();
    const change = await db().getRepository(Notification).findOneByOrFail({ kind: 'email_change', toEmail: 'zoe.new@example.com' });
    await page.goto(`${base}${String(change.data.link)}`);
    await title(page, 'Email address confirmed');
    await shoot(page, 'verify-email');

    // Logged out: the forgotten-password page.
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/login$/);
    await page.getByRole('link', { name: 'Forgotten your password?' }).click();
    await title(page, 'Forgotten password');
    await shoot(page, 'forgot-password');
    await page.getByLabel('Email', { exact: true }).fill('zoe.new@example.com');
    await page.getByRole('button', { name: 'Send me a link' }).click();
    await page.getByText('If an account uses that address').waitFor();
    const reset = await db().getRepository(Notification).findOneByOrFail({ kind: 'password_reset', toEmail: 'zoe.new@example.com' });
    await page.goto(`${base}${String(reset.data.link)}`);
    await title(page, 'Choose a new password');
    await shoot(page, 'reset-password');
    await page.getByLabel('New password', { exact: true }).fill('a brand new passphrase');
    await page.getByLabel('Repeat the new password').fill('a brand new passphrase');
    await page.getByRole('button', { name: 'Save password' }).click();
    await page.getByText('Your password is changed').waitFor();
    await page.getByLabel('Email', { exact: true }).fill('zoe.new@example.com');
    await page.getByLabel('Password', { exact: true }).fill('a brand new passphrase');
    await page.getByRole('button', { name: 'Log in' }).click();
    await title(page, 'My appointments');

    expect(problems, problems.join('\n')).toEqual([]);

    // The API's documentation renders from local assets (no CDN) and lists the contract.
    const failed: string[] = [];
    // Only the docs' own requests count: leaving the portal cuts its live stream and any re-read still in flight.
    page.on('requestfailed', (r) => {
      const { pathname } = new URL(r.url());
      if (pathname.startsWith('/api/docs') || pathname === '/api/openapi.json') failed.push(`${r.url()} ${r.failure()?.errorText}`);
    });
    await page.goto(`${base}/api/docs/`);
    await page.getByText('QHealth patient portal API').first().waitFor();
    await page.getByText('/api/appointments/{id}/cancel').first().waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'api-docs-desktop.png') });
    expect(failed, failed.join('\n')).toEqual([]);
    await page.close();
  }, 120_000);
});
