import React from 'react'
import { Box, Button, Text } from '@adminjs/design-system'

/** Downloads the list as CSV with the filters currently applied to it. */
const ExportCsv = (props) => {
  const { resource } = props
  const root = (window.REDUX_STATE && window.REDUX_STATE.paths.rootPath) || '/admin'
  const href = `${root}/api/export/${resource.id}${window.location.search}`
  return (
    <Box variant="container">
      <Text mb="lg">The export holds every row matching the list's current filters (up to 100,000 rows).</Text>
      <Button as="a" href={href} variant="contained" data-testid="export-link">Download CSV</Button>
    </Box>
  )
}

export default ExportCsv
