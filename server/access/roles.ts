/** The six roles of SPEC §1. A user has exactly one. Leaf module: imports nothing. */
export const ROLES = ['superuser', 'admin', 'doctor', 'operator', 'pharmacist', 'patient'] as const;
export type Role = (typeof ROLES)[number];

export const STAFF_ROLES = ['superuser', 'admin', 'doctor', 'operator', 'pharmacist'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Roles an admin may create and manage; admin itself only the superuser grants. */
export const ADMIN_MANAGED_STAFF = ['doctor', 'operator', 'pharmacist'] as const;

export function isStaff(role: Role): role is StaffRole {
  return role !== 'patient';
}

export const GENDERS = ['female', 'male', 'other', 'unspecified'] as const;
export type Gender = (typeof GENDERS)[number];
