import React from 'react'

/**
 * A record's detail page without its empty fields: a visit has no
 * diagnostic, a booking that stands has no "cancelled by", and fields this
 * role may not see are not sent at all. AdminJS showed each as a bare label.
 */
const hasValue = (record, property) => {
  const params = (record && record.params) || {}
  if (property.type === 'mixed' || property.isArray) return true
  const value = params[property.propertyPath]
  return value !== undefined && value !== null && value !== ''
}

const ClinicShow = (props) => {
  const { OriginalComponent, resource, record } = props
  const shown = { ...resource, showProperties: resource.showProperties.filter((p) => hasValue(record, p)) }
  return <OriginalComponent {...props} resource={shown} />
}

export default ClinicShow
