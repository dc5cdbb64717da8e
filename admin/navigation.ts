/**
 * Navigation in the clinic's words: one flat list (no collapsed groups), each
 * entry with its icon. Leaf module: imports nothing.
 */
const top = (icon: string) => ({ name: null, icon });
export const NAV = {
  Patients: top('User'),
  Staff: top('Users'),
  Diagnostics: top('Activity'),
  Requests: top('Inbox'),
  Appointments: top('Calendar'),
  Journal: top('BookOpen'),
  Prescriptions: top('Clipboard'),
  AuditLog: top('Shield'),
  LoginAttempts: top('LogIn'),
  Mail: top('Mail'),
};

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
