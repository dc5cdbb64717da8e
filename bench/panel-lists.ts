/**
 * `npm run bench:panel`: the panel's list pages on a million appointments,
 * ours against stock AdminJS's way, through AdminJS's own list action
 * (count + page + populated references), as the /admin/api list route runs it.
 *
 *   BENCH_DATABASE_URL=mysql://qhealth:qhealth@127.0.0.1:3306/qhealth_scale npm run bench:panel
 *
 * Fill the database first with `npm run seed:scale`. Prints p50/p95 per list
 * over sampled pages 1..500 (20 rows a page). Figures, never assertions.
 */
import '../admin/adminjs-env.js';
import AdminJS, { ApiController, type CurrentAdmin, type ResourceWithOptions } from 'adminjs';
import { Resource as StockResource } from '@adminjs/typeorm';
import { userActor } from '../server/access/actor.js';
import { closeDatabase, db, openDatabase } from '../server/db/data-source.js';
import { Appointment } from '../server/db/entities/appointment.js';
import { JournalEntry } from '../server/db/entities/journal-entry.js';
import { Prescription } from '../server/db/entities/prescription.js';
import { User } from '../server/db/entities/user.js';
import { Diagnostic } from '../server/db/entities/diagnostic.js';
import { panelAdmin } from '../admin/current-admin.js';
import { panelResources } from '../admin/setup.js';
import { componentLoader } from '../admin/components.js';

const url = process.env.BENCH_DATABASE_URL ?? 'mysql://qhealth:qhealth@127.0.0.1:3306/qhealth_scale';
const PAGES = Number(process.env.BENCH_PAGES ?? 40);
const STOCK_PAGES = Number(process.env.BENCH_STOCK_PAGES ?? 12);

function samplePages(n: number): number[] {
  const pages = new Set([1, 2, 500]);
  let seed = 7;
  while (pages.size < n) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    pages.add(1 + (seed % 500));
  }
  return [...pages];
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

interface Case { label: string; resourceId: string; stockId: string; query: Record<string, string> }

async function timeList(controller: ApiController, resourceId: string, query: Record<string, string>, pages: number[]): Promise<number[]> {
  const times: number[] = [];
  for (const page of pages) {
    const started = process.hrtime.bigint();
    const response = await controller.resourceAction(
      { params: { resourceId, action: 'list' }, query: { ...query, page: String(page), perPage: '20' }, method: 'get' } as never,
      {} as never,
    );
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (!(response as { records?: unknown[] }).records) throw new Error(`no records for ${resourceId}`);
  }
  return times.sort((a, b) => a - b);
}

async function main(): Promise<void> {
  await openDatabase({ kind: 'mariadb', url });
  // Reads only: a superuser's view, whether or not the generated data has one.
  const superuser = { id: 1, email: 'bench@qhealth.test', role: 'superuser' as const, firstName: 'Bench', lastName: 'Mark' };
  const doctorId = (await db().query("SELECT doctorId AS id FROM appointments WHERE doctorId IS NOT NULL LIMIT 1"))[0].id;
  const patientId = (await db().query('SELECT patientId AS id FROM appointments ORDER BY id DESC LIMIT 1'))[0].id;
  const currentAdmin: CurrentAdmin = panelAdmin(superuser, userActor(superuser));

  const ours = new AdminJS({ rootPath: '/admin', componentLoader, resources: panelResources(), settings: { defaultPerPage: 20 } });
  // Stock: the TypeORM adapter as shipped (exact COUNT, ORDER BY … LIMIT/OFFSET on the rows).
  const stockResources: ResourceWithOptions[] = [Appointment, JournalEntry, Prescription, User, Diagnostic].map((entity) => ({
    resource: new StockResource(entity), options: {},
  }));
  const stock = new AdminJS({ rootPath: '/stock', resources: stockResources, settings: { defaultPerPage: 20 } });
  const oursApi = new ApiController({ admin: ours }, currentAdmin);
  const stockApi = new ApiController({ admin: stock }, currentAdmin);

  const cases: Case[] = [
    { label: 'appointments, newest start first (default)', resourceId: 'Appointments', stockId: 'Appointment', query: { sortBy: 'startsAt', direction: 'desc' } },
    { label: 'appointments, soonest first', resourceId: 'Appointments', stockId: 'Appointment', query: { sortBy: 'startsAt', direction: 'asc' } },
    { label: 'appointments, status = scheduled', resourceId: 'Appointments', stockId: 'Appointment', query: { sortBy: 'startsAt', direction: 'desc', 'filters.status': 'scheduled' } },
    { label: 'appointments, kind = visit', resourceId: 'Appointments', stockId: 'Appointment', query: { sortBy: 'startsAt', direction: 'desc', 'filters.kind': 'visit' } },
    { label: 'appointments, one doctor', resourceId: 'Appointments', stockId: 'Appointment', query: { sortBy: 'startsAt', direction: 'desc', 'filters.doctorId': String(doctorId) } },
    { label: 'appointments, one patient', resourceId: 'Appointments', stockId: 'Appointment', query: { sortBy: 'startsAt', direction: 'desc', 'filters.patientId': String(patientId) } },
    { label: 'appointments, a month', resourceId: 'Appointments', stockId: 'Appointment', query: { sortBy: 'startsAt', direction: 'desc', 'filters.startsAt~~from': '2026-01-01', 'filters.startsAt~~to': '2026-01-31' } },
    { label: 'requests, oldest first', resourceId: 'Requests', stockId: 'Appointment', query: { sortBy: 'createdAt', direction: 'asc', 'filters.status': 'requested' } },
    { label: 'journal, newest first', resourceId: 'Journal', stockId: 'JournalEntry', query: { sortBy: 'createdAt', direction: 'desc' } },
    { label: 'prescriptions, newest first', resourceId: 'Prescriptions', stockId: 'Prescription', query: { sortBy: 'createdAt', direction: 'desc' } },
    { label: 'patients, newest first', resourceId: 'Patients', stockId: 'User', query: { sortBy: 'createdAt', direction: 'desc' } },
    { label: 'patients, by last name', resourceId: 'Patients', stockId: 'User', query: { sortBy: 'lastName', direction: 'asc' } },
  ];

  const pages = samplePages(PAGES);
  const stockPages = samplePages(STOCK_PAGES);
  console.log(`panel list pages, 20 rows, ${pages.length} sampled pages of 1..500 (stock: ${stockPages.length}); ms`);
  console.log(['list'.padEnd(44), 'ours p50', 'ours p95', 'ours max', 'stock p50', 'stock p95'].join('  '));
  for (const c of cases) {
    await timeList(oursApi, c.resourceId, c.query, [1, 2]); // warm the path
    const mine = await timeList(oursApi, c.resourceId, c.query, pages);
    // Stock has no scope: its filters are the list's filters plus what our resource scopes.
    const stockQuery = c.resourceId === 'Patients' ? { ...c.query, 'filters.role': 'patient' } : c.query;
    const theirs = process.env.BENCH_SKIP_STOCK ? [] : await timeList(stockApi, c.stockId, stockQuery, stockPages);
    const f = (n: number | undefined) => (n === undefined ? '-' : n.toFixed(1)).padStart(8);
    console.log([c.label.padEnd(44), f(percentile(mine, 50)), f(percentile(mine, 95)), f(mine.at(-1)), f(percentile(theirs, 50)), f(percentile(theirs, 95))].join('  '));
  }
  await closeDatabase();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
