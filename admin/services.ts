/**
 * Every service the panel calls, in one place: the panel is an adapter and
 * never writes to a table itself.
 */
import { addJournalEntry, addPrescription, listJournal } from '../server/records/index.js';
import { createDiagnostic, removeDiagnostic, setDiagnosticActive, updateDiagnostic } from '../server/catalogue/index.js';
import {
  bookVisit, cancelAppointment, freeSlots, listAppointments, scheduleRequest, visitsToRebook, withdrawRequest,
} from '../server/appointments/index.js';
import { retryDelivery } from '../server/notifications/admin-api.js';
import {
  acceptInvitation, blockUser, changeRole, deleteUser, grantAdmin, inviteStaff, resendActivation, revokeAdmin,
  setDoctorAccepting, unblockUser, updateProfile,
} from '../server/users/index.js';

export const services = {
  addJournalEntry, addPrescription, listJournal,
  createDiagnostic, updateDiagnostic, removeDiagnostic, setDiagnosticActive,
  bookVisit, cancelAppointment, withdrawRequest, freeSlots, scheduleRequest, listAppointments, visitsToRebook,
  retryDelivery,
  acceptInvitation, blockUser, unblockUser, changeRole, deleteUser, grantAdmin, revokeAdmin, inviteStaff,
  resendActivation, setDoctorAccepting, updateProfile,
};
