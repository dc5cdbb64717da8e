import React from 'react'
import { Table, TableBody, TableCell, TableHead, TableRow, Text, ValueGroup } from '@adminjs/design-system'
import { useCurrentAdmin, useTranslation } from 'adminjs'
import { clinicZone } from './clinic-time.js'
import { jsonEntries, shownValue } from './json-value.js'

/**
 * An audit event's before/after values as a small table, field by field,
 * with moments in the clinic's zone (the log stores them as UTC text).
 */
const AuditChanges = (props) => {
  const { property, record } = props
  const [currentAdmin] = useCurrentAdmin()
  const { translateProperty } = useTranslation()
  const raw = record && record.params ? record.params[property.path] : null
  const timeZone = clinicZone(currentAdmin)
  const rows = jsonEntries(raw)
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
                  <TableCell>{shownValue(c.before, timeZone, '(empty)')}</TableCell>
                  <TableCell>{shownValue(c.after, timeZone, '(empty)')}</TableCell>
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
