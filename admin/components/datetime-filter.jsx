import React from 'react'
import { FormGroup, Input, Label, Text } from '@adminjs/design-system'
import { useCurrentAdmin, useTranslation } from 'adminjs'
import { clinicDateOf, clinicDayStart, clinicZone, zoneCaption } from './clinic-time.js'

/**
 * A date-range filter read in the clinic's days: "from 1 Dec to 3 Dec" means
 * from 00:00 on the 1st to the end of the 3rd in the clinic's zone, sent as
 * exact moments, whatever zone this computer is in. (AdminJS's picker used
 * the browser's midnight, so a list could gain or lose hours at each end.)
 */
const SEPARATOR = '~~'

const DatetimeFilter = (props) => {
  const { property, filter = {}, onChange } = props
  const [currentAdmin] = useCurrentAdmin()
  const { translateProperty } = useTranslation()
  const timeZone = clinicZone(currentAdmin)
  const fromKey = `${property.path}${SEPARATOR}from`
  const toKey = `${property.path}${SEPARATOR}to`
  const isMoment = property.type !== 'date'
  const shown = (value) => (!value ? '' : isMoment ? clinicDateOf(value, timeZone) : String(value).slice(0, 10))
  const set = (key, date, end) => {
    if (!date) return onChange(key, undefined)
    if (!isMoment) return onChange(key, date)
    const moment = end ? new Date(clinicDayStart(date, timeZone, 1).getTime() - 1) : clinicDayStart(date, timeZone)
    return onChange(key, moment ? moment.toISOString() : undefined)
  }
  const label = translateProperty(property.label, property.resourceId)
  return (
    <FormGroup variant="filter">
      <Label>{label}</Label>
      <Label htmlFor={`filter-${property.path}-from`} mt="sm">From (day)</Label>
      <Input id={`filter-${property.path}-from`} type="date" value={shown(filter[fromKey])} onChange={(e) => set(fromKey, e.target.value, false)} />
      <Label htmlFor={`filter-${property.path}-to`} mt="default">To (day, inclusive)</Label>
      <Input id={`filter-${property.path}-to`} type="date" value={shown(filter[toKey])} onChange={(e) => set(toKey, e.target.value, true)} />
      {isMoment && <Text fontSize="sm" color="grey40" mt="sm">Days in {zoneCaption(timeZone)} ({timeZone}).</Text>}
    </FormGroup>
  )
}

export default DatetimeFilter
