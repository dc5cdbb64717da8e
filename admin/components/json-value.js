import { formatClinicDateTime } from './clinic-time.js'

/**
 * Stored JSON shown as fields (an audit event's changes, a mail's data):
 * the object's entries, and each value as text with UTC moments in the
 * clinic's zone.
 */
const MOMENT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/

/** The entries of a JSON object stored as text or as an object; none for anything else. */
export function jsonEntries(raw) {
  const value = typeof raw === 'string' ? parseJson(raw) : raw
  return value && typeof value === 'object' && !Array.isArray(value) ? Object.entries(value) : []
}

function parseJson(text) {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}

/** One stored value as text; `empty` is what null stands as. */
export function shownValue(value, timeZone, empty = '') {
  if (value === undefined) return ''
  if (value === null) return empty
  if (typeof value === 'string' && MOMENT.test(value)) return formatClinicDateTime(value, timeZone)
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}
