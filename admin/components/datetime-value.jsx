import React from 'react'
import { ValueGroup } from '@adminjs/design-system'
import { useCurrentAdmin, useTranslation } from 'adminjs'
import { clinicZone, formatCalendarDate, formatClinicDateTime, zoneCaption } from './clinic-time.js'

/**
 * Every date and time in lists and on detail pages (replaces AdminJS's, which
 * used the browser's zone): moments in the clinic's zone with its short
 * name ("Fri 12 Feb 2027, 10:30 CET"), calendar dates (birth dates) as they are.
 */
const DatetimeValue = (props) => {
  const { property, record, where } = props
  const [currentAdmin] = useCurrentAdmin()
  const { translateProperty } = useTranslation()
  const value = record && record.params ? record.params[property.path] : undefined
  const timeZone = clinicZone(currentAdmin)
  const isMoment = property.type !== 'date'
  const text = isMoment ? formatClinicDateTime(value, timeZone) : formatCalendarDate(value)
  const shown = text
    ? <time dateTime={String(value)} title={isMoment ? `Clinic time (${timeZone})` : undefined} data-testid="clinic-time">{text}</time>
    : null
  if (where !== 'show') return shown
  return <ValueGroup label={translateProperty(property.label, property.resourceId)}>{shown}</ValueGroup>
}

export default DatetimeValue
