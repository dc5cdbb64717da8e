import { Between, In } from 'typeorm';
import type { Actor } from '../access/actor.js';
import { requireAccess } from '../access/policy.js';
import { db } from '../db/data-source.js';
import { AppointmentSlot } from '../db/entities/appointment-slot.js';
import { Diagnostic } from '../db/entities/diagnostic.js';
import { DoctorProfile } from '../db/entities/doctor-profile.js';
import { User } from '../db/entities/user.js';
import { clock } from '../shared/clock.js';
import { NotFound } from '../shared/errors.js';
import type { ResourceKey } from './occupancy.js';
import { candidateStarts, cellsOf, endOf } from './rules.js';
import { freeSlotsQuery, parseInput, type FreeSlotsQuery } from './schemas.js';

/**
 * The start times on one clinic day that rules 2 and 3 would accept now: on
 * the grid, inside hours, in the future, and with every cell free for the
 * doctor or diagnostic (and the patient, when one is named). Offered times
 * can still be lost to a faster booking; the booking itself decides.
 */
export async function freeSlots(actor: Actor, query: FreeSlotsQuery): Promise<string[]> {
  requireAccess(actor, 'appointment.schedule', 'appointment.read', 'appointment.requestOwn');
  const q = parseInput(freeSlotsQuery, query);
  // A patient only ever asks about their own calendar.
  const patientId = actor.role === 'patient' ? actor.id! : q.patientId;
  const resource = await bookableResource(q.doctorId, q.diagnosticId);
  if (!resource) return [];
  const starts = candidateStarts(q.date, resource.minutes, clock.now());
  if (starts.length === 0) return [];
  const keys: ResourceKey[] = [resource.key];
  if (patientId !== undefined) keys.push(`patient:${patientId}`);
  const dayEnd = endOf(starts[starts.length - 1], resource.minutes);
  const taken = await db().getRepository(AppointmentSlot).find({
    select: { cellStart: true },
    where: { resourceKey: In(keys), cellStart: Between(starts[0], dayEnd) },
  });
  const busy = new Set(taken.map((t) => new Date(t.cellStart).getTime()));
  return starts
    .filter((s) => cellsOf(s, endOf(s, resource.minutes)).every((c) => !busy.has(c.getTime())))
    .map((s) => s.toISOString());
}

/** The slot key and length for a doctor or diagnostic that takes bookings; null when it takes none. */
async function bookableResource(doctorId?: number, diagnosticId?: number): Promise<{ key: ResourceKey; minutes: number } | null> {
  if (doctorId !== undefined) {
    const doctor = await db().getRepository(User).findOneBy({ id: doctorId, role: 'doctor' });
    const profile = doctor ? await db().getRepository(DoctorProfile).findOneBy({ userId: doctorId }) : null;
    if (!doctor || !profile) throw new NotFound('Doctor');
    if (!doctor.isActive || doctor.isBlocked || !profile.acceptingBookings) return null;
    return { key: `doctor:${doctorId}`, minutes: profile.visitMinutes };
  }
  const diagnostic = await db().getRepository(Diagnostic).findOneBy({ id: diagnosticId! });
  if (!diagnostic) throw new NotFound('Diagnostic');
  if (!diagnostic.isActive) return null;
  return { key: `diagnostic:${diagnostic.id}`, minutes: diagnostic.durationMinutes };
}
