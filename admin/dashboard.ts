import type { Actor } from '../server/access/actor.js';
import { can } from '../server/access/policy.js';
import { db } from '../server/db/data-source.js';
import { Appointment } from '../server/db/entities/appointment.js';
import { AuditEvent } from '../server/db/entities/audit-event.js';
import { Prescription } from '../server/db/entities/prescription.js';
import { User } from '../server/db/entities/user.js';
import { In } from 'typeorm';
import { clinicParts, clinicTimeToUtc, clinicZoneCaption, formatClinicTimeWithZone } from '../server/shared/clinic-time.js';
import { config } from '../server/config.js';
import { clock } from '../server/shared/clock.js';
import { services } from './services.js';

/**
 * Each role's start page: what they need first thing in the morning.
 * Reads only; every link leads into the role-scoped resources.
 */
interface Table { title: string; columns: string[]; rows: { cells: string[]; href?: string }[]; empty?: string }
export interface DashboardData { role: string; heading: string; zoneNote?: string; cards: { label: string; value: string; href?: string }[]; tables: Table[] }

const show = (resource: string, id: number) => `/admin/resources/${resource}/records/${id}/show`;
const name = (u: { firstName: string; lastName: string } | null | undefined) => (u ? `${u.firstName} ${u.lastName}` : '—');
const when = (d: Date | null) => (d ? formatClinicTimeWithZone(d) : '—');
const zoneNote = () => `All times are ${clinicZoneCaption()} (${config().clinic.timeZone}).`;

function today(): { start: Date; end: Date } {
  const { date } = clinicParts(clock.now());
  const next = new Date(`${date}T12:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return { start: clinicTimeToUtc(date, 0), end: clinicTimeToUtc(next.toISOString().slice(0, 10), 0) };
}

function appointmentsQuery() {
  return db().getRepository(Appointment).createQueryBuilder('a')
    .leftJoin('a.patient', 'p').addSelect(['p.id', 'p.firstName', 'p.lastName'])
    .leftJoin('a.doctor', 'd').addSelect(['d.id', 'd.firstName', 'd.lastName'])
    .leftJoin('a.diagnostic', 'g').addSelect(['g.id', 'g.name']);
}

const STATUS: Record<string, string> = { requested: 'Requested', scheduled: 'Scheduled', cancelled: 'Cancelled', completed: 'Completed' };

/** A day's or the coming weeks' appointments; a doctor's own list needs no "with Dr …". */
function scheduleTable(title: string, rows: Appointment[], empty: string, own = false): Table {
  return {
    title, empty,
    columns: ['When', 'Patient', 'What', 'Status'],
    rows: rows.map((a) => ({
      href: show('Appointments', a.id),
      cells: [
        when(a.startsAt), name(a.patient),
        a.diagnostic ? a.diagnostic.name : own ? 'Doctor visit' : `Visit with Dr ${name(a.doctor)}`,
        STATUS[a.status] ?? a.status,
      ],
    })),
  };
}

async function doctorDashboard(actor: Actor): Promise<DashboardData> {
  const { start, end } = today();
  const mine = () => appointmentsQuery().where('a.doctorId = :me AND a.status = :s', { me: actor.id, s: 'scheduled' });
  const todays = await mine().andWhere('a.startsAt >= :start AND a.startsAt < :end', { start, end }).orderBy('a.startsAt', 'ASC').getMany();
  const upcoming = await mine().andWhere('a.startsAt >= :end', { end }).orderBy('a.startsAt', 'ASC').limit(20).getMany();
  return {
    role: 'doctor', heading: 'Your visits', zoneNote: zoneNote(),
    cards: [{ label: 'Visits today', value: String(todays.length) }, { label: 'Upcoming (next 20)', value: String(upcoming.length) }],
    tables: [scheduleTable('Today', todays, 'No visits today.', true), scheduleTable('Upcoming', upcoming, 'Nothing booked yet.', true)],
  };
}

/** The requests list as the waiting queue: oldest first. */
const WAITING_QUEUE = '/admin/resources/Requests?sortBy=createdAt&direction=asc';

async function operatorDashboard(actor: Actor): Promise<DashboardData> {
  const requests = await appointmentsQuery().where("a.status = 'requested'").orderBy('a.createdAt', 'ASC').limit(20).getMany();
  const waiting = await db().getRepository(Appointment).count({ where: { status: 'requested' } });
  const rebook = await services.visitsToRebook(actor, 50);
  return {
    role: 'operator', heading: 'Bookings desk', zoneNote: zoneNote(),
    cards: [
      { label: 'Requests waiting', value: String(waiting), href: WAITING_QUEUE },
      { label: 'Visits to rebook', value: String(rebook.length) },
    ],
    tables: [
      {
        title: 'Open requests (oldest first)', empty: 'No requests waiting.',
        columns: ['Requested', 'Patient', 'Diagnostic'],
        rows: requests.map((a) => ({ href: show('Requests', a.id), cells: [when(a.createdAt), name(a.patient), a.diagnostic?.name ?? '—'] })),
      },
      {
        title: 'Visits of doctors who stopped taking bookings', empty: 'Nothing to rebook.',
        columns: ['When', 'Patient', 'Doctor'],
        rows: rebook.map((v) => ({ href: show('Appointments', v.id), cells: [when(v.startsAt), name(v.patient), name(v.doctor)] })),
      },
    ],
  };
}

async function pharmacistDashboard(): Promise<DashboardData> {
  const latest = await db().getRepository(Prescription).createQueryBuilder('r')
    .leftJoin('r.patient', 'p').addSelect(['p.id', 'p.firstName', 'p.lastName'])
    .leftJoin('r.author', 'u').addSelect(['u.id', 'u.firstName', 'u.lastName'])
    .orderBy('r.createdAt', 'DESC').limit(20).getMany();
  return {
    role: 'pharmacist', heading: 'Prescriptions', zoneNote: zoneNote(),
    cards: [],
    tables: [{
      title: 'Latest prescriptions', empty: 'No prescriptions yet.',
      columns: ['Written', 'Patient', 'Medication', 'Dosage', 'By'],
      rows: latest.map((r) => ({ href: show('Prescriptions', r.id), cells: [when(r.createdAt), name(r.patient), r.medication, r.dosage, name(r.author)] })),
    }],
  };
}

async function adminDashboard(actor: Actor): Promise<DashboardData> {
  const { start, end } = today();
  const users = db().getRepository(User);
  const [patients, staff, waiting] = await Promise.all([
    users.count({ where: { role: 'patient' } }),
    users.createQueryBuilder('u').where("u.role <> 'patient'").getCount(),
    db().getRepository(Appointment).count({ where: { status: 'requested' } }),
  ]);
  const todays = await appointmentsQuery().where("a.status = 'scheduled' AND a.startsAt >= :start AND a.startsAt < :end", { start, end })
    .orderBy('a.startsAt', 'ASC').limit(50).getMany();
  const events = await db().getRepository(AuditEvent).find({ order: { at: 'DESC', id: 'DESC' }, take: 15 });
  const actors = await actorNames(actor, events.map((e) => e.actorId));
  return {
    role: actor.role, heading: 'Clinic today', zoneNote: zoneNote(),
    cards: [
      { label: 'Patients', value: String(patients), href: '/admin/resources/Patients' },
      { label: 'Staff', value: String(staff), href: '/admin/resources/Staff' },
      { label: 'Requests waiting', value: String(waiting), href: WAITING_QUEUE },
      { label: 'Appointments today', value: String(todays.length), href: '/admin/resources/Appointments' },
    ],
    tables: [
      scheduleTable("Today's schedule", todays, 'Nothing scheduled today.'),
      {
        title: 'Recent audit events', empty: 'No events yet.',
        columns: ['When', 'Who', 'Action', 'Record', 'Outcome'],
        rows: events.map((e) => ({
          href: show('AuditLog', e.id),
          cells: [when(e.at), actorLabel(e, actors), e.action, e.recordId ? `${e.resource} #${e.recordId}` : e.resource, e.outcome],
        })),
      },
    ],
  };
}

/**
 * Who acted, by name: only admins and the superuser see the audit trail, and
 * they may read every account (SPEC §4); anyone else would get no names.
 */
async function actorNames(actor: Actor, ids: (number | null)[]): Promise<Map<number, string>> {
  const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
  if (!wanted.length || !can(actor, 'staff.read') || !can(actor, 'patient.read')) return new Map();
  const users = await db().getRepository(User).find({ select: { id: true, firstName: true, lastName: true }, where: { id: In(wanted) } });
  return new Map(users.map((u) => [u.id, name(u)]));
}

function actorLabel(event: AuditEvent, names: Map<number, string>): string {
  if (event.actorId === null) return 'System (scheduled job)';
  const person = names.get(event.actorId);
  return person ? `${person} (${event.actorRole ?? 'unknown role'})` : `A ${event.actorRole ?? 'user'} (account deleted)`;
}

export async function dashboardFor(actor: Actor | null): Promise<DashboardData | Record<string, never>> {
  if (!actor) return {};
  if (can(actor, 'audit.read')) return adminDashboard(actor);
  if (actor.role === 'doctor') return doctorDashboard(actor);
  if (actor.role === 'operator') return operatorDashboard(actor);
  if (actor.role === 'pharmacist') return pharmacistDashboard();
  return {};
}
