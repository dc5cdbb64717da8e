import React from 'react'
import { Link } from 'react-router-dom'
import { Text, ValueGroup } from '@adminjs/design-system'
import { useTranslation } from 'adminjs'

/**
 * Who did it, in the audit log: the person's name (the server adds it only
 * when this role may see that person), else their role, else the clinic's
 * scheduled jobs. Never a bare number.
 */
const describe = (params) => {
  if (params.actorName) return null
  if (!params.actorId) return 'System (scheduled job)'
  return params.actorRole ? `A ${params.actorRole} (account not shown)` : 'Account not shown'
}

const PersonValue = (props) => {
  const { record, property, where } = props
  const { translateProperty } = useTranslation()
  const params = (record && record.params) || {}
  const href = params.actorHref || null
  const value = params.actorName
    ? (href ? <Link to={href} className="qh-link" data-testid="actor-name">{params.actorName}</Link> : <span data-testid="actor-name">{params.actorName}</span>)
    : <Text as="span" color="grey60" data-testid="actor-name">{describe(params)}</Text>
  if (where !== 'show') return value
  return <ValueGroup label={translateProperty(property.label, property.resourceId)}>{value}</ValueGroup>
}

export default PersonValue
