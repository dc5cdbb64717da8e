/** The bookings feature: requests, scheduling, visits, cancellation, free slots, lists and the jobs. */
export * from './schemas.js';
export { requestDiagnostic } from './request.js';
export { scheduleRequest, bookDiagnostic } from './schedule.js';
export { bookVisit } from './book-visit.js';
export { cancelAppointment, withdrawRequest, PATIENT_CANCEL_HOURS } from './cancel.js';
export { freeSlots } from './slots.js';
export { listAppointments, getAppointment, visitsToRebook, type AppointmentView, type AppointmentPage, type ListOptions } from './queries.js';
export { completePastAppointments } from './completion.js';
export { queueReminders } from './reminders.js';
export { SLOT_MINUTES, MAX_DAYS_AHEAD, startProblem, candidateStarts } from './rules.js';
