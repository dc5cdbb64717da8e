import React from 'react'
import { Table, TableBody, TableCell, TableRow, Text, ValueGroup } from '@adminjs/design-system'
import { useCurrentAdmin, useTranslation } from 'adminjs'
import { clinicZone, formatClinicDateTime } from './clinic-time.js'

/**
 * A stored JSON object (a mail's data) as a small table of its fields, with
 * moments in the clinic's zone rather than as UTC text.
 */
const MOMENT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/
const words = (key) => key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase())

function shown(value, timeZone) {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string' && MOMENT.test(value)) return formatClinicDateTime(value, timeZone)
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

const JsonFields = (props) => {
  const { property, record } = props
  const [currentAdmin] = useCurrentAdmin()
  const { translateProperty } = useTranslation()
  const raw = record && record.params ? record.params[property.path] : null
  let data = null
  try {
    data = typeof raw === 'string' ? JSON.parse(raw) : raw
  } catch (_notJson) {
    data = null
  }
  const timeZone = clinicZone(currentAdmin)
  const rows = data && typeof data === 'object' && !Array.isArray(data) ? Object.entries(data) : []
  return (
    <ValueGroup label={translateProperty(property.label, property.resourceId)}>
      {rows.length === 0 ? <Text>{raw ? String(raw) : ''}</Text> : (
        <Table data-testid={`json-${property.path}`}>
          <TableBody>
            {rows.map(([key, value]) => (
              <TableRow key={key}>
                <TableCell style={{ width: '12rem', color: '#6b7280' }}>{words(key)}</TableCell>
                <TableCell style={{ whiteSpace: 'pre-wrap' }}>{shown(value, timeZone)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </ValueGroup>
  )
}

export default JsonFields
