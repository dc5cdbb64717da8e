import { Appointment } from './appointment.js';
import { AppointmentSlot } from './appointment-slot.js';
import { AuditEvent } from './audit-event.js';
import { Diagnostic } from './diagnostic.js';
import { DoctorProfile } from './doctor-profile.js';
import { JournalEntry } from './journal-entry.js';
import { LoginAttempt } from './login-attempt.js';
import { Notification } from './notification.js';
import { OneTimeToken } from './one-time-token.js';
import { Prescription } from './prescription.js';
import { Session } from './session.js';
import { User } from './user.js';

export {
  Appointment, AppointmentSlot, AuditEvent, Diagnostic, DoctorProfile, JournalEntry,
  LoginAttempt, Notification, OneTimeToken, Prescription, Session, User,
};

export const ENTITIES = [
  User, DoctorProfile, Diagnostic, Appointment, AppointmentSlot, JournalEntry,
  Prescription, AuditEvent, LoginAttempt, OneTimeToken, Notification, Session,
];
