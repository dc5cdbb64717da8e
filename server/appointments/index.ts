/** The bookings feature: requests, scheduling, visits, cancellation, free slots, lists and the jobs. */
import { auditsRefusals } from '../shared/refusals.js';
import * as book from './book-visit.js';
import * as cancel from './cancel.js';
import * as request from './request.js';
import * as schedule from './schedule.js';

export * from './schemas.js';
// The changes as the panel and the portal call them: a refused one leaves its row in the audit log.
export const requestDiagnostic = auditsRefusals('appointment', 'appointment.request', request.requestDiagnostic);
export const scheduleRequest = auditsRefusals('appointment', 'appointment.schedule', schedule.scheduleRequest);
export const bookDiagnostic = auditsRefusals('appointment', 'appointment.book', schedule.bookDiagnostic);
export const bookVisit = auditsRefusals('appointment', 'appointment.book', book.bookVisit);
export const cancelAppointment = auditsRefusals('appointment', 'appointment.cancel', cancel.cancelAppointment);
export const withdrawRequest = auditsRefusals('appointment', 'appointment.withdraw', cancel.withdrawRequest);
export { PATIENT_CANCEL_HOURS } from './cancel.js';
export { freeSlots } from './slots.js';
export { listAppointments, getAppointment, visitsToRebook, type AppointmentView, type AppointmentPage, type ListOptions } from './queries.js';
export { completePastAppointments } from './completion.js';
export { queueReminders } from './reminders.js';
export { SLOT_MINUTES, MAX_DAYS_AHEAD, startProblem, candidateStarts } from './rules.js';
