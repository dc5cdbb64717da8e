import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import type { Actor } from '../access/actor.js';
import { requireAccess } from '../access/policy.js';
import type { Role } from '../access/roles.js';
import { AuditEvent } from '../db/entities/audit-event.js';
import { User } from '../db/entities/user.js';
import { clinicParts } from '../shared/clinic-time.js';
import { clock } from '../shared/clock.js';
import { Conflict, Forbidden, NotFound } from '../shared/errors.js';
import { auditRow, type AuditInput, type Work } from '../shared/unit-of-work.js';
import { parseInput, userIdField } from './schemas.js';

/** Where an anonymous request came from (register, activate, reset …). */
export type ClientMeta = Pick<Actor, 'ip' | 'userAgent' | 'requestId'>;

/** The actor for flows before login: nobody yet, but the client's facts are kept. */
export function anonymousActor(meta: ClientMeta = {}): Actor {
  return { id: null, role: 'system', ip: meta.ip ?? null, userAgent: meta.userAgent ?? null, requestId: meta.requestId ?? null };
}

/** Audit in the caller's transaction under another actor (e.g. the user who just registered). */
export async function auditAs(w: Work, actor: Actor, input: AuditInput): Promise<void> {
  await w.manager.insert(AuditEvent, auditRow(actor, input));
}

export function patientIdOf(user: Pick<User, 'id' | 'role'>): number | null {
  return user.role === 'patient' ? user.id : null;
}

/**
 * The account id a service was given, checked before any query: NaN reaches
 * SQL as a column name (a 500), and TypeORM drops an undefined condition
 * altogether (the first user of the table would answer).
 */
export function parseUserId(id: unknown): number {
  return parseInput(z.object({ id: userIdField }), { id }).id;
}

/** Loads a user inside a transaction, locked for update on MariaDB, or 404. */
export async function lockUser(manager: EntityManager, id: number): Promise<User> {
  const query = manager.getRepository(User).createQueryBuilder('u').where('u.id = :id', { id });
  // SQLite serializes writers anyway; InnoDB needs the row lock against a concurrent change.
  if (manager.connection.options.type === 'mariadb') query.setLock('pessimistic_write');
  const user = await query.getOne();
  if (!user) throw new NotFound('User');
  return user;
}

export type ManageAction = 'edit' | 'block' | 'role' | 'delete';

/**
 * SPEC rule 10 in one place: the superuser is touched by nobody (but may edit
 * their own profile); only the superuser manages admins; admins manage
 * doctors, operators, pharmacists and patients; nobody blocks, demotes or
 * deletes themselves.
 */
export function requireManage(actor: Actor, target: Pick<User, 'id' | 'role'>, action: ManageAction): void {
  const self = actor.id !== null && actor.id === target.id;
  if (self) {
    if (action === 'edit') return;
    throw new Forbidden('You may not do this to your own account.');
  }
  if (target.role === 'superuser') throw new Forbidden('Nobody may change the superuser account.');
  requireAccess(actor, permissionToManage(target.role));
}

function permissionToManage(role: Role) {
  if (role === 'admin') return 'admin.manage' as const;
  if (role === 'patient') return 'patient.manage' as const;
  return 'staff.manage' as const;
}

/** Full years between a YYYY-MM-DD birth date and today in the clinic. */
export function ageOn(dateOfBirth: string, today = clinicParts(clock.now()).date): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number);
  const [ty, tm, td] = today.split('-').map(Number);
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

export const ADULT_AGE = 18;
/** Older than this is a typing mistake in the year. */
export const MAX_AGE = 130;

export function fullName(user: Pick<User, 'firstName' | 'lastName'>): string {
  return `${user.firstName} ${user.lastName}`;
}

export const EMAIL_TAKEN = 'An account with this email already exists.';

export function emailTaken(): Conflict {
  return new Conflict(EMAIL_TAKEN, 'email_taken', { email: EMAIL_TAKEN });
}
