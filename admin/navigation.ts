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

/** Column and field names as staff say them. */
export const PROPERTY_LABELS: Record<string, string> = {
  id: '#', name: 'Name', firstName: 'First name', lastName: 'Last name', email: 'Email', phone: 'Phone',
  dateOfBirth: 'Date of birth', gender: 'Gender', heightCm: 'Height (cm)', weightKg: 'Weight (kg)',
  addressStreet: 'Street', addressHouse: 'House', addressCity: 'City', addressRegion: 'Region', addressCountry: 'Country',
  isActive: 'Active', isBlocked: 'Blocked', blockedAt: 'Blocked at', blockedById: 'Blocked by', blockedReason: 'Reason for block',
  lastLoginAt: 'Last login', createdAt: 'Created', updatedAt: 'Updated', role: 'Role', specialty: 'Specialty',
  acceptingBookings: 'Taking bookings', patientId: 'Patient', doctorId: 'Doctor', diagnosticId: 'Diagnostic',
  startsAt: 'Starts', endsAt: 'Ends', kind: 'Kind', status: 'Status', patientNote: "Patient's note",
  bookedById: 'Booked by', bookedAt: 'Booked at', cancelledById: 'Cancelled by', cancelledAt: 'Cancelled at', cancelReason: 'Reason for cancelling',
  authorId: 'Author', recordedById: 'Recorded by', correctsId: 'Corrects entry', journalEntryId: 'Journal entry',
  durationMinutes: 'Minutes', at: 'When', actorId: 'Who', actorRole: 'Their role', recordId: 'Record #',
  toEmail: 'To', sentAt: 'Sent', queuedAt: 'Queued', lastError: 'Last error', attempts: 'Attempts', userAgent: 'Browser', ip: 'IP',
};
