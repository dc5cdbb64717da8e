import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import { z, type ZodType } from 'zod';
import type { Actor } from '../access/actor.js';
import { config } from '../config.js';
import { db, isMariaDb } from '../db/data-source.js';
import { User } from '../db/entities/user.js';
import { fromZod } from '../http/errors.js';
import { Invalid } from '../shared/errors.js';
import { isWellFormedText, NOT_TEXT, wholeId } from '../shared/input.js';
import { AuditEvent, type AuditResource } from '../db/entities/audit-event.js';
import { auditNow, auditRow } from '../shared/unit-of-work.js';

/** A person as a record list shows them: enough to name, nothing more. */
export interface PersonRef {
  id: number;
  firstName: string;
  lastName: string;
}

export const recordId = wholeId('Use a record id: a whole number from 1.');

/** Control characters are junk: none in a one-line field; a text keeps its tabs and line breaks. */
// eslint-disable-next-line no-control-regex
export const ONE_LINE = /^[^\u0000-\u001f\u007f]*$/;
// eslint-disable-next-line no-control-regex
export const TEXT = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/;
export const CONTROL_CHARACTERS = 'Remove control characters.';

/** Optional free text: blank means "none". */
export const optionalText = (max: number) =>
  z.string().trim().max(max).regex(TEXT, CONTROL_CHARACTERS).refine(isWellFormedText, NOT_TEXT).nullish().transform((v) => (v ? v : null));

/** Services parse their own input too: the panel and the portal may call them with anything. */
export function parseInput<S extends ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw fromZod(parsed.error);
  return parsed.data;
}

/** The patient a record is about: must exist and be a patient. */
export async function requirePatient(manager: EntityManager, patientId: number): Promise<User> {
  const patient = await manager.findOneBy(User, { id: patientId });
  if (!patient || patient.role !== 'patient') {
    throw new Invalid('There is no such patient.', { patientId: 'No patient with this id.' });
  }
  return patient;
}

/**
 * The clinician who answers for a record (a doctor for journal entries, a
 * pharmacist for prescriptions). A blocked or inactive one may not author.
 */
export async function requireActiveStaff(
  manager: EntityManager,
  id: number,
  role: 'doctor' | 'pharmacist',
  field: string,
): Promise<User> {
  const user = await manager.findOneBy(User, { id });
  if (!user || user.role !== role || !user.isActive || user.isBlocked) {
    throw new Invalid(`An active ${role} must be named.`, { [field]: `No active ${role} with this id.` });
  }
  return user;
}

export function personRef(u: Pick<User, 'id' | 'firstName' | 'lastName'>): PersonRef {
  return { id: u.id, firstName: u.firstName, lastName: u.lastName };
}

/**
 * Query parameters for datetime columns. mysql2 formats a Date itself (the
 * connection runs in UTC); better-sqlite3 binds no Dates, and TypeORM stores
 * SQLite datetimes as UTC text 'YYYY-MM-DD HH:MM:SS.SSS', which sorts as time.
 */
export function dateParam(d: Date): Date | string {
  return isMariaDb() ? d : d.toISOString().replace('T', ' ').replace('Z', '');
}

/** Applies the common filters of the record lists. */
export function whereCreatedBetween<T extends object>(qb: SelectQueryBuilder<T>, alias: string, from?: Date, to?: Date): void {
  if (from) qb.andWhere(`${alias}.createdAt >= :from`, { from: dateParam(from) });
  if (to) qb.andWhere(`${alias}.createdAt < :to`, { to: dateParam(to) });
}

/**
 * SPEC §4: staff reads of a patient's medical records are audited, one row per
 * read or list call, naming the patient when the read is about one.
 */
export async function auditStaffRead(actor: Actor, resource: AuditResource, recordId: number | null, patientId: number | null): Promise<void> {
  if (actor.role === 'patient' || actor.role === 'system' || !config().auditStaffReads) return;
  await auditNow(actor, { action: 'read', resource, recordId, patientId });
}

/**
 * A staff list read: one row naming the patient when the list was about one;
 * for a list across patients, one row per patient whose records it showed,
 * so "who read this patient's records" finds it (one row, no patient, when
 * nothing was shown).
 */
export async function auditStaffListRead(actor: Actor, resource: AuditResource, filteredPatientId: number | undefined, shown: { patientId: number }[]): Promise<void> {
  if (actor.role === 'patient' || actor.role === 'system' || !config().auditStaffReads) return;
  const patients = filteredPatientId !== undefined ? [filteredPatientId] : [...new Set(shown.map((r) => r.patientId))];
  if (patients.length === 0) return auditStaffRead(actor, resource, null, null);
  await db().getRepository(AuditEvent).insert(patients.map((patientId) => auditRow(actor, { action: 'read', resource, recordId: null, patientId })));
}
