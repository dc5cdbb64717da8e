import React from 'react'
import { Box, Button, Text } from '@adminjs/design-system'
import { useLocation } from 'react-router'

/**
 * Downloads the list as CSV with the filters currently applied to it (the
 * action opens in a drawer over the list, so the list's query is still in
 * the address).
 */
const ExportCsv = (props) => {
  const { resource } = props
  const location = useLocation()
  const root = (window.REDUX_STATE && window.REDUX_STATE.paths.rootPath) || '/admin'
  const query = new URLSearchParams(location.search)
  const filters = new URLSearchParams()
  for (const [key, value] of query.entries()) if (key.startsWith('filters.')) filters.set(key, value)
  const href = `${root}/api/export/${resource.id}${filters.toString() ? `?${filters}` : ''}`
  const count = [...filters.keys()].length
  return (
    <Box variant="container">
      <Text mb="lg">
        {count
          ? `The export holds every row matching the list's ${count === 1 ? 'filter' : `${count} filters`} (up to 100,000 rows).`
          : 'No filter is applied: the export holds every row (up to 100,000). Close this and filter the list first to narrow it.'}
      </Text>
      <Button as="a" href={href} variant="contained" data-testid="export-link">Download CSV</Button>
    </Box>
  )
}

export default ExportCsv
