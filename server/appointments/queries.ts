import type { SelectQueryBuilder } from 'typeorm';
import type { Actor } from '../access/actor.js';
import { can, requireAccess, requireVisible } from '../access/policy.js';
import { db } from '../db/data-source.js';
import { Appointment, type AppointmentKind, type AppointmentStatus } from '../db/entities/appointment.js';
import { pageWindow, parseSort, type Page } from '../shared/pagination.js';
import { clock } from '../shared/clock.js';
import { appointmentListQuery, parseInput, recordId, type AppointmentListQuery } from './schemas.js';

/**
 * Reading appointments. Lists use the QueryBuilder in two steps (the page's
 * ids through an index, then those rows with their names) because that stays
 * fast at a million rows where find-with-relations and deep OFFSETs do not
 * (STACK.md). What each role sees is shaped here, not in the panel.
 */
export interface AppointmentView {
  id: number;
  kind: AppointmentKind;
  status: AppointmentStatus;
  startsAt: Date | null;
  endsAt: Date | null;
  /** The patient's own words: for the patient, doctors, admins and the superuser; not for operators. */
  patientNote?: string | null;
  diagnostic: { id: number; name: string } | null;
  doctor: { id: number; firstName: string; lastName: string; specialty: string | null } | null;
  /** Staff only. */
  patient?: { id: number; firstName: string; lastName: string };
  bookedAt: Date | null;
  cancelledAt: Date | null;
  cancelReason: string | null;
  createdAt: Date;
}

export interface AppointmentPage extends Page<AppointmentView> {
  /** True when `total` stopped counting at the cap given in the options. */
  totalIsCapped: boolean;
}

export interface ListOptions {
  /** Count at most this many rows (large staff lists); the exact count when absent. */
  countLimit?: number;
}

/**
 * Each offered sort, with tie-breakers that follow an index of its own
 * (starts, created, status+created; InnoDB appends the id), so MariaDB walks
 * the index instead of sorting the table.
 */
const SORT_COLUMNS: Record<string, string[]> = {
  startsAt: ['a.startsAt', 'a.id'],
  createdAt: ['a.createdAt', 'a.id'],
  status: ['a.status', 'a.createdAt', 'a.id'],
};

function seesNote(actor: Actor, appointment: Pick<Appointment, 'patientId'>): boolean {
  if (actor.role === 'patient') return appointment.patientId === actor.id;
  return ['superuser', 'admin', 'doctor', 'system'].includes(actor.role);
}

/** Joins the names a view needs: diagnostic name, doctor with specialty, patient's name (staff only). */
function withNames(qb: SelectQueryBuilder<Appointment>, actor: Actor): SelectQueryBuilder<Appointment> {
  qb.leftJoin('a.diagnostic', 'diagnostic').addSelect(['diagnostic.id', 'diagnostic.name'])
    .leftJoin('a.doctor', 'doctor').addSelect(['doctor.id', 'doctor.firstName', 'doctor.lastName'])
    .leftJoin('doctor.doctorProfile', 'doctorProfile').addSelect(['doctorProfile.userId', 'doctorProfile.specialty']);
  if (actor.role !== 'patient') {
    qb.leftJoin('a.patient', 'patient').addSelect(['patient.id', 'patient.firstName', 'patient.lastName']);
  }
  return qb;
}

export function toView(actor: Actor, a: Appointment): AppointmentView {
  const v: AppointmentView = {
    id: a.id,
    kind: a.kind,
    status: a.status,
    startsAt: a.startsAt,
    endsAt: a.endsAt,
    diagnostic: a.diagnostic ? { id: a.diagnostic.id, name: a.diagnostic.name } : null,
    doctor: a.doctor
      ? { id: a.doctor.id, firstName: a.doctor.firstName, lastName: a.doctor.lastName, specialty: a.doctor.doctorProfile?.specialty ?? null }
      : null,
    bookedAt: a.bookedAt,
    cancelledAt: a.cancelledAt,
    cancelReason: a.cancelReason,
    createdAt: a.createdAt,
  };
  if (seesNote(actor, a)) v.patientNote = a.patientNote;
  if (actor.role !== 'patient' && a.patient) {
    v.patient = { id: a.patient.id, firstName: a.patient.firstName, lastName: a.patient.lastName };
  }
  return v;
}

/** Loads rows by id with their names, in the order of `ids`. */
async function viewsByIds(actor: Actor, ids: number[]): Promise<AppointmentView[]> {
  if (ids.length === 0) return [];
  const rows = await withNames(db().getRepository(Appointment).createQueryBuilder('a'), actor)
    .where('a.id IN (:...ids)', { ids })
    .getMany();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => (byId.has(id) ? [toView(actor, byId.get(id)!)] : []));
}

export async function listAppointments(actor: Actor, filter: AppointmentListQuery = {}, options: ListOptions = {}): Promise<AppointmentPage> {
  requireAccess(actor, 'appointment.read', 'appointment.readOwn');
  const q = parseInput(appointmentListQuery, filter);
  const base = db().getRepository(Appointment).createQueryBuilder('a');
  // A patient's list is their own, whatever the filter says.
  if (!can(actor, 'appointment.read')) base.andWhere('a.patientId = :own', { own: actor.id });
  else if (q.patientId !== undefined) base.andWhere('a.patientId = :patientId', { patientId: q.patientId });
  if (q.status) base.andWhere('a.status IN (:...status)', { status: q.status });
  if (q.kind) base.andWhere('a.kind = :kind', { kind: q.kind });
  if (q.doctorId !== undefined) base.andWhere('a.doctorId = :doctorId', { doctorId: q.doctorId });
  if (q.diagnosticId !== undefined) base.andWhere('a.diagnosticId = :diagnosticId', { diagnosticId: q.diagnosticId });
  if (q.from) base.andWhere('a.startsAt >= :from', { from: q.from });
  if (q.to) base.andWhere('a.startsAt < :to', { to: q.to });

  const { key, direction } = parseSort(q.sort);
  const { skip, take } = pageWindow(q);
  const pageIds = base.clone().select('a.id', 'id');
  for (const column of SORT_COLUMNS[key]) pageIds.addOrderBy(column, direction);
  const idRows = await pageIds.offset(skip).limit(take).getRawMany<{ id: number | string }>();
  const { total, capped } = await countRows(base, options.countLimit);
  return {
    items: await viewsByIds(actor, idRows.map((r) => Number(r.id))),
    total,
    page: q.page,
    perPage: q.perPage,
    totalIsCapped: capped,
  };
}

async function countRows(base: SelectQueryBuilder<Appointment>, limit?: number): Promise<{ total: number; capped: boolean }> {
  if (!limit) {
    // COUNT(*) rather than getCount()'s COUNT(DISTINCT id): no join here can repeat a row.
    const row = await base.clone().select('COUNT(*)', 'n').getRawOne<{ n: number | string }>();
    return { total: Number(row?.n ?? 0), capped: false };
  }
  const inner = base.clone().select('a.id').limit(limit);
  const row = await db().createQueryBuilder()
    .select('COUNT(*)', 'n')
    .from(`(${inner.getQuery()})`, 'capped')
    .setParameters(inner.getParameters())
    .getRawOne<{ n: number | string }>();
  const total = Number(row?.n ?? 0);
  return { total, capped: total >= limit };
}

export async function getAppointment(actor: Actor, id: number): Promise<AppointmentView> {
  requireAccess(actor, 'appointment.read', 'appointment.readOwn');
  // NaN would reach SQL as a column name: a 500 instead of a 400.
  const appointmentId = parseInput(recordId, id);
  const row = await withNames(db().getRepository(Appointment).createQueryBuilder('a'), actor)
    .where('a.id = :id', { id: appointmentId })
    .getOne();
  requireVisible(actor, row, 'Appointment', ['appointment.read'], 'appointment.readOwn');
  return toView(actor, row!);
}

/**
 * Rule 6: a blocked doctor's (or one who stopped taking bookings) future
 * visits stay booked and wait here for an operator to move them.
 */
export async function visitsToRebook(actor: Actor, limit = 500): Promise<AppointmentView[]> {
  requireAccess(actor, 'appointment.schedule');
  const ids = await db().getRepository(Appointment).createQueryBuilder('a')
    .innerJoin('a.doctor', 'd')
    .innerJoin('d.doctorProfile', 'dp')
    .select('a.id', 'id')
    .where('a.kind = :kind AND a.status = :status AND a.startsAt > :now', { kind: 'visit', status: 'scheduled', now: clock.now() })
    .andWhere('(dp.acceptingBookings = :no OR d.isBlocked = :yes OR d.isActive = :no)', { no: false, yes: true })
    .orderBy('a.startsAt', 'ASC').addOrderBy('a.id', 'ASC')
    .limit(limit)
    .getRawMany<{ id: number | string }>();
  return viewsByIds(actor, ids.map((r) => Number(r.id)));
}
