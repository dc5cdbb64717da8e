import React from 'react'
import { Badge, ValueGroup } from '@adminjs/design-system'
import { useTranslation } from 'adminjs'

/**
 * A doctor's own fields (specialty, "Taking bookings") shown for doctors
 * only. Other staff have none, and a doctor who became an admin or an
 * operator keeps an old profile that no longer means anything.
 */
const DoctorOnly = (props) => {
  const { record, property, where } = props
  const { translateProperty } = useTranslation()
  const params = (record && record.params) || {}
  const value = params[property.path]
  if (params.role !== 'doctor' || value === null || value === undefined || value === '') return null
  const shown = property.type === 'boolean'
    ? <Badge outline size="sm" data-testid={`doctor-${property.path}`}>{value === true || value === 'true' ? 'Yes' : 'No'}</Badge>
    : <span data-testid={`doctor-${property.path}`}>{String(value)}</span>
  if (where !== 'show') return shown
  return <ValueGroup label={translateProperty(property.label, property.resourceId)}>{shown}</ValueGroup>
}

export default DoctorOnly
