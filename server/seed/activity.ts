import type { Role } from '../access/roles.js';
import { clinicPlace, doctorName, personName } from '../appointments/participants.js';
import type { AuditAction, AuditChanges, AuditResource } from '../db/entities/audit-event.js';
import type { NotificationData, NotificationKind } from '../notifications/kinds.js';
import { diff } from '../shared/unit-of-work.js';
import { sqlDate, type Cell, type Dice, type Row } from './bulk.js';

/**
 * The audit events, sent mail and login attempts that a generated history
 * would have left, for the demo clinic and the scale generator alike. Rows
 * mirror what the services write: the same actions, changes, mail kinds,
 * data and dedupe keys (see appointments/notices.ts, records/*.ts). Mail is
 * marked sent, a few as failed, never pending: the relay moves only pending
 * rows, so the worker sends no history again.
 */
export interface TrailPerson {
  email: string;
  firstName: string;
  lastName: string;
  role: Role;
  /** The last successful sign-in: the person's newest login attempt is that one. */
  lastLoginAt?: Date | null;
}

export type TrailTable = 'audit_events' | 'notifications' | 'login_attempts';
export type TrailSink = (table: TrailTable, row: Row) => Promise<void> | void;

export interface TrailOptions {
  /**
   * Also the steps a lean trail leaves out, as the services take them: the
   * patient's request before an operator dates a diagnostic, the doctor's
   * copy of visit mails, and the completion job's events. The demo wants
   * them; the scale generator keeps one event and one mail per change.
   */
  everyStep?: boolean;
}

const MIN = 60_000;

const KNOWN_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
];

/** How a staff member who cancels is named to the patient and the doctor (as notices.ts words it). */
const CANCELLER_TITLES: Partial<Record<Role, string>> = { operator: 'operator', admin: 'administrator', superuser: 'administrator' };

/** A seed's UTC 'YYYY-MM-DD HH:MM:SS.SSS' back into a Date. */
const dateOf = (v: Cell): Date => new Date(`${String(v).replace(' ', 'T')}Z`);
const isoOf = (v: Cell): string | null => (v === null ? null : dateOf(v).toISOString());

/** The fields appointmentSnapshot() audits, from a seed row (dates as ISO, as diff() writes them). */
function appointmentFields(row: Row, status: string, stage: 'requested' | 'scheduled' | 'cancelled'): Record<string, Cell> {
  const dated = stage !== 'requested';
  return {
    kind: row.kind, status, patientId: row.patientId, diagnosticId: row.diagnosticId, doctorId: row.doctorId,
    startsAt: dated ? isoOf(row.startsAt) : null, endsAt: dated ? isoOf(row.endsAt) : null,
    bookedById: dated ? row.bookedById : null,
    cancelledById: stage === 'cancelled' ? row.cancelledById : null,
    cancelledAt: stage === 'cancelled' ? isoOf(row.cancelledAt) : null,
    cancelReason: stage === 'cancelled' ? row.cancelReason : null,
  };
}

export function activityTrail(
  sink: TrailSink, dice: Dice, people: Map<number, TrailPerson>, diagnosticNames: Map<number, string>, options: TrailOptions = {},
) {
  let request = 0;
  const everyStep = options.everyStep ?? false;
  const where = clinicPlace();
  const ip = () => `10.${dice.int(0, 255)}.${dice.int(0, 255)}.${dice.int(1, 254)}`;
  const nameOf = (id: number) => personName(people.get(id)!);

  const audit = (when: Date, actorId: number | null, action: AuditAction, resource: AuditResource, recordId: number, patientId: number | null, changes: AuditChanges) => {
    const system = actorId === null;
    return sink('audit_events', {
      at: sqlDate(when), actorId, actorRole: system ? 'system' : (people.get(actorId)?.role ?? null), action, resource, recordId: String(recordId), patientId,
      changes: JSON.stringify(changes), ip: system ? null : ip(), userAgent: system ? null : dice.pick(KNOWN_AGENTS),
      requestId: system ? null : `seed-${++request}`, outcome: 'success',
    });
  };
  const mail = <K extends NotificationKind>(when: Date, kind: K, userId: number, data: NotificationData[K], dedupeKey: string) => {
    const to = people.get(userId)!;
    const failed = dice.chance(0.005);
    const queued = new Date(when.getTime() + dice.int(1, 20) * 1000);
    return sink('notifications', {
      kind, recipientUserId: userId, toEmail: to.email, data: JSON.stringify(data), dedupeKey: dedupeKey.slice(0, 191),
      status: failed ? 'failed' : 'sent', attempts: failed ? 5 : 1, lastError: failed ? '421 4.7.0 Try again later' : null,
      createdAt: sqlDate(when), queuedAt: sqlDate(queued), sentAt: failed ? null : sqlDate(new Date(queued.getTime() + dice.int(100, 3000))),
    });
  };
  const firstName = (id: number) => people.get(id)!.firstName;

  async function requested(row: Row): Promise<void> {
    const id = Number(row.id);
    const patientId = Number(row.patientId);
    const when = dateOf(row.createdAt);
    await audit(when, patientId, 'appointment.request', 'appointment', id, patientId, diff({}, appointmentFields(row, 'requested', 'requested')));
    const diagnosticName = diagnosticNames.get(Number(row.diagnosticId)) ?? 'Diagnostic';
    await mail(when, 'request_received', patientId, { firstName: firstName(patientId), diagnosticName, appointmentId: id }, `request:appointment:${id}`);
  }

  async function booked(row: Row): Promise<void> {
    const id = Number(row.id);
    const patientId = Number(row.patientId);
    const when = dateOf(row.bookedAt);
    const startsAt = isoOf(row.startsAt)!;
    const scheduled = appointmentFields(row, 'scheduled', 'scheduled');
    if (row.kind === 'visit') {
      await audit(when, Number(row.bookedById), 'appointment.book', 'appointment', id, patientId, diff({}, scheduled));
      const doctorId = Number(row.doctorId);
      const recipients = everyStep ? [[patientId, 'patient'], [doctorId, 'doctor']] as const : [[patientId, 'patient']] as const;
      for (const [recipient, forRole] of recipients) {
        await mail(when, 'visit_booked', recipient, {
          firstName: firstName(recipient), doctorName: doctorName(people.get(doctorId)!), patientName: nameOf(patientId), startsAt, where, appointmentId: id, forRole,
        }, `booked:appointment:${id}:${forRole}`);
      }
      return;
    }
    // A diagnostic created before it was dated was a patient's request that an operator scheduled.
    const fromRequest = dateOf(row.createdAt).getTime() < when.getTime();
    if (fromRequest && everyStep) await requested(row);
    const before = fromRequest ? appointmentFields(row, 'requested', 'requested') : {};
    await audit(when, Number(row.bookedById), fromRequest ? 'appointment.schedule' : 'appointment.book', 'appointment', id, patientId, diff(before, scheduled));
    const diagnosticName = diagnosticNames.get(Number(row.diagnosticId)) ?? 'Diagnostic';
    await mail(when, 'diagnostic_scheduled', patientId, { firstName: firstName(patientId), diagnosticName, startsAt, where, appointmentId: id }, `scheduled:appointment:${id}`);
  }

  async function cancelled(row: Row): Promise<void> {
    const id = Number(row.id);
    const patientId = Number(row.patientId);
    const when = dateOf(row.cancelledAt);
    const byId = Number(row.cancelledById);
    const byPatient = byId === patientId;
    const dated = row.startsAt !== null;
    const before = appointmentFields(row, dated ? 'scheduled' : 'requested', dated ? 'scheduled' : 'requested');
    const action = !dated && byPatient ? 'appointment.withdraw' : 'appointment.cancel';
    await audit(when, byId, action, 'appointment', id, patientId, diff(before, appointmentFields(row, 'cancelled', 'cancelled')));
    const staff = people.get(byId)!;
    const title = CANCELLER_TITLES[staff.role] ?? staff.role;
    const cancelledBy = (forRole: 'patient' | 'doctor') => (byPatient
      ? (forRole === 'patient' ? 'you' : 'the patient')
      : (forRole === 'patient' ? `the clinic (${personName(staff)}, ${title})` : `${personName(staff)} (${title})`));
    const doctor = row.doctorId === null ? null : people.get(Number(row.doctorId))!;
    const what = row.kind === 'visit' && doctor ? `a visit with ${doctorName(doctor)}` : (diagnosticNames.get(Number(row.diagnosticId)) ?? 'an appointment');
    const recipients: [number, 'patient' | 'doctor'][] = [[patientId, 'patient']];
    if (everyStep && row.kind === 'visit' && doctor) recipients.push([Number(row.doctorId), 'doctor']);
    for (const [recipient, forRole] of recipients) {
      await mail(when, 'appointment_cancelled', recipient, {
        firstName: firstName(recipient), what: forRole === 'doctor' ? `a visit with ${nameOf(patientId)}` : what,
        startsAt: isoOf(row.startsAt), cancelledBy: cancelledBy(forRole), appointmentId: id, forRole,
      }, `cancelled:appointment:${id}:${forRole}`);
    }
  }

  return {
    /** What the appointment row went through: request, booking, cancellation, completion. */
    async appointment(row: Row, now: Date): Promise<void> {
      if (row.bookedAt === null) await requested(row);
      else await booked(row);
      if (row.status === 'cancelled') await cancelled(row);
      if (row.status === 'completed' && everyStep) {
        // The worker's completion job, a few minutes after the end.
        const when = new Date(Math.min(dateOf(row.endsAt).getTime() + dice.int(1, 5) * MIN, now.getTime() - MIN));
        await audit(when, null, 'appointment.complete', 'appointment', Number(row.id), Number(row.patientId), { status: { before: 'scheduled', after: 'completed' } });
      }
    },

    /** A journal entry (or its correction) or a prescription, by whoever typed it in (recordedById). */
    async record(resource: 'journalEntry' | 'prescription', row: Row): Promise<void> {
      const { id, createdAt, ...fields } = row;
      const patientId = Number(row.patientId);
      const action = row.correctsId ? 'correct' : 'create';
      await audit(dateOf(createdAt), Number(row.recordedById), action, resource, Number(id), patientId, diff({}, fields));
      const kind = resource === 'journalEntry' ? 'journal_entry_added' : 'prescription_added';
      await mail(dateOf(createdAt), kind, patientId, { firstName: firstName(patientId) }, `${kind}:${id}`);
    },

    /** An admin blocked the account: the event and the mail blockUser() writes. */
    async blocked(row: Row): Promise<void> {
      const id = Number(row.id);
      const when = dateOf(row.blockedAt);
      const changes = diff<Record<string, unknown>>({ isBlocked: false, blockedAt: null, blockedById: null, blockedReason: null, sessionEpoch: Number(row.sessionEpoch) - 1 }, {
        isBlocked: true, blockedAt: when, blockedById: row.blockedById, blockedReason: row.blockedReason, sessionEpoch: row.sessionEpoch,
      });
      await audit(when, Number(row.blockedById), 'user.block', 'user', id, row.role === 'patient' ? id : null, changes);
      await mail(when, 'account_blocked', id, { firstName: firstName(id) }, `blocked:user:${id}:${row.sessionEpoch}`);
    },

    /**
     * Sign-ins over the `span` before `until`, some mistyped: staff daily at
     * the panel, patients now and then at the portal. Someone with a
     * lastLoginAt signs in last at that time; written in time order.
     */
    async logins(until: Date, span: number, who: Iterable<TrailPerson> = people.values()): Promise<void> {
      const attempts: Row[] = [];
      for (const person of who) {
        const staff = person.role !== 'patient';
        const channel = staff ? 'panel' : 'portal';
        const last = person.lastLoginAt ?? until;
        const from = until.getTime() - span;
        for (let n = dice.int(staff ? 20 : 1, staff ? 60 : 7); n > 0; n--) {
          const ok = dice.chance(0.9);
          attempts.push({
            at: sqlDate(new Date(from + Math.floor(dice.next() * Math.max(0, last.getTime() - from)))), email: ok || dice.chance(0.7) ? person.email : `x${person.email}`,
            ip: ip(), userAgent: dice.pick(KNOWN_AGENTS), success: ok ? 1 : 0, reason: ok ? 'ok' : 'bad_credentials', channel,
          });
        }
        if (person.lastLoginAt) {
          attempts.push({ at: sqlDate(person.lastLoginAt), email: person.email, ip: ip(), userAgent: dice.pick(KNOWN_AGENTS), success: 1, reason: 'ok', channel });
        }
      }
      attempts.sort((a, b) => String(a.at).localeCompare(String(b.at)));
      for (const row of attempts) await sink('login_attempts', row);
    },
  };
}
