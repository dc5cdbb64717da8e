/**
 * Times in the panel are the clinic's, whatever zone the computer showing
 * them is set to (SPEC §2: stored in UTC, shown in the clinic's zone). The
 * zone comes with the signed-in staff member (current-admin.ts); Intl does
 * the conversions, as on the server (server/shared/clinic-time.ts).
 */
const FALLBACK_ZONE = 'Europe/Stockholm'

const formatters = new Map()
function formatter(timeZone, options) {
  const key = `${timeZone}|${JSON.stringify(options)}`
  let f = formatters.get(key)
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, ...options })
    formatters.set(key, f)
  }
  return f
}

/** The clinic's zone, from the current admin that the server sends with every page. */
export function clinicZone(currentAdmin) {
  return (currentAdmin && currentAdmin.timeZone) || FALLBACK_ZONE
}

/** "Stockholm time": how the zone is named next to times and date pickers. */
export function zoneCaption(timeZone) {
  if (!timeZone || timeZone === 'UTC' || timeZone === 'Etc/UTC') return 'UTC'
  return `${timeZone.split('/').pop().replace(/_/g, ' ')} time`
}

function toDate(value) {
  if (value === null || value === undefined || value === '') return null
  const d = value instanceof Date ? value : new Date(value)
  return Number.isNaN(d.getTime()) ? null : d
}

/** "Fri 12 Feb 2027, 10:30 CET": a moment in the clinic's zone, with the zone's short name. */
export function formatClinicDateTime(value, timeZone) {
  const d = toDate(value)
  if (!d) return ''
  const parts = formatter(timeZone, {
    weekday: 'short', day: 'numeric', month: 'short', year: 'numeric',
    hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short',
  }).formatToParts(d)
  const p = Object.fromEntries(parts.map((x) => [x.type, x.value]))
  return `${p.weekday} ${p.day} ${p.month} ${p.year}, ${p.hour}:${p.minute} ${p.timeZoneName}`
}

/** "12 Feb 10:30": short form for headings, in the clinic's zone. */
export function formatClinicShort(value, timeZone) {
  const d = toDate(value)
  if (!d) return ''
  const p = Object.fromEntries(formatter(timeZone, {
    day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(d).map((x) => [x.type, x.value]))
  return `${p.day} ${p.month} ${p.hour}:${p.minute}`
}

/** "12 Mar 1985": a calendar date (birth dates) has no zone and is never shifted. */
export function formatCalendarDate(value) {
  if (!value) return ''
  const iso = typeof value === 'string' ? value.slice(0, 10) : toDate(value)?.toISOString().slice(0, 10)
  if (!iso || !/^\d{4}-\d{2}-\d{2}$/.test(iso)) return String(value)
  return formatter('UTC', { day: 'numeric', month: 'short', year: 'numeric' }).format(new Date(`${iso}T12:00:00Z`))
}

/** The clinic's calendar date (YYYY-MM-DD) of a moment. */
export function clinicDateOf(value, timeZone) {
  const d = toDate(value)
  if (!d) return ''
  const p = Object.fromEntries(formatter(timeZone, { year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(d).map((x) => [x.type, x.value]))
  return `${p.year}-${p.month}-${p.day}`
}

function offsetMinutes(at, timeZone) {
  const p = Object.fromEntries(formatter(timeZone, {
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  }).formatToParts(at).map((x) => [x.type, x.value]))
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second))
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60000)
}

/** The moment a clinic day (YYYY-MM-DD) starts, as a Date; the next day's start with `plusDays` 1. */
export function clinicDayStart(date, timeZone, plusDays = 0) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date || '')) return null
  const [y, m, d] = date.split('-').map(Number)
  const guess = Date.UTC(y, m - 1, d + plusDays)
  // Two passes settle the offset across a daylight-saving change.
  let utc = guess - offsetMinutes(new Date(guess), timeZone) * 60000
  utc = guess - offsetMinutes(new Date(utc), timeZone) * 60000
  return new Date(utc)
}
