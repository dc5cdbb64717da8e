import type { Actor } from '../server/access/actor.js';
import { can } from '../server/access/policy.js';
import { hideLinkTokens } from '../server/notifications/admin-api.js';

/**
 * What each role may see of a row (SPEC §4), applied inside the resource
 * before AdminJS builds a record, so list, show and embedded records carry
 * nothing more. Secrets (password hash, session epoch) never leave.
 */
type Row = Record<string, unknown>;

const NEVER = new Set(['passwordHash', 'sessionEpoch', 'nameKey']);

function pick(row: Row, keys: readonly string[]): Row {
  const out: Row = {};
  for (const k of keys) if (k in row) out[k] = row[k];
  return out;
}

function withoutSecrets(row: Row): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) {
    if (NEVER.has(k)) continue;
    // JSON columns (audit changes, mail data) are shown as text, not flattened.
    out[k] = v !== null && typeof v === 'object' && !(v instanceof Date) ? JSON.stringify(v) : v;
  }
  return out;
}

function withName(row: Row): Row {
  if (row.firstName !== undefined) row.name = `${row.firstName} ${row.lastName}`;
  return row;
}

const PATIENT_BASIC = ['id', 'firstName', 'lastName', 'dateOfBirth'] as const;
const PATIENT_CONTACT = [...PATIENT_BASIC, 'email', 'phone', 'isActive', 'isBlocked'] as const;

export function projectPatient(actor: Actor | null, row: Row): Row {
  if (can(actor, 'patient.read')) return withName(withoutSecrets(row));
  if (can(actor, 'patient.readContact')) return withName(pick(row, PATIENT_CONTACT));
  if (can(actor, 'patient.readBasic')) return withName(pick(row, PATIENT_BASIC));
  return { id: row.id };
}

const STAFF_PUBLIC = ['id', 'firstName', 'lastName', 'role', 'email', 'phone', 'isActive', 'isBlocked', 'specialty', 'acceptingBookings'] as const;

export function projectStaff(actor: Actor | null, row: Row): Row {
  const profile = row.doctorProfile as { specialty?: string; acceptingBookings?: boolean } | null | undefined;
  const { doctorProfile: _profile, ...rest } = row;
  const flat: Row = { ...rest, specialty: profile?.specialty ?? null, acceptingBookings: profile ? profile.acceptingBookings : null };
  if (can(actor, 'staff.manage')) return withName(withoutSecrets(flat));
  if (can(actor, 'staff.read') || can(actor, 'staff.readDoctors')) return withName(pick(flat, STAFF_PUBLIC));
  return { id: row.id };
}

const JOURNAL_DIAGNOSIS = ['id', 'patientId', 'authorId', 'diagnosis', 'correctsId', 'createdAt'] as const;

export function projectJournal(actor: Actor | null, row: Row): Row {
  if (can(actor, 'journal.read')) return withoutSecrets(row);
  if (can(actor, 'journal.readDiagnosis')) return pick(row, JOURNAL_DIAGNOSIS);
  return { id: row.id };
}

/** Rows whose every field the resource's readers may see (access is checked by isAccessible). */
export function projectAll(_actor: Actor | null, row: Row): Row {
  return withoutSecrets(row);
}

/**
 * The mail log: an outbox row waiting to be sent holds the one-time link
 * (activation, password reset, invitation). An admin who could read it could
 * reset the superuser's password, so the token never leaves the server.
 */
export function projectMail(_actor: Actor | null, row: Row): Row {
  return withoutSecrets({ ...row, data: hideTokens(row.data) });
}

function hideTokens(value: unknown): unknown {
  if (typeof value === 'string') return hideLinkTokens(value);
  if (Array.isArray(value)) return value.map(hideTokens);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, /token/i.test(k) ? '(hidden)' : hideTokens(v)]));
  }
  return value;
}

/** The patient's own words (symptoms) are for clinicians and admins, not operators. */
export function projectAppointment(actor: Actor | null, row: Row): Row {
  const out = withoutSecrets(row);
  if (!can(actor, 'patient.read')) delete out.patientNote;
  return out;
}
