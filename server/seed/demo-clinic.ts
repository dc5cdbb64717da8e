import type { Config } from '../config.js';
import { diagnosticNameKey } from '../db/entities/diagnostic.js';
import { clinicParts } from '../shared/clinic-time.js';
import { Dice, sqlDate, type Row } from './bulk.js';
import { addDays, Calendar, cellsOf } from './calendar.js';
import { CANCEL_REASONS, DEMO_DIAGNOSTICS, DIAGNOSTIC_FINDINGS, REQUEST_NOTES, VISIT_FINDINGS, type Finding } from './demo-content.js';
import type { DemoPerson } from './demo-people.js';

/**
 * The demo clinic's calendar and records, relative to `now`: four months of
 * completed and cancelled appointments, two and a half months of scheduled
 * ones (with their slot rows), requests waiting for an operator, and the
 * journal entries and prescriptions the completed ones produced.
 */
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export interface DemoIds {
  appointment: number;
  diagnostic: number;
  journalEntry: number;
  prescription: number;
}

interface Placed {
  id: number;
  patientId: number;
  kind: 'diagnostic' | 'visit';
  diagnosticIndex: number | null;
  doctorId: number | null;
  startsAt: Date;
  endsAt: Date;
  status: 'scheduled' | 'completed' | 'cancelled';
  /** Named patients always get records, so every demo login shows some. */
  named: boolean;
}

export interface DemoClinic {
  diagnostics: Row[];
  appointments: Row[];
  slots: Row[];
  journalEntries: Row[];
  prescriptions: Row[];
}

export function planDemoClinic(dice: Dice, now: Date, people: DemoPerson[], ids: DemoIds, clinic: Config['clinic']): DemoClinic {
  const cal = new Calendar(clinic.hours, clinic.timeZone);
  const today = clinicParts(now, clinic.timeZone).date;
  const byRole = (role: string) => people.filter((p) => p.role === role);
  const doctors = byRole('doctor');
  const operators = byRole('operator');
  const pharmacists = byRole('pharmacist');
  const admin = byRole('admin')[0];
  const patients = byRole('patient').filter((p) => p.bookable);
  const [patient1, patient2] = patients;
  const doctorBySpecialty = (s: string) => doctors.find((d) => d.specialty === s) ?? doctors[0];
  const clamp = (d: Date) => new Date(Math.min(d.getTime(), now.getTime() - MIN));

  const diagnostics: Row[] = DEMO_DIAGNOSTICS.map((d, i) => ({
    id: ids.diagnostic + i, name: d.name, nameKey: diagnosticNameKey(d.name), description: d.description,
    durationMinutes: d.minutes, isActive: 1, createdAt: sqlDate(new Date(now.getTime() - 900 * DAY)), updatedAt: sqlDate(new Date(now.getTime() - 900 * DAY)),
  }));

  const placed: Placed[] = [];
  let nextAppointment = ids.appointment;

  /** Books on the first day from `offset` (walking away from today) where everyone is free. */
  function book(patientId: number, kind: 'diagnostic' | 'visit', target: number, offset: number, status: Placed['status'], named = false): void {
    const minutes = kind === 'diagnostic' ? DEMO_DIAGNOSTICS[target].minutes : 30;
    const keys = [kind === 'diagnostic' ? `diagnostic:${target}` : `doctor:${target}`, `patient:${patientId}`];
    const step = offset < 0 ? -1 : 1;
    for (let day = offset; Math.abs(day - offset) < 10; day += step) {
      const date = addDays(today, day);
      // Future bookings start at least an hour from now; past ones ended before today.
      const startsAt = cal.place(keys, date, minutes, () => dice.next(), day >= 0 ? new Date(now.getTime() + HOUR) : undefined);
      if (!startsAt) continue;
      placed.push({
        id: nextAppointment++, patientId, kind, named, status,
        diagnosticIndex: kind === 'diagnostic' ? target : null,
        doctorId: kind === 'visit' ? target : null,
        startsAt, endsAt: new Date(startsAt.getTime() + minutes * MIN),
      });
      return;
    }
  }
  const randomTarget = (kind: 'diagnostic' | 'visit') => (kind === 'diagnostic' ? dice.int(0, DEMO_DIAGNOSTICS.length - 1) : dice.pick(doctors).id);
  const gp = doctorBySpecialty('General practice').id;

  // The two patient logins: something to see, to cancel and to wait for.
  book(patient1.id, 'diagnostic', 0, 5, 'scheduled', true);
  book(patient1.id, 'visit', gp, 10, 'scheduled', true);
  book(patient1.id, 'visit', gp, -40, 'completed', true);
  book(patient1.id, 'diagnostic', 5, -38, 'completed', true);
  book(patient1.id, 'visit', doctorBySpecialty('Cardiology').id, -20, 'completed', true);
  book(patient1.id, 'visit', gp, -60, 'cancelled', true);
  book(patient2.id, 'visit', gp, 2, 'scheduled', true);
  book(patient2.id, 'diagnostic', 2, -15, 'completed', true);
  book(patient2.id, 'visit', doctorBySpecialty('Orthopaedics').id, -14, 'completed', true);

  for (let day = -120; day <= 75; day++) {
    if (!cal.isOpen(addDays(today, day))) continue;
    const count = day < 0 ? dice.int(4, 8) : dice.int(3, 6);
    for (let i = 0; i < count; i++) {
      const kind = dice.chance(0.6) ? 'diagnostic' : 'visit';
      const status = dice.chance(0.1) ? 'cancelled' : day < 0 ? 'completed' : 'scheduled';
      book(dice.pick(patients).id, kind, randomTarget(kind), day, status);
    }
  }

  const appointments: Row[] = [];
  const slots: Row[] = [];
  for (const a of placed) {
    // Booked days ahead; one far off was booked some time in the last weeks
    // (not all a minute ago: the audit log and the mail log show when).
    const ahead = new Date(a.startsAt.getTime() - dice.int(1, 20) * DAY - dice.int(0, 8) * HOUR);
    const bookedAt = ahead < now ? clamp(ahead) : new Date(now.getTime() - dice.int(2, 21 * 24 * 60) * MIN);
    const createdAt = a.kind === 'diagnostic' ? new Date(bookedAt.getTime() - dice.int(2, 240) * HOUR) : bookedAt;
    let cancel: Row = { cancelledById: null, cancelledAt: null, cancelReason: null };
    let updatedAt = a.status === 'completed' ? a.endsAt : bookedAt;
    if (a.status === 'cancelled') {
      const cancelledAt = clamp(new Date(bookedAt.getTime() + (Math.min(a.startsAt.getTime(), now.getTime()) - bookedAt.getTime()) * dice.next() * 0.9));
      // Patients may cancel themselves only until 24 h before (SPEC rule 4).
      const byPatient = a.startsAt.getTime() - cancelledAt.getTime() >= DAY && dice.chance(0.6);
      cancel = {
        cancelledById: byPatient ? a.patientId : dice.pick(operators).id,
        cancelledAt: sqlDate(cancelledAt),
        cancelReason: byPatient ? null : dice.pick(CANCEL_REASONS),
      };
      updatedAt = cancelledAt;
    }
    appointments.push({
      id: a.id, patientId: a.patientId, kind: a.kind,
      diagnosticId: a.diagnosticIndex === null ? null : ids.diagnostic + a.diagnosticIndex,
      doctorId: a.doctorId, startsAt: sqlDate(a.startsAt), endsAt: sqlDate(a.endsAt), status: a.status,
      patientNote: a.kind === 'diagnostic' ? dice.pick(REQUEST_NOTES) : null,
      bookedById: dice.chance(0.9) ? dice.pick(operators).id : admin.id, bookedAt: sqlDate(bookedAt),
      ...cancel,
      createdAt: sqlDate(createdAt), updatedAt: sqlDate(updatedAt),
    });
    if (a.status === 'scheduled') {
      const keys = [a.kind === 'diagnostic' ? `diagnostic:${ids.diagnostic + a.diagnosticIndex!}` : `doctor:${a.doctorId}`, `patient:${a.patientId}`];
      for (const resourceKey of keys) {
        for (const cell of cellsOf(a.startsAt, a.endsAt)) slots.push({ resourceKey, cellStart: sqlDate(cell), appointmentId: a.id });
      }
    }
  }

  // Requests waiting for an operator: no date yet.
  const requesters = [patient1, patient2, ...Array.from({ length: 38 }, () => dice.pick(patients))];
  requesters.forEach((p, i) => {
    const createdAt = sqlDate(new Date(now.getTime() - dice.int(10, 14 * 24 * 60) * MIN));
    appointments.push({
      id: nextAppointment++, patientId: p.id, kind: 'diagnostic', diagnosticId: ids.diagnostic + (i === 0 ? 3 : dice.int(0, DEMO_DIAGNOSTICS.length - 1)),
      doctorId: null, startsAt: null, endsAt: null, status: 'requested', patientNote: i === 0 ? 'Pain under the right ribs after meals.' : dice.pick(REQUEST_NOTES),
      bookedById: null, bookedAt: null, cancelledById: null, cancelledAt: null, cancelReason: null, createdAt, updatedAt: createdAt,
    });
  });

  const { journalEntries, prescriptions } = planRecords(dice, now, placed.filter((a) => a.status === 'completed'), ids, {
    doctorFor: (a) => a.doctorId ?? doctorBySpecialty(
      DEMO_DIAGNOSTICS[a.diagnosticIndex!].reader === 'radiology' ? 'Radiology' : DEMO_DIAGNOSTICS[a.diagnosticIndex!].reader === 'cardiology' ? 'Cardiology' : 'General practice',
    ).id,
    adminId: admin.id,
    pharmacistIds: pharmacists.map((p) => p.id),
  });
  return { diagnostics, appointments, slots, journalEntries, prescriptions };
}

function planRecords(
  dice: Dice, now: Date, completed: Placed[], ids: DemoIds,
  staff: { doctorFor: (a: Placed) => number; adminId: number; pharmacistIds: number[] },
): { journalEntries: Row[]; prescriptions: Row[] } {
  const journalEntries: Row[] = [];
  const prescriptions: Row[] = [];
  const clamp = (d: Date) => new Date(Math.min(d.getTime(), now.getTime() - MIN));
  let entryId = ids.journalEntry;
  let prescriptionId = ids.prescription;
  let firstNamedCorrected = false;
  for (const a of completed) {
    if (!a.named && !dice.chance(a.kind === 'visit' ? 0.8 : 0.5)) continue;
    const authorId = staff.doctorFor(a);
    const finding: Finding = a.kind === 'visit'
      ? dice.pick(a.named ? VISIT_FINDINGS.filter((f) => f.prescription) : VISIT_FINDINGS)
      : {
        diagnosis: `${DEMO_DIAGNOSTICS[a.diagnosticIndex!].name}: ${dice.pick(DIAGNOSTIC_FINDINGS)}`,
        description: `${DEMO_DIAGNOSTICS[a.diagnosticIndex!].name} performed as planned. Images and values archived.`,
        plan: dice.chance(0.5) ? 'Results discussed with the patient by phone.' : null,
      };
    const createdAt = clamp(new Date(a.endsAt.getTime() + dice.int(5, 120) * MIN));
    const id = entryId++;
    // Now and then an admin types up a doctor's dictation: both are recorded.
    const recordedById = dice.chance(0.04) ? staff.adminId : authorId;
    journalEntries.push({
      id, patientId: a.patientId, authorId, recordedById, diagnosis: finding.diagnosis, description: finding.description,
      plan: finding.plan, correctsId: null, createdAt: sqlDate(createdAt),
    });
    const correct = (a.named && !firstNamedCorrected) || dice.chance(0.04);
    if (correct) {
      firstNamedCorrected ||= a.named;
      journalEntries.push({
        id: entryId++, patientId: a.patientId, authorId, recordedById: authorId,
        diagnosis: finding.diagnosis, description: `Correction: ${finding.description} Side corrected after re-reading the referral.`,
        plan: finding.plan, correctsId: id, createdAt: sqlDate(clamp(new Date(createdAt.getTime() + dice.int(1, 3) * DAY))),
      });
    }
    if (finding.prescription && (a.named || dice.chance(0.6))) {
      const [medication, dosage, instructions] = finding.prescription;
      const pharmacistId = dice.pick(staff.pharmacistIds);
      prescriptions.push({
        id: prescriptionId++, patientId: a.patientId, authorId: pharmacistId,
        recordedById: dice.chance(0.05) ? staff.adminId : pharmacistId,
        medication, dosage, instructions, journalEntryId: id,
        createdAt: sqlDate(clamp(new Date(createdAt.getTime() + dice.int(1, 36) * HOUR))),
      });
    }
  }
  return { journalEntries, prescriptions };
}
