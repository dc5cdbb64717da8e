/** People and accounts: the services the portal's routes and the panel's actions call. */
export { registerPatient, activateAccount, resendActivation } from './registration.js';
export { inviteStaff, acceptInvitation } from './invitations.js';
export { requestPasswordReset, confirmPasswordReset, changePassword } from './passwords.js';
export { getProfile, updateProfile, requestEmailChange, verifyEmailChange, type ProfileUpdate } from './profile.js';
export { blockUser, unblockUser } from './blocking.js';
export { grantAdmin, revokeAdmin, changeRole, type ManagedStaffRole } from './roles.js';
export { setDoctorAccepting } from './doctors.js';
export { deleteUser } from './deletion.js';
export { getUser, listUsers, listableRoles, shapeUser, viewLevel, type UserView, type ViewLevel } from './queries.js';
export { requireManage, type ClientMeta } from './common.js';
export * from './schemas.js';
