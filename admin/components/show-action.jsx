import React from 'react'
import { Link } from 'react-router-dom'
import { Box, Text } from '@adminjs/design-system'
import { useSelector } from 'react-redux'

/**
 * A record's detail page without its empty fields: a visit has no
 * diagnostic, a booking that stands has no "cancelled by", and fields this
 * role may not see are not sent at all. AdminJS showed each as a bare label.
 * A patient's page also links to their appointments and records, as far as
 * this role may list them.
 */
const hasValue = (record, property) => {
  const params = (record && record.params) || {}
  if (property.type === 'mixed' || property.isArray) return true
  const value = params[property.propertyPath]
  return value !== undefined && value !== null && value !== ''
}

const PATIENT_LISTS = [
  ['Appointments', 'Appointments'],
  ['Requests', 'Waiting requests'],
  ['Journal', 'Journal'],
  ['Prescriptions', 'Prescriptions'],
]

const PatientLinks = ({ record }) => {
  const resources = useSelector((state) => state.resources)
  const listable = PATIENT_LISTS.filter(([id]) => {
    const resource = resources.find((r) => r.id === id)
    return resource && resource.resourceActions.some((a) => a.name === 'list')
  })
  if (!listable.length) return null
  return (
    <Box mb="lg" data-testid="patient-links">
      <Text as="span" color="grey60" mr="default">This patient&apos;s:</Text>
      {listable.map(([id, label], i) => (
        <React.Fragment key={id}>
          {i > 0 && <Text as="span" color="grey40"> · </Text>}
          <Link className="qh-link" to={`${resources.find((r) => r.id === id).href}?filters.patientId=${encodeURIComponent(record.id)}`}>{label}</Link>
        </React.Fragment>
      ))}
    </Box>
  )
}

const ClinicShow = (props) => {
  const { OriginalComponent, resource, record } = props
  const shown = { ...resource, showProperties: resource.showProperties.filter((p) => hasValue(record, p)) }
  return (
    <>
      {resource.id === 'Patients' && record && <PatientLinks record={record} />}
      <OriginalComponent {...props} resource={shown} />
    </>
  )
}

export default ClinicShow
