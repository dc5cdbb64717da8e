/**
 * Every notification of SPEC §5, by kind. Writers (services, in their
 * transaction, via `w.notify`) and the worker's templates agree on these
 * names and data fields. Data never carries medical details: no diagnosis,
 * note, medication or diagnostic result — only names, dates, places, links.
 * Links are paths; the worker prefixes the configured PUBLIC_URL.
 */
export interface NotificationData {
  activation: { firstName: string; link: string }; // link: /activate?token=…
  welcome: { firstName: string };
  password_reset: { firstName: string; link: string }; // /reset-password?token=…
  email_change: { firstName: string; link: string }; // to the NEW address: /verify-email?token=…
  staff_invitation: { firstName: string; role: string; link: string }; // /admin/invitation?token=… (or portal page)
  request_received: { firstName: string; diagnosticName: string; appointmentId: number };
  diagnostic_scheduled: { firstName: string; diagnosticName: string; startsAt: string; where: string; appointmentId: number };
  visit_booked: { firstName: string; doctorName: string; patientName: string; startsAt: string; where: string; appointmentId: number; forRole: 'patient' | 'doctor' };
  appointment_cancelled: { firstName: string; what: string; startsAt: string | null; cancelledBy: string; appointmentId: number; forRole: 'patient' | 'doctor' };
  appointment_reminder: { firstName: string; what: string; startsAt: string; where: string; appointmentId: number };
  account_blocked: { firstName: string };
  account_unblocked: { firstName: string };
  role_changed: { firstName: string; role: string; previousRole: string };
  admin_granted: { firstName: string };
  admin_revoked: { firstName: string; role: string };
  account_deleted: { firstName: string };
  journal_entry_added: { firstName: string };
  prescription_added: { firstName: string };
  doctor_blocked: { firstName: string }; // to the doctor
  doctor_unblocked: { firstName: string };
  visits_to_rebook: { firstName: string; doctorName: string; visits: { appointmentId: number; startsAt: string; patientName: string }[] }; // to each operator
  birthday_greeting: { firstName: string };
  season_greeting: { firstName: string; occasion: 'christmas' | 'new_year' };
}

export type NotificationKind = keyof NotificationData;
export const NOTIFICATION_KINDS = [
  'activation', 'welcome', 'password_reset', 'email_change', 'staff_invitation', 'request_received',
  'diagnostic_scheduled', 'visit_booked', 'appointment_cancelled', 'appointment_reminder', 'account_blocked',
  'account_unblocked', 'role_changed', 'admin_granted', 'admin_revoked', 'account_deleted', 'journal_entry_added',
  'prescription_added', 'doctor_blocked', 'doctor_unblocked', 'visits_to_rebook', 'birthday_greeting', 'season_greeting',
] as const satisfies readonly NotificationKind[];
