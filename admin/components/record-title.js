import { formatClinicShort } from './clinic-time.js'

/**
 * A detail page's heading in the clinic's words ("Appointment 12 Mar 14:30
 * with Dr Karin Söderström") instead of AdminJS's "Show". Built from what the
 * server sent for this role: a name it may not see is simply left out.
 */
const nameOf = (record, path) => {
  const populated = record.populated && record.populated[path]
  return populated && populated.title ? populated.title : ''
}
const joined = (...parts) => parts.filter(Boolean).join(' ')

const TITLES = {
  Patients: (r) => r.params.name || joined(r.params.firstName, r.params.lastName),
  Staff: (r) => {
    const name = r.params.name || joined(r.params.firstName, r.params.lastName)
    return r.params.role === 'doctor' ? `Dr ${name}` : joined(name, r.params.role ? `(${r.params.role})` : '')
  },
  Diagnostics: (r) => r.params.name,
  Requests: (r) => joined('Request for', nameOf(r, 'diagnosticId') || 'a diagnostic', nameOf(r, 'patientId') ? `from ${nameOf(r, 'patientId')}` : ''),
  Appointments: (r, tz) => {
    const when = formatClinicShort(r.params.startsAt, tz)
    const patient = nameOf(r, 'patientId')
    if (!when) return joined('Request for', nameOf(r, 'diagnosticId') || 'a diagnostic', patient ? `from ${patient}` : '')
    if (r.params.kind === 'visit') {
      const doctor = nameOf(r, 'doctorId')
      return joined('Appointment', when, doctor ? `with Dr ${doctor}` : '', patient ? `· ${patient}` : '')
    }
    return joined(nameOf(r, 'diagnosticId') || 'Diagnostic', when, patient ? `· ${patient}` : '')
  },
  Journal: (r, tz) => joined('Journal entry', formatClinicShort(r.params.createdAt, tz), nameOf(r, 'patientId') ? `· ${nameOf(r, 'patientId')}` : ''),
  Prescriptions: (r) => joined(r.params.medication, r.params.dosage, nameOf(r, 'patientId') ? `for ${nameOf(r, 'patientId')}` : ''),
  AuditLog: (r, tz) => joined(r.params.action, r.params.resource, formatClinicShort(r.params.at, tz) ? `· ${formatClinicShort(r.params.at, tz)}` : ''),
  LoginAttempts: (r, tz) => joined('Sign-in', r.params.success ? 'of' : 'attempt by', r.params.email, `· ${formatClinicShort(r.params.at, tz)}`),
  Mail: (r) => joined(String(r.params.kind || 'Mail').replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase()), r.params.toEmail ? `to ${r.params.toEmail}` : ''),
}

export function recordTitle(resourceId, record, timeZone) {
  if (!record || !record.params) return ''
  const build = TITLES[resourceId]
  const title = build ? build(record, timeZone) : record.title
  return title || record.title || `#${record.id}`
}
