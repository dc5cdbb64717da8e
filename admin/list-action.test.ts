import './adminjs-env.js';
import AdminJS, { ApiController } from 'adminjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { userActor } from '../server/access/actor.js';
import { db } from '../server/db/data-source.js';
import { seedScale } from '../server/seed/scale.js';
import { clock } from '../server/shared/clock.js';
import { makeUser } from '../test/support/people.js';
import { useTestDatabase } from '../test/support/db.js';
import { COUNT_CAP } from './clinic-resource.js';
import { componentLoader } from './components.js';
import { panelAdmin } from './current-admin.js';
import { panelResources } from './setup.js';

useTestDatabase();

/**
 * The panel's lists against the plain way of reading the same thing
 * (ORDER BY … LIMIT/OFFSET on the table, an exact COUNT): the same rows in
 * the same order on every page, and the same total up to the cap.
 */
const NOW = new Date('2026-11-25T10:07:00Z');
const PER_PAGE = 20;
type ListBody = { meta: { total: number }; records: { id: number; params: Record<string, unknown>; populated: Record<string, { id: number; title: string }> }[] };
const api: Record<'superuser' | 'operator', ApiController> = {} as never;

async function list(as: keyof typeof api, resourceId: string, query: Record<string, string>, page: number): Promise<ListBody> {
  return await api[as].resourceAction(
    { params: { resourceId, action: 'list' }, query: { ...query, page: String(page), perPage: String(PER_PAGE) }, method: 'get' } as never,
    {} as never,
  ) as unknown as ListBody;
}

/** Ids of one page and the exact count, read the plain way. */
async function plain(table: string, where: string, params: Record<string, unknown>, order: string, page: number): Promise<{ ids: number[]; count: number }> {
  // The driver writes dates the way its engine stores them.
  const sql = (s: string) => db().driver.escapeQueryWithParameters(s, params, {});
  const rows: { id: number }[] = await db().query(...sql(`SELECT t.id AS id FROM ${table} t WHERE ${where} ORDER BY ${order} LIMIT ${PER_PAGE} OFFSET ${(page - 1) * PER_PAGE}`));
  const [{ n }] = await db().query(...sql(`SELECT COUNT(*) AS n FROM ${table} t WHERE ${where}`));
  return { ids: rows.map((r) => Number(r.id)), count: Number(n) };
}

let doctorId = 0;
let patientId = 0;
let lastName = '';
let loginEmail = '';
let admin: AdminJS;

beforeAll(async () => {
  clock.set(NOW);
  // Just over the cap, so a list can be longer than its count.
  await seedScale(db(), { patients: 400, appointments: COUNT_CAP + 800, futureShare: 0.15, rowsPerStatement: 500 });
  doctorId = Number((await db().query("SELECT doctorId AS id FROM appointments WHERE doctorId IS NOT NULL ORDER BY id LIMIT 1"))[0].id);
  patientId = Number((await db().query('SELECT patientId AS id FROM appointments GROUP BY patientId ORDER BY COUNT(*) DESC, patientId LIMIT 1'))[0].id);
  lastName = (await db().query("SELECT lastName AS v FROM users WHERE role = 'patient' GROUP BY lastName ORDER BY COUNT(*) DESC, lastName LIMIT 1"))[0].v;
  loginEmail = (await db().query('SELECT email AS v FROM login_attempts GROUP BY email ORDER BY COUNT(*) DESC, email LIMIT 1'))[0].v;
  admin = new AdminJS({ rootPath: '/admin', componentLoader, resources: panelResources(), settings: { defaultPerPage: PER_PAGE } });
  for (const role of ['superuser', 'operator'] as const) {
    const user = await makeUser(role);
    api[role] = new ApiController({ admin }, panelAdmin(user, userActor(user)));
  }
}, 180_000);

interface Case {
  name: string;
  as?: keyof typeof api;
  resourceId: string;
  query: () => Record<string, string>;
  table: string;
  where: () => [string, Record<string, unknown>];
  order: string;
}

const cases: Case[] = [
  { name: 'appointments, newest start first', resourceId: 'Appointments', query: () => ({ sortBy: 'startsAt', direction: 'desc' }), table: 'appointments', where: () => ['1 = 1', {}], order: 't.startsAt DESC, t.id DESC' },
  { name: 'appointments, soonest first', resourceId: 'Appointments', query: () => ({ sortBy: 'startsAt', direction: 'asc' }), table: 'appointments', where: () => ['1 = 1', {}], order: 't.startsAt ASC, t.id ASC' },
  { name: 'appointments, completed', resourceId: 'Appointments', query: () => ({ 'filters.status': 'completed' }), table: 'appointments', where: () => ["t.status = 'completed'", {}], order: 't.startsAt DESC, t.id DESC' },
  { name: 'appointments, visits, oldest first', resourceId: 'Appointments', query: () => ({ 'filters.kind': 'visit', sortBy: 'startsAt', direction: 'asc' }), table: 'appointments', where: () => ["t.kind = 'visit'", {}], order: 't.startsAt ASC, t.id ASC' },
  { name: 'appointments, one doctor', resourceId: 'Appointments', query: () => ({ 'filters.doctorId': String(doctorId) }), table: 'appointments', where: () => ['t.doctorId = :id', { id: doctorId }], order: 't.startsAt DESC, t.id DESC' },
  { name: 'appointments, one patient', resourceId: 'Appointments', query: () => ({ 'filters.patientId': String(patientId) }), table: 'appointments', where: () => ['t.patientId = :id', { id: patientId }], order: 't.startsAt DESC, t.id DESC' },
  {
    name: 'appointments, a month', resourceId: 'Appointments',
    query: () => ({ 'filters.startsAt~~from': '2026-01-01', 'filters.startsAt~~to': '2026-01-31' }),
    table: 'appointments', where: () => ['t.startsAt >= :from AND t.startsAt <= :to', { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-01-31T23:59:59.999Z') }], order: 't.startsAt DESC, t.id DESC',
  },
  {
    name: 'appointments, any dated one (more than the cap)', resourceId: 'Appointments',
    query: () => ({ 'filters.startsAt~~from': '2000-01-01' }),
    table: 'appointments', where: () => ['t.startsAt >= :from', { from: new Date('2000-01-01T00:00:00Z') }], order: 't.startsAt DESC, t.id DESC',
  },
  { name: 'requests, newest first (default)', resourceId: 'Requests', query: () => ({}), table: 'appointments', where: () => ["t.status = 'requested'", {}], order: 't.createdAt DESC, t.id DESC' },
  { name: 'requests, oldest first (the waiting queue)', resourceId: 'Requests', query: () => ({ sortBy: 'createdAt', direction: 'asc' }), table: 'appointments', where: () => ["t.status = 'requested'", {}], order: 't.createdAt ASC, t.id ASC' },
  { name: 'journal, newest first', resourceId: 'Journal', query: () => ({}), table: 'journal_entries', where: () => ['1 = 1', {}], order: 't.createdAt DESC, t.id DESC' },
  { name: 'prescriptions, newest first', resourceId: 'Prescriptions', query: () => ({}), table: 'prescriptions', where: () => ['1 = 1', {}], order: 't.createdAt DESC, t.id DESC' },
  { name: 'patients, by last name', resourceId: 'Patients', query: () => ({ sortBy: 'lastName', direction: 'asc' }), table: 'users', where: () => ["t.role = 'patient'", {}], order: 't.lastName ASC, t.id ASC' },
  {
    name: 'patients with one last name, newest first (a prefix only that name starts)', resourceId: 'Patients',
    query: () => ({ 'filters.lastName': lastName, sortBy: 'createdAt', direction: 'desc' }),
    table: 'users', where: () => ["t.role = 'patient' AND t.lastName LIKE :p", { p: `${lastName}%` }], order: 't.createdAt DESC, t.id DESC',
  },
  {
    name: 'patients whose last name starts with a letter, by last name', resourceId: 'Patients',
    query: () => ({ 'filters.lastName': lastName.slice(0, 1).toLowerCase(), sortBy: 'lastName', direction: 'desc' }),
    table: 'users', where: () => ["t.role = 'patient' AND t.lastName LIKE :p", { p: `${lastName.slice(0, 1).toLowerCase()}%` }], order: 't.lastName DESC, t.id DESC',
  },
  { name: 'patients not blocked, by last name', resourceId: 'Patients', query: () => ({ 'filters.isBlocked': 'false', sortBy: 'lastName', direction: 'asc' }), table: 'users', where: () => ["t.role = 'patient' AND t.isBlocked = :b", { b: false }], order: 't.lastName ASC, t.id ASC' },
  { name: 'audit log, newest first', resourceId: 'AuditLog', query: () => ({}), table: 'audit_events', where: () => ['1 = 1', {}], order: 't.at DESC, t.id DESC' },
  { name: 'audit log, cancellations (one action)', resourceId: 'AuditLog', query: () => ({ 'filters.action': 'appointment.cancel' }), table: 'audit_events', where: () => ["t.action = 'appointment.cancel'", {}], order: 't.at DESC, t.id DESC' },
  { name: 'audit log, everything about appointments, oldest first', resourceId: 'AuditLog', query: () => ({ 'filters.resource': 'appointment', sortBy: 'at', direction: 'asc' }), table: 'audit_events', where: () => ["t.resource = 'appointment'", {}], order: 't.at ASC, t.id ASC' },
  { name: 'audit log, one resource', resourceId: 'AuditLog', query: () => ({ 'filters.resource': 'prescription' }), table: 'audit_events', where: () => ["t.resource = 'prescription'", {}], order: 't.at DESC, t.id DESC' },
  {
    name: 'patients whose e-mail starts with a letter, newest first', resourceId: 'Patients',
    query: () => ({ 'filters.email': 'm', sortBy: 'createdAt', direction: 'desc' }),
    table: 'users', where: () => ["t.role = 'patient' AND t.email LIKE 'm%'", {}], order: 't.createdAt DESC, t.id DESC',
  },
  { name: 'login attempts of one address', resourceId: 'LoginAttempts', query: () => ({ 'filters.email': loginEmail }), table: 'login_attempts', where: () => ['t.email = :e', { e: loginEmail }], order: 't.at DESC, t.id DESC' },
  { name: 'login attempts of one address typed in capitals', resourceId: 'LoginAttempts', query: () => ({ 'filters.email': ` ${loginEmail.toUpperCase()} ` }), table: 'login_attempts', where: () => ['t.email = :e', { e: loginEmail }], order: 't.at DESC, t.id DESC' },
  { name: 'mail, failed', resourceId: 'Mail', query: () => ({ 'filters.status': 'failed' }), table: 'notifications', where: () => ["t.status = 'failed'", {}], order: 't.createdAt DESC, t.id DESC' },
  { name: 'mail, newest first', resourceId: 'Mail', query: () => ({}), table: 'notifications', where: () => ['1 = 1', {}], order: 't.createdAt DESC, t.id DESC' },
  { name: 'staff as an operator sees it (doctors only)', as: 'operator', resourceId: 'Staff', query: () => ({}), table: 'users', where: () => ["t.role = 'doctor'", {}], order: 't.lastName ASC, t.id ASC' },
];

describe('panel lists over more rows than the count cap', () => {
  it.each(cases)('$name: every page holds the rows of a plain ORDER BY … LIMIT/OFFSET, and the total is the count up to the cap', async (c) => {
    const [where, params] = c.where();
    const first = await plain(c.table, where, params, c.order, 1);
    expect(first.count).toBeGreaterThan(0);
    const lastPage = Math.ceil(first.count / PER_PAGE);
    for (const page of [...new Set([1, 2, 3, Math.ceil(lastPage / 2), lastPage - 1, lastPage, lastPage + 1].filter((p) => p >= 1))]) {
      const body = await list(c.as ?? 'superuser', c.resourceId, c.query(), page);
      const expected = await plain(c.table, where, params, c.order, page);
      expect(body.records.map((r) => r.id), `page ${page}`).toEqual(expected.ids);
      const unfilteredBig = where === '1 = 1' && expected.count > COUNT_CAP;
      // A big unfiltered table shows MariaDB's row estimate; anything else counts exactly, up to the cap.
      if (unfilteredBig) expect(body.meta.total).toBeGreaterThanOrEqual(COUNT_CAP);
      else expect(body.meta.total).toBe(Math.min(expected.count, COUNT_CAP));
    }
  });

  it('shows each appointment\'s patient, doctor and diagnostic by name, in the order of the list\'s columns', async () => {
    const body = await list('superuser', 'Appointments', { 'filters.kind': 'visit' }, 3);
    expect(body.records).toHaveLength(PER_PAGE);
    for (const record of body.records) {
      const row = (await db().query(
        'SELECT u.firstName AS pf, u.lastName AS pl, d.firstName AS df, d.lastName AS dl FROM appointments a JOIN users u ON u.id = a.patientId JOIN users d ON d.id = a.doctorId WHERE a.id = ?',
        [record.id],
      ))[0];
      expect(Object.keys(record.populated)).toEqual(['patientId', 'doctorId']);
      expect(record.populated.patientId).toMatchObject({ id: record.params.patientId, title: `${row.pf} ${row.pl}` });
      expect(record.populated.doctorId).toMatchObject({ id: record.params.doctorId, title: `${row.df} ${row.dl}` });
    }
  });

  it('matches the big logs\' addresses whole: a prefix of one finds nothing (it would match a tenth of a million mails)', async () => {
    const to: string = (await db().query('SELECT toEmail AS v FROM notifications ORDER BY id LIMIT 1'))[0].v;
    const whole = await list('superuser', 'Mail', { 'filters.toEmail': to.toUpperCase() }, 1);
    const plainWhole = await plain('notifications', 't.toEmail = :e', { e: to }, 't.createdAt DESC, t.id DESC', 1);
    expect(whole.records.map((r) => r.id)).toEqual(plainWhole.ids);
    expect(whole.meta.total).toBe(plainWhole.count);
    const prefix = await list('superuser', 'Mail', { 'filters.toEmail': to.slice(0, 3) }, 1);
    expect([prefix.records, prefix.meta.total]).toEqual([[], 0]);
    const ip: string = (await db().query('SELECT ip AS v FROM login_attempts ORDER BY id LIMIT 1'))[0].v;
    const byIp = await list('superuser', 'LoginAttempts', { 'filters.ip': ip }, 1);
    expect(byIp.meta.total).toBe((await plain('login_attempts', 't.ip = :ip', { ip }, 't.at DESC, t.id DESC', 1)).count);
    expect((await list('superuser', 'LoginAttempts', { 'filters.ip': ip.slice(0, ip.lastIndexOf('.') + 1) }, 1)).meta.total).toBe(0);
  });

  it('offers the audit log\'s actions and resources as choices, matched whole', async () => {
    expect((await list('superuser', 'AuditLog', { 'filters.action': 'appointment.' }, 1)).meta.total).toBe(0);
    const written: { v: string }[] = await db().query('SELECT DISTINCT action AS v FROM audit_events');
    const offered = new Set(admin.findResource('AuditLog').decorate().getPropertyByKey('action')?.availableValues()?.map((o) => o.value));
    expect(written.length).toBeGreaterThan(3);
    for (const { v } of written) expect(offered, v).toContain(v);
  });

  it('answers a page past the end with no rows and the same total', async () => {
    const total = (await list('superuser', 'Appointments', { 'filters.status': 'cancelled' }, 1)).meta.total;
    const beyond = await list('superuser', 'Appointments', { 'filters.status': 'cancelled' }, Math.ceil(total / PER_PAGE) + 5);
    expect(beyond.records).toEqual([]);
    expect(beyond.meta.total).toBe(total);
  });
});
