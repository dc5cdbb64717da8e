import React from 'react'
import { Link } from 'react-router-dom'
import { Text } from '@adminjs/design-system'
import { useCurrentAdmin, ViewHelpers } from 'adminjs'

/**
 * A reference to another record (a patient, a doctor, who booked or
 * cancelled): the record's name when the server sent it, which it does only
 * when this role may see that record (SPEC §4). Otherwise something neutral,
 * never the raw id, which meant nothing to staff.
 */
const HIDDEN = { Staff: 'Clinic staff', Patients: 'A patient' }

const ReferenceValue = (props) => {
  const { property, record } = props
  const [currentAdmin] = useCurrentAdmin()
  const refId = record && record.params ? record.params[property.path] : undefined
  if (refId === undefined || refId === null || refId === '') return null
  const populated = record.populated && record.populated[property.path]
  if (populated && populated.title) {
    const canOpen = (populated.recordActions || []).some((a) => a.name === 'show')
    if (!canOpen) return <span>{populated.title}</span>
    const href = new ViewHelpers().recordActionUrl({ resourceId: property.reference, recordId: refId, actionName: 'show' })
    return <Link to={href} className="qh-link" data-testid={`reference-${property.path}`}>{populated.title}</Link>
  }
  // Staff who may not list their colleagues (operators) still know themselves.
  if (property.reference === 'Staff' && currentAdmin && String(currentAdmin.id) === String(refId)) return <span>You</span>
  return (
    <Text as="span" color="grey60" title="Not shown to your role" data-testid={`reference-${property.path}`}>
      {HIDDEN[property.reference] || 'Not shown'}
    </Text>
  )
}

export default ReferenceValue
