/**
 * `npm run bench:panel`: the panel's list pages on a million appointments,
 * ours against stock AdminJS's way, through AdminJS's own list action
 * (count + page + populated references), as the /admin/api list route runs it.
 *
 *   BENCH_DATABASE_URL=mysql://qhealth:qhealth@127.0.0.1:3306/qhealth_scale npm run bench:panel
 *
 * Fill the database first with `npm run seed:scale`. Prints p50/p95 per list
 * over sampled pages 1..500 (20 rows a page): first the named lists, ours and
 * stock; then every list the panel offers in every offered sort, both
 * directions, unfiltered and with each offered filter (ours only). Figures,
 * never assertions. BENCH_SKIP_STOCK=1 leaves stock out, BENCH_SKIP_MATRIX=1
 * the second part; BENCH_ONLY=<text> keeps the lists whose label contains it.
 */
import os from 'node:os';
import '../admin/adminjs-env.js';
import AdminJS, { ApiController, type BaseResource, type CurrentAdmin, type ResourceWithOptions } from 'adminjs';
import { Resource as StockResource } from '@adminjs/typeorm';
import { userActor } from '../server/access/actor.js';
import { closeDatabase, db, openDatabase } from '../server/db/data-source.js';
import { Appointment } from '../server/db/entities/appointment.js';
import { AuditEvent } from '../server/db/entities/audit-event.js';
import { JournalEntry } from '../server/db/entities/journal-entry.js';
import { LoginAttempt } from '../server/db/entities/login-attempt.js';
import { Notification } from '../server/db/entities/notification.js';
import { Prescription } from '../server/db/entities/prescription.js';
import { User } from '../server/db/entities/user.js';
import { Diagnostic } from '../server/db/entities/diagnostic.js';
import { panelAdmin } from '../admin/current-admin.js';
import { panelResources } from '../admin/setup.js';
import { componentLoader } from '../admin/components.js';

const url = process.env.BENCH_DATABASE_URL ?? 'mysql://qhealth:qhealth@127.0.0.1:3306/qhealth_scale';
const PAGES = Number(process.env.BENCH_PAGES ?? 40);
const STOCK_PAGES = Number(process.env.BENCH_STOCK_PAGES ?? 12);
const MATRIX_PAGES = Number(process.env.BENCH_MATRIX_PAGES ?? PAGES);
const ONLY = process.env.BENCH_ONLY;

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

interface Case { label: string; resourceId: string; stockId?: string; query: Record<string, string> }

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

const load = () => os.loadavg().map((n) => n.toFixed(2)).join(' ');
const one = async <T>(sql: string): Promise<T> => (await db().query(sql))[0]?.v as T;

/** Filter values worth measuring, from the data: a busy doctor or patient, a common and a rare status, a month. */
async function filterValues(): Promise<Record<string, Record<string, string>[]>> {
  const doctorId = await one<number>("SELECT doctorId AS v FROM appointments WHERE doctorId IS NOT NULL LIMIT 1");
  const patientId = await one<number>('SELECT patientId AS v FROM appointments ORDER BY id DESC LIMIT 1');
  const diagnosticId = await one<number>('SELECT diagnosticId AS v FROM appointments WHERE diagnosticId IS NOT NULL LIMIT 1');
  const requestPatient = await one<number>("SELECT patientId AS v FROM appointments WHERE status = 'requested' ORDER BY id DESC LIMIT 1");
  const journalPatient = await one<number>('SELECT patientId AS v FROM journal_entries ORDER BY id DESC LIMIT 1');
  const journalAuthor = await one<number>('SELECT authorId AS v FROM journal_entries ORDER BY id DESC LIMIT 1');
  const pharmacist = await one<number>('SELECT authorId AS v FROM prescriptions ORDER BY id DESC LIMIT 1');
  const prescriptionPatient = await one<number>('SELECT patientId AS v FROM prescriptions ORDER BY id DESC LIMIT 1');
  const lastName = await one<string>("SELECT lastName AS v FROM users WHERE role = 'patient' ORDER BY id DESC LIMIT 1");
  const email = await one<string>("SELECT email AS v FROM users WHERE role = 'patient' ORDER BY id DESC LIMIT 1");
  const operator = (await one<number>("SELECT actorId AS v FROM audit_events WHERE actorRole = 'operator' LIMIT 1")) ?? doctorId;
  const auditPatient = (await one<number>('SELECT patientId AS v FROM audit_events WHERE patientId IS NOT NULL ORDER BY id DESC LIMIT 1')) ?? patientId;
  const loginEmail = (await one<string>('SELECT email AS v FROM login_attempts ORDER BY id DESC LIMIT 1')) ?? email;
  const ip = (await one<string>('SELECT ip AS v FROM login_attempts ORDER BY id DESC LIMIT 1')) ?? '10.0.0.1';
  const mailTo = (await one<string>('SELECT toEmail AS v FROM notifications ORDER BY id DESC LIMIT 1')) ?? email;
  const month = (path: string) => ({ [`filters.${path}~~from`]: '2026-01-01', [`filters.${path}~~to`]: '2026-01-31' });
  const lastWeek = (path: string) => ({ [`filters.${path}~~from`]: new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10) });
  const eq = (path: string, ...values: unknown[]) => values.map((v) => ({ [`filters.${path}`]: String(v) }));
  return {
    'Appointments.status': eq('status', 'scheduled', 'completed', 'cancelled', 'requested'),
    'Appointments.kind': eq('kind', 'visit', 'diagnostic'),
    'Appointments.patientId': eq('patientId', patientId),
    'Appointments.doctorId': eq('doctorId', doctorId),
    'Appointments.diagnosticId': eq('diagnosticId', diagnosticId),
    'Appointments.startsAt': [month('startsAt')],
    'Requests.patientId': eq('patientId', requestPatient),
    'Requests.diagnosticId': eq('diagnosticId', diagnosticId),
    'Requests.createdAt': [lastWeek('createdAt')],
    'Journal.patientId': eq('patientId', journalPatient),
    'Journal.authorId': eq('authorId', journalAuthor),
    'Journal.createdAt': [month('createdAt')],
    'Prescriptions.patientId': eq('patientId', prescriptionPatient),
    'Prescriptions.authorId': eq('authorId', pharmacist),
    'Prescriptions.createdAt': [month('createdAt')],
    'Patients.lastName': eq('lastName', lastName.slice(0, 2), lastName),
    'Patients.email': eq('email', email.slice(0, 1), email),
    'Patients.isBlocked': eq('isBlocked', 'true', 'false'),
    'Patients.isActive': eq('isActive', 'true', 'false'),
    'Patients.createdAt': [{ 'filters.createdAt~~from': '2000-01-01' }],
    'Staff.lastName': eq('lastName', 'S'),
    'Staff.role': eq('role', 'doctor', 'pharmacist'),
    'Staff.email': eq('email', 'a'),
    'Staff.isBlocked': eq('isBlocked', 'true', 'false'),
    'Diagnostics.name': eq('name', 'M'),
    'Diagnostics.isActive': eq('isActive', 'true', 'false'),
    'AuditLog.actorId': eq('actorId', operator),
    'AuditLog.patientId': eq('patientId', auditPatient),
    'AuditLog.action': eq('action', 'appointment.cancel', 'create'),
    'AuditLog.resource': eq('resource', 'prescription', 'appointment'),
    'AuditLog.outcome': eq('outcome', 'success', 'denied'),
    'AuditLog.at': [month('at')],
    // The logs match an address whole (a prefix of one would match a tenth of the table).
    'LoginAttempts.email': eq('email', loginEmail),
    'LoginAttempts.ip': eq('ip', ip),
    'LoginAttempts.at': [month('at')],
    'Mail.status': eq('status', 'sent', 'failed'),
    'Mail.toEmail': eq('toEmail', mailTo),
  };
}

/** Every list the panel offers: each sortable column both ways, unfiltered and with each offered filter. */
function matrix(admin: AdminJS, values: Record<string, Record<string, string>[]>): Case[] {
  const cases: Case[] = [];
  for (const resource of admin.resources as BaseResource[]) {
    const decorated = resource.decorate();
    const sortable = resource.properties().filter((p) => p.isSortable()).map((p) => p.path());
    const filters = (decorated.options.filterProperties ?? []) as string[];
    for (const sortBy of sortable) {
      for (const direction of ['desc', 'asc']) {
        const base = { sortBy, direction };
        cases.push({ label: `${resource.id()} by ${sortBy} ${direction}`, resourceId: resource.id(), query: base });
        for (const filter of filters) {
          const choices = values[`${resource.id()}.${filter}`];
          if (!choices) throw new Error(`bench: no value to filter ${resource.id()} by ${filter}; add one to filterValues()`);
          for (const choice of choices) {
            const shown = Object.entries(choice).map(([k, v]) => `${k.replace('filters.', '')}=${v.length > 24 ? `${v.slice(0, 21)}…` : v}`).join(' ');
            cases.push({ label: `${resource.id()} by ${sortBy} ${direction}, ${shown}`, resourceId: resource.id(), query: { ...base, ...choice } });
          }
        }
      }
    }
  }
  return cases;
}

async function main(): Promise<void> {
  await openDatabase({ kind: 'mariadb', url });
  console.log(`load average at start: ${load()} (${os.cpus().length} cores)`);
  // Reads only: a superuser's view, whether or not the generated data has one.
  const superuser = { id: 1, email: 'bench@qhealth.test', role: 'superuser' as const, firstName: 'Bench', lastName: 'Mark' };
  const currentAdmin: CurrentAdmin = panelAdmin(superuser, userActor(superuser));
  const values = await filterValues();
  const first = (key: string) => values[key][0];

  const ours = new AdminJS({ rootPath: '/admin', componentLoader, resources: panelResources(), settings: { defaultPerPage: 20 } });
  // Stock: the TypeORM adapter as shipped (exact COUNT, ORDER BY … LIMIT/OFFSET on the rows).
  const stockResources: ResourceWithOptions[] = [Appointment, JournalEntry, Prescription, User, Diagnostic, AuditEvent, LoginAttempt, Notification].map((entity) => ({
    resource: new StockResource(entity), options: {},
  }));
  const stock = new AdminJS({ rootPath: '/stock', resources: stockResources, settings: { defaultPerPage: 20 } });
  const oursApi = new ApiController({ admin: ours }, currentAdmin);
  const stockApi = new ApiController({ admin: stock }, currentAdmin);

  const named = ([
    { label: 'appointments, newest start first (default)', resourceId: 'Appointments', stockId: 'Appointment', query: { sortBy: 'startsAt', direction: 'desc' } },
    { label: 'appointments, soonest first', resourceId: 'Appointments', stockId: 'Appointment', query: { sortBy: 'startsAt', direction: 'asc' } },
    { label: 'appointments, status = scheduled', resourceId: 'Appointments', stockId: 'Appointment', query: { sortBy: 'startsAt', direction: 'desc', 'filters.status': 'scheduled' } },
    { label: 'appointments, kind = visit', resourceId: 'Appointments', stockId: 'Appointment', query: { sortBy: 'startsAt', direction: 'desc', 'filters.kind': 'visit' } },
    { label: 'appointments, one doctor', resourceId: 'Appointments', stockId: 'Appointment', query: { sortBy: 'startsAt', direction: 'desc', ...first('Appointments.doctorId') } },
    { label: 'appointments, one patient', resourceId: 'Appointments', stockId: 'Appointment', query: { sortBy: 'startsAt', direction: 'desc', ...first('Appointments.patientId') } },
    { label: 'appointments, a month', resourceId: 'Appointments', stockId: 'Appointment', query: { sortBy: 'startsAt', direction: 'desc', ...first('Appointments.startsAt') } },
    { label: 'requests, oldest first', resourceId: 'Requests', stockId: 'Appointment', query: { sortBy: 'createdAt', direction: 'asc', 'filters.status': 'requested' } },
    { label: 'journal, newest first', resourceId: 'Journal', stockId: 'JournalEntry', query: { sortBy: 'createdAt', direction: 'desc' } },
    { label: 'prescriptions, newest first', resourceId: 'Prescriptions', stockId: 'Prescription', query: { sortBy: 'createdAt', direction: 'desc' } },
    { label: 'patients, newest first', resourceId: 'Patients', stockId: 'User', query: { sortBy: 'createdAt', direction: 'desc' } },
    { label: 'patients, by last name', resourceId: 'Patients', stockId: 'User', query: { sortBy: 'lastName', direction: 'asc' } },
    { label: 'audit log, newest first', resourceId: 'AuditLog', stockId: 'AuditEvent', query: { sortBy: 'at', direction: 'desc' } },
    { label: 'audit log, one actor', resourceId: 'AuditLog', stockId: 'AuditEvent', query: { sortBy: 'at', direction: 'desc', ...first('AuditLog.actorId') } },
    { label: 'login attempts, newest first', resourceId: 'LoginAttempts', stockId: 'LoginAttempt', query: { sortBy: 'at', direction: 'desc' } },
    { label: 'mail, newest first', resourceId: 'Mail', stockId: 'Notification', query: { sortBy: 'createdAt', direction: 'desc' } },
    { label: 'mail, status = failed', resourceId: 'Mail', stockId: 'Notification', query: { sortBy: 'createdAt', direction: 'desc', 'filters.status': 'failed' } },
  ] as Case[]).filter((c) => !ONLY || c.label.includes(ONLY));

  const pages = samplePages(PAGES);
  const stockPages = samplePages(STOCK_PAGES);
  const f = (n: number | undefined) => (n === undefined ? '-' : n.toFixed(1)).padStart(8);
  console.log(`panel list pages, 20 rows, ${pages.length} sampled pages of 1..500 (stock: ${stockPages.length}); ms`);
  console.log(['list'.padEnd(44), 'ours p50', 'ours p95', 'ours max', 'stock p50', 'stock p95'].join('  '));
  for (const c of named) {
    await timeList(oursApi, c.resourceId, c.query, [1, 2]); // warm the path
    const mine = await timeList(oursApi, c.resourceId, c.query, pages);
    // Stock has no scope: its filters are the list's filters plus what our resource scopes.
    const stockQuery = c.resourceId === 'Patients' ? { ...c.query, 'filters.role': 'patient' } : c.query;
    const theirs = process.env.BENCH_SKIP_STOCK || !c.stockId ? [] : await timeList(stockApi, c.stockId, stockQuery, stockPages);
    console.log([c.label.padEnd(44), f(percentile(mine, 50)), f(percentile(mine, 95)), f(mine.at(-1)), f(percentile(theirs, 50)), f(percentile(theirs, 95))].join('  '));
  }
  console.log(`load average: ${load()}`);

  if (!process.env.BENCH_SKIP_MATRIX) {
    const all = matrix(ours, values).filter((c) => !ONLY || c.label.includes(ONLY));
    const matrixPages = samplePages(MATRIX_PAGES);
    console.log(`\nevery offered list: ${all.length} sort × direction × filter combinations, ${matrixPages.length} sampled pages each; ms`);
    console.log(['list'.padEnd(72), '     p50', '     p95', '     max'].join('  '));
    const p95s: number[] = [];
    for (const c of all) {
      await timeList(oursApi, c.resourceId, c.query, [1]);
      const mine = await timeList(oursApi, c.resourceId, c.query, matrixPages);
      p95s.push(percentile(mine, 95));
      console.log([c.label.padEnd(72), f(percentile(mine, 50)), f(percentile(mine, 95)), f(mine.at(-1))].join('  '));
    }
    const sorted = [...p95s].sort((a, b) => a - b);
    console.log(`p95 over the ${all.length} lists: median ${percentile(sorted, 50).toFixed(1)}, worst ${sorted.at(-1)?.toFixed(1)}; ${p95s.filter((p) => p < 30).length} under 30 ms`);
    console.log(`load average: ${load()}`);
  }
  await closeDatabase();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
