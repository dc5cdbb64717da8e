import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { NAVIGATION_BY_ROLE } from '../admin/navigation.js';
import { userActor } from '../server/access/actor.js';
import type { StaffRole } from '../server/access/roles.js';
import { bookVisit, requestDiagnostic } from '../server/appointments/index.js';
import { clinicTimeToUtc } from '../server/shared/clinic-time.js';
import { grantAdmin, setDoctorAccepting } from '../server/users/index.js';
import { createDiagnostic } from '../server/catalogue/index.js';
import { db } from '../server/db/data-source.js';
import { Appointment } from '../server/db/entities/appointment.js';
import { JournalEntry } from '../server/db/entities/journal-entry.js';
import type { User } from '../server/db/entities/user.js';
import { addPrescription } from '../server/records/index.js';
import { FIXTURE_PASSWORD, makeUser } from '../server/users/test-fixtures.js';
import { startServer } from './panel-support.js';
import { useTestDatabase } from './support/db.js';

// A bundle folder of this run's own: outside production AdminJS serves whatever
// bundle.js the folder holds, so a bundle built before a component changed
// would be tested instead of the component. Set before AdminJS is imported.
vi.hoisted(() => {
  process.env.ADMIN_JS_TMP_DIR = `/tmp/qhealth-panel-bundle-${process.pid}-${Date.now()}`;
});

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = path.resolve('test/screenshots');
const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium) console.warn(`panel browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);

useTestDatabase();

let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
const staff = {} as Record<StaffRole, User>;
let patient: User;
let requestId: number;
let visitId: number;
let visitStart: Date;
let otherRequestId: number;

/** A zone far from the clinic's (Europe/Stockholm in tests): 12 hours ahead, so even the date differs at night. */
const OTHER_ZONE = 'Pacific/Auckland';

/** "14:00 CET": a moment's clock time and zone name in the clinic's zone, as staff should read it. */
function clinicClock(at: Date): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Stockholm', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' }).format(at);
}

/** The next weekday at least two days ahead, as YYYY-MM-DD (the clinic is closed at weekends). */
function nextWeekday(): string {
  const d = new Date(Date.now() + 2 * 86_400_000);
  while ([0, 6].includes(d.getUTCDay())) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

async function loggedIn(role: StaffRole, user: User = staff[role], timezoneId?: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, ...(timezoneId ? { timezoneId } : {}) });
  const page = await context.newPage();
  page.on('dialog', (d) => void d.accept());
  await page.goto(`${server.url}/admin/login`);
  await page.fill('input[name="email"]', user.email);
  await page.fill('input[name="password"]', FIXTURE_PASSWORD);
  await page.click('form[action="/admin/login"] button');
  await page.waitForURL(`${server.url}/admin`);
  return { context, page };
}

async function navigation(page: Page): Promise<string[]> {
  await page.waitForSelector('[data-css="sidebar"] a[href*="/admin/resources/"]');
  return page.$$eval('[data-css="sidebar"] a[href*="/admin/resources/"]', (links) => links.map((a) => (a.textContent ?? '').trim()));
}

async function submitAction(page: Page): Promise<string> {
  await page.click('[data-testid="action-submit"]');
  const notice = page.locator('[data-testid="notice-wrapper"], [data-css="notice-wrapper"], .admin-notice, [role="alert"]').first();
  await notice.waitFor({ timeout: 15_000 }).catch(() => undefined);
  return (await notice.textContent().catch(() => '')) ?? '';
}

describe.skipIf(!hasChromium)('the staff panel in a browser', () => {
  beforeAll(async () => {
    for (const role of ['superuser', 'admin', 'doctor', 'operator', 'pharmacist'] as StaffRole[]) staff[role] = await makeUser(role);
    patient = await makeUser('patient', { firstName: 'Åsa', lastName: "O'Neill-Lindqvist" });
    const diagnostic = await createDiagnostic(userActor(staff.admin), { name: 'MRI', durationMinutes: 30 } as never);
    requestId = (await requestDiagnostic(userActor(patient), { diagnosticId: diagnostic.id, note: 'Knee pain' })).id;
    await addPrescription(userActor(staff.pharmacist), { patientId: patient.id, medication: 'Ibuprofen', dosage: '400 mg', instructions: 'Twice a day' });
    // An upcoming visit for the doctor's dashboard, and one of a doctor who stopped taking bookings for the operator's.
    visitStart = clinicTimeToUtc(nextWeekday(), 14 * 60);
    visitId = (await bookVisit(userActor(staff.operator), { patientId: patient.id, doctorId: staff.doctor.id, startsAt: visitStart.toISOString() })).id;
    // A request of its own (another patient, another diagnostic) for the test of the slot picker's zone.
    const ultrasound = await createDiagnostic(userActor(staff.admin), { name: 'Ultrasound', durationMinutes: 30 } as never);
    const third = await makeUser('patient', { firstName: 'Mikael', lastName: 'Åkesson' });
    otherRequestId = (await requestDiagnostic(userActor(third), { diagnosticId: ultrasound.id })).id;
    const leaving = await makeUser('doctor', { firstName: 'Jean-Luc', lastName: 'Bäckström' });
    const second = await makeUser('patient', { firstName: 'Noor', lastName: 'Al-Haddad' });
    await bookVisit(userActor(staff.operator), { patientId: second.id, doctorId: leaving.id, startsAt: clinicTimeToUtc(nextWeekday(), 15 * 60).toISOString() });
    await setDoctorAccepting(userActor(staff.admin), leaving.id, false);
    server = await startServer();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
      // Playwright gives the browser a fresh temporary --user-data-dir of its own.
    });
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    fs.rmSync(String(process.env.ADMIN_JS_TMP_DIR), { recursive: true, force: true });
  });

  it.each(['superuser', 'admin', 'doctor', 'operator', 'pharmacist'] as StaffRole[])(
    'shows a %s exactly their navigation and their dashboard',
    async (role) => {
      const { context, page } = await loggedIn(role);
      expect(await navigation(page)).toEqual(NAVIGATION_BY_ROLE[role]);
      await page.waitForSelector(`[data-testid="dashboard-${role}"]`, { timeout: 30_000 });
      await context.close();
    },
    90_000,
  );

  it('lets an operator schedule a waiting request into a free slot, and the appointment appears', async () => {
    const { context, page } = await loggedIn('operator');
    await page.goto(`${server.url}/admin/resources/Requests/records/${requestId}/schedule`);
    await page.fill('input[name="date"]', nextWeekday());
    const firstSlot = page.locator('[data-testid="slots"] button').first();
    await firstSlot.waitFor({ timeout: 15_000 });
    await firstSlot.click();
    await submitAction(page);
    await expect.poll(async () => (await db().getRepository(Appointment).findOneByOrFail({ id: requestId })).status, { timeout: 10_000 }).toBe('scheduled');
    await page.goto(`${server.url}/admin/resources/Appointments`);
    await page.waitForSelector(`a[href*="/admin/resources/Appointments/records/${requestId}/show"], tr[data-id="${requestId}"]`, { timeout: 15_000 });
    await context.close();
  }, 90_000);

  it('lets a doctor add a journal entry and then a correction to it', async () => {
    const { context, page } = await loggedIn('doctor');
    await page.goto(`${server.url}/admin/resources/Patients/records/${patient.id}/addJournalEntry`);
    await page.fill('input[name="diagnosis"]', 'Sprained left knee');
    await page.fill('textarea[name="description"]', 'Swelling after a fall.');
    await submitAction(page);
    await expect.poll(() => db().getRepository(JournalEntry).countBy({ patientId: patient.id }), { timeout: 10_000 }).toBe(1);
    const original = await db().getRepository(JournalEntry).findOneByOrFail({ patientId: patient.id });

    await page.goto(`${server.url}/admin/resources/Journal/records/${original.id}/addCorrection`);
    await page.fill('input[name="diagnosis"]', 'Sprained right knee');
    await page.fill('textarea[name="description"]', 'Correction: it was the right knee.');
    await submitAction(page);
    await expect.poll(() => db().getRepository(JournalEntry).countBy({ correctsId: original.id }), { timeout: 10_000 }).toBe(1);
    await context.close();
  }, 90_000);

  it('sends a doctor who was blocked elsewhere to the login page on their next click', async () => {
    const doctor = await makeUser('doctor');
    const doctorSide = await loggedIn('doctor', doctor);
    await navigation(doctorSide.page);

    const adminSide = await loggedIn('admin');
    await adminSide.page.goto(`${server.url}/admin/resources/Staff/records/${doctor.id}/block`);
    await adminSide.page.fill('textarea[name="reason"]', 'Left the clinic');
    await submitAction(adminSide.page);
    await expect.poll(async () => (await db().query('SELECT isBlocked FROM users WHERE id = ?', [doctor.id]))[0].isBlocked ? 1 : 0, { timeout: 10_000 }).toBe(1);

    await doctorSide.page.click('[data-css="sidebar"] a[href*="/admin/resources/Patients"]');
    await doctorSide.page.waitForURL(/\/admin\/login/, { timeout: 15_000 });
    await doctorSide.context.close();
    await adminSide.context.close();
  }, 90_000);

  it('shows the service\'s reason when an action is refused, and changes nothing', async () => {
    const { context, page } = await loggedIn('admin');
    // The patient has a prescription: medical records are kept (SPEC rule 8).
    await page.goto(`${server.url}/admin/resources/Patients/records/${patient.id}/deleteAccount`);
    expect(await submitAction(page)).toContain('cannot be deleted');
    // MariaDB answers COUNT(*) as a string, SQLite as a number.
    const [{ n }] = await db().query('SELECT COUNT(*) AS n FROM users WHERE id = ?', [patient.id]);
    expect(Number(n)).toBe(1);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'refused-action-admin.png') });
    await context.close();
  }, 90_000);

  it('offers an admin no buttons for the superuser\'s account that the rules would refuse', async () => {
    const { context, page } = await loggedIn('admin');
    const buttonsOn = async (id: number) => {
      await page.goto(`${server.url}/admin/resources/Staff/records/${id}/show`);
      await page.waitForSelector('[data-testid="property-show-email"]', { timeout: 15_000 });
      await page.waitForTimeout(500);
      return page.$$eval('a, button', (els) => els.map((e) => (e.textContent ?? '').trim()));
    };
    // A doctor's page has them, so their absence below means something.
    expect(await buttonsOn(staff.doctor.id)).toEqual(expect.arrayContaining(['Block', 'Delete', 'Change role']));
    const onSuperuser = await buttonsOn(staff.superuser.id);
    for (const label of ['Block', 'Delete', 'Change role', 'Grant admin']) expect(onSuperuser).not.toContain(label);
    await context.close();
  }, 90_000);

  it('shows every time in the clinic\'s zone, naming it, to staff whose computer is in another zone', async () => {
    const { context, page } = await loggedIn('doctor', staff.doctor, OTHER_ZONE);
    const expected = clinicClock(visitStart);
    const dashboard = page.locator('[data-testid="dashboard-doctor"]');
    await dashboard.locator('table').first().waitFor({ timeout: 30_000 });
    expect(await dashboard.textContent()).toContain(expected);
    expect(await page.textContent('[data-testid="zone-note"]')).toContain('Stockholm time');

    await page.goto(`${server.url}/admin/resources/Appointments`);
    const cell = page.locator(`tr[data-id="${visitId}"] td[data-property-name="startsAt"]`);
    await cell.waitFor({ timeout: 15_000 });
    expect(await cell.textContent()).toContain(expected);

    await page.goto(`${server.url}/admin/resources/Appointments/records/${visitId}/show`);
    const starts = page.locator('[data-testid="property-show-startsAt"]');
    await starts.waitFor({ timeout: 15_000 });
    expect(await starts.textContent()).toContain(expected);
    await context.close();
  }, 90_000);

  it('reads the day picked for free slots and the days of a date filter as clinic days in another zone', async () => {
    const day = nextWeekday();
    const operator = await loggedIn('operator', staff.operator, OTHER_ZONE);
    await operator.page.goto(`${server.url}/admin/resources/Requests/records/${otherRequestId}/schedule`);
    await operator.page.fill('input[name="date"]', day);
    const firstSlot = operator.page.locator('[data-testid="slots"] button').first();
    await firstSlot.waitFor({ timeout: 15_000 });
    // The clinic opens at 08:00 clinic time: that is the first time offered, and the one booked.
    expect((await firstSlot.textContent())?.trim()).toBe('08:00');
    expect(await operator.page.textContent('[data-testid="day-zone"]')).toContain('Stockholm time');
    await firstSlot.click();
    await submitAction(operator.page);
    await expect.poll(async () => (await db().getRepository(Appointment).findOneByOrFail({ id: otherRequestId })).startsAt?.toISOString(), { timeout: 10_000 })
      .toBe(clinicTimeToUtc(day, 8 * 60).toISOString());
    // The operator lands on the appointment just scheduled, its time in clinic time.
    await operator.page.waitForURL(`${server.url}/admin/resources/Appointments/records/${otherRequestId}/show`, { timeout: 15_000 });
    const starts = operator.page.locator('[data-testid="property-show-startsAt"]');
    await starts.waitFor({ timeout: 15_000 });
    expect(await starts.textContent()).toContain(clinicClock(clinicTimeToUtc(day, 8 * 60)));
    await operator.context.close();

    const { context, page } = await loggedIn('admin', staff.admin, OTHER_ZONE);
    await page.goto(`${server.url}/admin/resources/Appointments`);
    await page.click('[data-css="Appointments-filter-button"]');
    await page.fill('#filter-startsAt-from', day);
    await page.fill('#filter-startsAt-to', day);
    await page.click('form button[type="submit"]');
    await page.waitForURL((url) => url.search.includes('startsAt'), { timeout: 15_000 });
    const query = new URL(page.url()).searchParams;
    expect(query.get('filters.startsAt~~from')).toBe(clinicTimeToUtc(day, 0).toISOString());
    expect(new Date(query.get('filters.startsAt~~to')!).getTime()).toBe(clinicTimeToUtc(day, 24 * 60).getTime() - 1);
    await page.waitForSelector(`tr[data-id="${otherRequestId}"]`, { timeout: 15_000 });
    await page.waitForSelector(`tr[data-id="${visitId}"]`, { timeout: 15_000 });
    await context.close();
  }, 120_000);

  it('names who booked a visit for roles that may see them, and says "Clinic staff" to those who may not', async () => {
    const bookedBy = async (page: Page) => {
      await page.goto(`${server.url}/admin/resources/Appointments/records/${visitId}/show`);
      const value = page.locator('[data-testid="property-show-bookedById"] [data-testid="reference-bookedById"], [data-testid="property-show-bookedById"] span').first();
      await value.waitFor({ timeout: 15_000 });
      return (await value.textContent())?.trim();
    };
    const admin = await loggedIn('admin');
    expect(await bookedBy(admin.page)).toBe(`${staff.operator.firstName} ${staff.operator.lastName}`);
    await admin.context.close();

    // Operators may see doctors only (SPEC §4): a colleague at the desk stays unnamed, and their id unshown.
    const colleague = await makeUser('operator');
    const other = await loggedIn('operator', colleague);
    expect(await bookedBy(other.page)).toBe('Clinic staff');
    const shown = await other.page.textContent('[data-testid="property-show-bookedById"]');
    expect(shown).not.toContain(String(staff.operator.id));
    expect(shown).not.toContain(staff.operator.lastName);
    await other.context.close();

    const self = await loggedIn('operator');
    expect(await bookedBy(self.page)).toBe('You');
    await self.context.close();
  }, 90_000);

  it('names the actor of each audit event, in the log and on the admin\'s dashboard', async () => {
    const { context, page } = await loggedIn('admin');
    const pharmacist = `${staff.pharmacist.firstName} ${staff.pharmacist.lastName}`;
    await page.waitForSelector('[data-testid="dashboard-admin"] table', { timeout: 30_000 });
    expect(await page.textContent('[data-testid="dashboard-admin"]')).toContain(pharmacist);
    await page.goto(`${server.url}/admin/resources/AuditLog?filters.actorId=${staff.pharmacist.id}`);
    await page.waitForSelector('[data-testid="actor-name"]', { timeout: 15_000 });
    const actors = await page.$$eval('[data-testid="actor-name"]', (els) => els.map((e) => (e.textContent ?? '').trim()));
    expect(actors.length).toBeGreaterThan(0);
    expect(new Set(actors)).toEqual(new Set([pharmacist]));
    await context.close();
  }, 90_000);

  it('exports the audit log with the filter the list shows', async () => {
    const { context, page } = await loggedIn('admin');
    await page.goto(`${server.url}/admin/resources/AuditLog?filters.actorId=${staff.pharmacist.id}`);
    await page.click('[data-testid="action-exportCsv"]');
    const link = page.locator('[data-testid="export-link"]');
    await link.waitFor({ timeout: 15_000 });
    const href = new URL(String(await link.getAttribute('href')), server.url);
    expect(href.pathname).toBe('/admin/api/export/AuditLog');
    expect(href.searchParams.get('filters.actorId')).toBe(String(staff.pharmacist.id));
    await context.close();
  }, 90_000);

  it('shows "Taking bookings" for doctors only', async () => {
    // A doctor who became an admin keeps their old profile: it no longer applies.
    const promoted = await makeUser('doctor', { lastName: 'Aaberg' });
    await grantAdmin(userActor(staff.superuser), promoted.id);
    const { context, page } = await loggedIn('superuser');
    await page.goto(`${server.url}/admin/resources/Staff`);
    const takingBookings = (id: number) => page.locator(`tr[data-id="${id}"] td[data-property-name="acceptingBookings"]`);
    await takingBookings(staff.doctor.id).waitFor({ timeout: 15_000 });
    expect((await takingBookings(staff.doctor.id).textContent())?.trim()).toBe('Yes');
    for (const [who, id] of [['operator', staff.operator.id], ['pharmacist', staff.pharmacist.id], ['admin', staff.admin.id], ['former doctor', promoted.id]] as const) {
      expect((await takingBookings(id).textContent())?.trim(), who).toBe('');
    }

    const labelsOn = async (id: number) => {
      await page.goto(`${server.url}/admin/resources/Staff/records/${id}/show`);
      await page.waitForSelector('[data-testid="property-show-email"]', { timeout: 15_000 });
      return page.textContent('body');
    };
    expect(await labelsOn(staff.doctor.id)).toContain('Taking bookings');
    expect(await labelsOn(staff.operator.id)).not.toContain('Taking bookings');
    expect(await labelsOn(promoted.id)).not.toContain('Taking bookings');
    await context.close();
  }, 90_000);

  it('titles detail pages with the record in the clinic\'s words, not "Show"', async () => {
    const { context, page } = await loggedIn('operator', staff.operator, OTHER_ZONE);
    const title = async (path: string) => {
      await page.goto(`${server.url}${path}`);
      const heading = page.locator('[data-testid="record-title"]');
      await heading.waitFor({ timeout: 15_000 });
      return (await heading.textContent())?.trim();
    };
    expect(await title(`/admin/resources/Patients/records/${patient.id}/show`)).toBe("Åsa O'Neill-Lindqvist");
    const day = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Stockholm', day: 'numeric', month: 'short' }).format(visitStart);
    const doctor = `${staff.doctor.firstName} ${staff.doctor.lastName}`;
    expect(await title(`/admin/resources/Appointments/records/${visitId}/show`)).toBe(`Appointment ${day} 14:00 with Dr ${doctor} · Åsa O'Neill-Lindqvist`);
    expect(await title(`/admin/resources/Staff/records/${staff.doctor.id}/show`)).toBe(`Dr ${doctor}`);
    expect(await page.$$eval('h1, h2', (hs) => hs.map((h) => (h.textContent ?? '').trim()))).not.toContain('Show');
    await context.close();
  }, 90_000);

  it.each(['superuser', 'admin', 'doctor', 'operator', 'pharmacist'] as StaffRole[])(
    'saves a screenshot of the %s dashboard with the day\'s data',
    async (role) => {
      const { context, page } = await loggedIn(role);
      await page.waitForSelector(`[data-testid="dashboard-${role}"] table, [data-testid="dashboard-${role}"] h5`, { timeout: 30_000 });
      await page.screenshot({ path: path.join(SCREENSHOTS, `dashboard-${role}.png`), fullPage: true });
      await context.close();
    },
    90_000,
  );
});
