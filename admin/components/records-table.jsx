import React from 'react'

/**
 * A list shows only the columns this role is sent: the server leaves out
 * the fields a role may not see (SPEC §4), and a pharmacist's patient list
 * had empty Email, Phone and Created columns, an operator's requests an
 * empty "Patient's note". A field that is merely empty (null) stays.
 */
const RecordsTable = (props) => {
  const { OriginalComponent, resource, records } = props
  if (!records || !records.length) return <OriginalComponent {...props} />
  const sent = (property) => records.some((r) => r.params && Object.prototype.hasOwnProperty.call(r.params, property.propertyPath))
  return <OriginalComponent {...props} resource={{ ...resource, listProperties: resource.listProperties.filter(sent) }} />
}

export default RecordsTable
