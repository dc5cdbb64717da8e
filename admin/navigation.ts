/** Navigation groups and labels in the clinic's words. Leaf module: imports nothing. */
export const NAV = {
  people: { name: 'People', icon: 'Users' },
  bookings: { name: 'Bookings', icon: 'Calendar' },
  records: { name: 'Medical records', icon: 'FileText' },
  oversight: { name: 'Oversight', icon: 'Shield' },
} as const;

/** Resource ids (URLs) → the names staff read. */
export const RESOURCE_LABELS: Record<string, string> = {
  Patients: 'Patients',
  Staff: 'Staff',
  Diagnostics: 'Diagnostics',
  Requests: 'Requests',
  Appointments: 'Appointments',
  Journal: 'Journal',
  Prescriptions: 'Prescriptions',
  AuditLog: 'Audit log',
  LoginAttempts: 'Login attempts',
  Mail: 'Mail',
};

/** Each role's navigation, in order: what the browser test expects to see. */
export const NAVIGATION_BY_ROLE: Record<'superuser' | 'admin' | 'doctor' | 'operator' | 'pharmacist', string[]> = {
  superuser: ['Patients', 'Staff', 'Diagnostics', 'Requests', 'Appointments', 'Journal', 'Prescriptions', 'Audit log', 'Login attempts', 'Mail'],
  admin: ['Patients', 'Staff', 'Diagnostics', 'Requests', 'Appointments', 'Journal', 'Prescriptions', 'Audit log', 'Login attempts', 'Mail'],
  doctor: ['Patients', 'Staff', 'Diagnostics', 'Requests', 'Appointments', 'Journal', 'Prescriptions'],
  operator: ['Patients', 'Staff', 'Diagnostics', 'Requests', 'Appointments'],
  pharmacist: ['Patients', 'Staff', 'Diagnostics', 'Journal', 'Prescriptions'],
};
