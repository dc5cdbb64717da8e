import type { Role } from '../access/roles.js';
import type { Appointment } from '../db/entities/appointment.js';
import type { Diagnostic } from '../db/entities/diagnostic.js';
import { User } from '../db/entities/user.js';
import type { NotificationData } from '../notifications/kinds.js';
import type { Work } from '../shared/unit-of-work.js';
import { clinicPlace, doctorName, personName } from './participants.js';

/**
 * The mails bookings cause (SPEC §5), written to the outbox in the booking's
 * transaction. Data carries names, times (ISO, UTC; the template shows clinic
 * time) and the place, never the patient's note. Dedupe keys make a repeated
 * call write nothing new.
 */
export function appointmentWhat(a: Pick<Appointment, 'kind'>, diagnostic: Pick<Diagnostic, 'name'> | null, doctor: Pick<User, 'lastName'> | null): string {
  if (a.kind === 'visit' && doctor) return `a visit with ${doctorName(doctor)}`;
  return diagnostic?.name ?? 'an appointment';
}

export async function notifyRequestReceived(w: Work, a: Appointment, patient: User, diagnostic: Diagnostic): Promise<void> {
  const data: NotificationData['request_received'] = { firstName: patient.firstName, diagnosticName: diagnostic.name, appointmentId: a.id };
  await w.notify({ kind: 'request_received', toEmail: patient.email, recipientUserId: patient.id, data: { ...data }, dedupeKey: `request:appointment:${a.id}` });
}

export async function notifyDiagnosticScheduled(w: Work, a: Appointment, patient: User, diagnostic: Diagnostic): Promise<void> {
  const data: NotificationData['diagnostic_scheduled'] = {
    firstName: patient.firstName, diagnosticName: diagnostic.name, startsAt: a.startsAt!.toISOString(), where: clinicPlace(), appointmentId: a.id,
  };
  await w.notify({ kind: 'diagnostic_scheduled', toEmail: patient.email, recipientUserId: patient.id, data: { ...data }, dedupeKey: `scheduled:appointment:${a.id}` });
}

export async function notifyVisitBooked(w: Work, a: Appointment, patient: User, doctor: User): Promise<void> {
  for (const [recipient, forRole] of [[patient, 'patient'], [doctor, 'doctor']] as const) {
    const data: NotificationData['visit_booked'] = {
      firstName: recipient.firstName, doctorName: doctorName(doctor), patientName: personName(patient),
      startsAt: a.startsAt!.toISOString(), where: clinicPlace(), appointmentId: a.id, forRole,
    };
    await w.notify({ kind: 'visit_booked', toEmail: recipient.email, recipientUserId: recipient.id, data: { ...data }, dedupeKey: `booked:appointment:${a.id}:${forRole}` });
  }
}

/** How a staff member who cancels is named to the patient and the doctor. */
const CANCELLER_TITLES: Partial<Record<Role, string>> = { operator: 'operator', admin: 'administrator', superuser: 'administrator' };

type CancelledByWords = (forRole: 'patient' | 'doctor') => string;

/**
 * Who cancelled, in the words each recipient reads (SPEC §5: "saying by
 * whom"): "you" or "the patient"; for staff, the patient reads "the clinic
 * (Anna Berg, operator)" and the doctor, a colleague, "Anna Berg (operator)".
 * Never the reason: staff type it freely, and it may be medical.
 */
async function cancelledByWords(w: Work, byPatient: boolean): Promise<CancelledByWords> {
  if (byPatient) return (forRole) => (forRole === 'patient' ? 'you' : 'the patient');
  const staff = w.actor.id === null ? null : await w.manager.getRepository(User).findOneBy({ id: w.actor.id });
  if (!staff) return () => 'the clinic';
  const name = personName(staff);
  const title = CANCELLER_TITLES[staff.role] ?? staff.role;
  return (forRole) => (forRole === 'patient' ? `the clinic (${name}, ${title})` : `${name} (${title})`);
}

export async function notifyCancelled(
  w: Work, a: Appointment, who: { patient: User; doctor: User | null; diagnostic: Diagnostic | null; byPatient: boolean },
): Promise<void> {
  const what = appointmentWhat(a, who.diagnostic, who.doctor);
  const cancelledBy = await cancelledByWords(w, who.byPatient);
  const recipients: [User, 'patient' | 'doctor'][] = [[who.patient, 'patient']];
  if (a.kind === 'visit' && who.doctor) recipients.push([who.doctor, 'doctor']);
  for (const [recipient, forRole] of recipients) {
    const data: NotificationData['appointment_cancelled'] = {
      firstName: recipient.firstName,
      what: forRole === 'doctor' ? `a visit with ${personName(who.patient)}` : what,
      startsAt: a.startsAt ? a.startsAt.toISOString() : null,
      cancelledBy: cancelledBy(forRole), appointmentId: a.id, forRole,
    };
    await w.notify({ kind: 'appointment_cancelled', toEmail: recipient.email, recipientUserId: recipient.id, data: { ...data }, dedupeKey: `cancelled:appointment:${a.id}:${forRole}` });
  }
}
