import React from 'react'
import { ValueGroup } from '@adminjs/design-system'
import { useTranslation } from 'adminjs'

/** A code such as "visit_booked" as words: "Visit booked". */
const Words = (props) => {
  const { property, record, where } = props
  const { translateProperty } = useTranslation()
  const value = record && record.params ? record.params[property.path] : ''
  const text = value ? String(value).replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase()) : ''
  if (where !== 'show') return <span>{text}</span>
  return <ValueGroup label={translateProperty(property.label, property.resourceId)}>{text}</ValueGroup>
}

export default Words
