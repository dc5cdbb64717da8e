/** People and accounts: the services the portal's routes and the panel's actions call. */
import { auditsRefusals } from '../shared/refusals.js';
import * as blocking from './blocking.js';
import * as deletion from './deletion.js';
import * as doctors from './doctors.js';
import * as invitations from './invitations.js';
import * as profile from './profile.js';
import * as registration from './registration.js';
import * as roles from './roles.js';

export { registerPatient, activateAccount } from './registration.js';
export { acceptInvitation } from './invitations.js';
export { requestPasswordReset, confirmPasswordReset, changePassword } from './passwords.js';
export { getProfile, verifyEmailChange, type ProfileUpdate } from './profile.js';
export { type ManagedStaffRole } from './roles.js';
// The changes a logged-in person asks for, as the panel and the portal call them: a refused one leaves its row in the audit log.
export const resendActivation = auditsRefusals('user', 'user.resendActivation', registration.resendActivation);
export const inviteStaff = auditsRefusals('user', 'user.invite', invitations.inviteStaff);
export const updateProfile = auditsRefusals('user', 'user.update', profile.updateProfile);
export const requestEmailChange = auditsRefusals('user', 'user.emailChangeRequest', profile.requestEmailChange);
export const blockUser = auditsRefusals('user', 'user.block', blocking.blockUser);
export const unblockUser = auditsRefusals('user', 'user.unblock', blocking.unblockUser);
export const grantAdmin = auditsRefusals('user', 'user.grantAdmin', roles.grantAdmin);
export const revokeAdmin = auditsRefusals('user', 'user.revokeAdmin', roles.revokeAdmin);
export const changeRole = auditsRefusals('user', 'user.changeRole', roles.changeRole);
export const setDoctorAccepting = auditsRefusals('doctorProfile', 'doctor.setAccepting', doctors.setDoctorAccepting);
export const deleteUser = auditsRefusals('user', 'user.delete', deletion.deleteUser);
export { getUser, listUsers, listableRoles, shapeUser, viewLevel, type UserView, type ViewLevel } from './queries.js';
export { requireManage, type ClientMeta } from './common.js';
export * from './schemas.js';
