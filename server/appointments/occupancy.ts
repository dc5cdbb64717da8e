import { In } from 'typeorm';
import type { Actor } from '../access/actor.js';
import { db } from '../db/data-source.js';
import { Appointment } from '../db/entities/appointment.js';
import { AppointmentSlot } from '../db/entities/appointment-slot.js';
import { Conflict } from '../shared/errors.js';
import { inTransaction, isUniqueViolation, type Work } from '../shared/unit-of-work.js';
import { doctorName } from './participants.js';
import { cellsOf, clinicSpan } from './rules.js';

/**
 * SPEC rule 2, enforced by the database. A booking claims one
 * AppointmentSlot row per 15-minute cell for each resource it uses (doctor,
 * diagnostic, patient) in the same transaction as the appointment. The
 * composite primary key lets only one transaction own a cell, whichever
 * server process it runs in; the losers' INSERT fails and their whole
 * transaction rolls back, leaving nothing behind.
 */
export type ResourceKey = `doctor:${number}` | `diagnostic:${number}` | `patient:${number}`;

export interface SlotClaim {
  appointmentId: number;
  keys: ResourceKey[];
  startsAt: Date;
  endsAt: Date;
}

/** One multi-row INSERT in a fixed order (key, then time), so competing bookings lock in the same order. */
export async function claimSlots(w: Work, claim: SlotClaim): Promise<void> {
  const cells = cellsOf(claim.startsAt, claim.endsAt);
  const rows = [...claim.keys].sort().flatMap((resourceKey) =>
    cells.map((cellStart) => ({ resourceKey, cellStart, appointmentId: claim.appointmentId })));
  await w.manager.createQueryBuilder().insert().into(AppointmentSlot).values(rows).updateEntity(false).execute();
}

/** Frees an appointment's cells at once (cancel), in the caller's transaction. */
export async function releaseSlots(w: Work, appointmentId: number): Promise<void> {
  await w.manager.getRepository(AppointmentSlot).delete({ appointmentId });
}

const TRANSIENT_LOCK_ERRORS = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'SQLITE_BUSY']);

function isLockContention(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string } };
  const code = e.code ?? e.driverError?.code;
  return !!code && TRANSIENT_LOCK_ERRORS.has(code);
}

export interface BookingSubject extends SlotClaim {
  /** Whether the acting user is the patient ("you" rather than "the patient"). */
  patientIsActor?: boolean;
}

/** Claims the cells of one booking inside a bookingTransaction; remembered to explain a collision. */
export type ClaimSlots = (subject: BookingSubject) => Promise<void>;

/**
 * Runs a booking transaction and turns a lost race for a cell into a 409 that
 * says what collides. A deadlock that outlives inTransaction's retries is the
 * same lost race seen from InnoDB's side, so it ends as 409 too, never 500.
 */
export async function bookingTransaction<T>(actor: Actor, work: (w: Work, claim: ClaimSlots) => Promise<T>): Promise<T> {
  let subject: BookingSubject | undefined;
  try {
    return await inTransaction(actor, (w) => work(w, async (s) => {
      subject = s;
      await claimSlots(w, s);
    }));
  } catch (err) {
    if (subject && (isUniqueViolation(err) || isLockContention(err))) throw await explainCollision(subject);
    throw err;
  }
}
/** Finds the committed bookings that hold the wanted cells and names them. */
export async function explainCollision(subject: BookingSubject): Promise<Conflict> {
  const cells = cellsOf(subject.startsAt, subject.endsAt);
  const taken = await db().getRepository(AppointmentSlot).find({
    where: { resourceKey: In(subject.keys), cellStart: In(cells) },
    take: 50,
  });
  const holders = new Map<number, Appointment>();
  const ids = [...new Set(taken.map((t) => t.appointmentId))];
  if (ids.length > 0) {
    const rows = await db().getRepository(Appointment).createQueryBuilder('a')
      .leftJoinAndSelect('a.doctor', 'doctor')
      .leftJoinAndSelect('a.diagnostic', 'diagnostic')
      .where('a.id IN (:...ids)', { ids })
      .getMany();
    for (const a of rows) holders.set(a.id, a);
  }
  const order: Record<string, number> = { doctor: 0, diagnostic: 1, patient: 2 };
  const first = taken
    .map((t) => ({ kind: t.resourceKey.split(':')[0], holder: holders.get(t.appointmentId) }))
    .filter((t): t is { kind: string; holder: Appointment } => !!t.holder?.startsAt && !!t.holder.endsAt)
    .sort((a, b) => order[a.kind] - order[b.kind])[0];
  const message = first ? collisionMessage(first.kind, first.holder, subject) : 'That time was just taken by another booking. Please choose another time.';
  return new Conflict(message, 'slot_taken', { startsAt: message });
}

function collisionMessage(kind: string, holder: Appointment, subject: BookingSubject): string {
  const span = clinicSpan(holder.startsAt!, holder.endsAt!);
  if (kind === 'doctor' && holder.doctor) return `${doctorName(holder.doctor)} already has a visit at ${span}.`;
  if (kind === 'diagnostic' && holder.diagnostic) return `${holder.diagnostic.name} is already booked at ${span}.`;
  return subject.patientIsActor
    ? `You already have an appointment at ${span}.`
    : `The patient already has an appointment at ${span}.`;
}
