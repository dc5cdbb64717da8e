import React from 'react'
import { Table, TableBody, TableCell, TableHead, TableRow, Text, ValueGroup } from '@adminjs/design-system'
import { useCurrentAdmin, useTranslation } from 'adminjs'
import { clinicZone, formatClinicDateTime } from './clinic-time.js'

/**
 * An audit event's before/after values as a small table, field by field,
 * with moments in the clinic's zone (the log stores them as UTC text).
 */
const MOMENT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/

function shown(value, timeZone) {
  if (value === undefined) return ''
  if (value === null) return '(empty)'
  if (typeof value === 'string' && MOMENT.test(value)) return formatClinicDateTime(value, timeZone)
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

const AuditChanges = (props) => {
  const { property, record } = props
  const [currentAdmin] = useCurrentAdmin()
  const { translateProperty } = useTranslation()
  const raw = record && record.params ? record.params[property.path] : null
  let changes = null
  try {
    changes = typeof raw === 'string' ? JSON.parse(raw) : raw
  } catch (_notJson) {
    changes = null
  }
  const timeZone = clinicZone(currentAdmin)
  const rows = changes && typeof changes === 'object' && !Array.isArray(changes) ? Object.entries(changes) : []
  return (
    <ValueGroup label={translateProperty(property.label, property.resourceId)}>
      {rows.length === 0 ? <Text>{raw ? String(raw) : ''}</Text> : (
        <Table data-testid="audit-changes">
          <TableHead><TableRow><TableCell>Field</TableCell><TableCell>Before</TableCell><TableCell>After</TableCell></TableRow></TableHead>
          <TableBody>
            {rows.map(([field, change]) => {
              const c = change && typeof change === 'object' ? change : { after: change }
              return (
                <TableRow key={field}>
                  <TableCell>{translateProperty(field, 'AuditLog')}</TableCell>
                  <TableCell>{shown(c.before, timeZone)}</TableCell>
                  <TableCell>{shown(c.after, timeZone)}</TableCell>
                </TableRow>
              )
            })}
          </TableBody>
        </Table>
      )}
    </ValueGroup>
  )
}

export default AuditChanges
