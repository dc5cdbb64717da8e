import React from 'react'

/**
 * A yes/no value; an empty one (null) means "does not apply" and shows
 * nothing. AdminJS showed "No": a pharmacist was "not taking bookings".
 */
const BooleanValue = (props) => {
  const { OriginalComponent, record, property } = props
  const value = record && record.params ? record.params[property.path] : undefined
  if (value === null || value === undefined || value === '') return null
  return <OriginalComponent {...props} />
}

export default BooleanValue
