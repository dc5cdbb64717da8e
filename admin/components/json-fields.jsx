import React from 'react'
import { Table, TableBody, TableCell, TableRow, Text, ValueGroup } from '@adminjs/design-system'
import { useCurrentAdmin, useTranslation } from 'adminjs'
import { clinicZone } from './clinic-time.js'
import { jsonEntries, shownValue } from './json-value.js'

/**
 * A stored JSON object (a mail's data) as a small table of its fields, with
 * moments in the clinic's zone rather than as UTC text.
 */
const words = (key) => key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase())

const JsonFields = (props) => {
  const { property, record } = props
  const [currentAdmin] = useCurrentAdmin()
  const { translateProperty } = useTranslation()
  const raw = record && record.params ? record.params[property.path] : null
  const timeZone = clinicZone(currentAdmin)
  const rows = jsonEntries(raw)
  return (
    <ValueGroup label={translateProperty(property.label, property.resourceId)}>
      {rows.length === 0 ? <Text>{raw ? String(raw) : ''}</Text> : (
        <Table data-testid={`json-${property.path}`}>
          <TableBody>
            {rows.map(([key, value]) => (
              <TableRow key={key}>
                <TableCell style={{ width: '12rem', color: '#6b7280' }}>{words(key)}</TableCell>
                <TableCell style={{ whiteSpace: 'pre-wrap' }}>{shownValue(value, timeZone)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </ValueGroup>
  )
}

export default JsonFields
