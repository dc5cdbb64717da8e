import React, { useEffect, useState } from 'react'
import { ApiClient } from 'adminjs'
import { Box, H2, H5, Text, Table, TableHead, TableBody, TableRow, TableCell, Link } from '@adminjs/design-system'

const api = new ApiClient()

/** Each role's dashboard: the server decides what it holds (counts and tables). */
const Dashboard = () => {
  const [data, setData] = useState(null)
  const load = () => api.getDashboard().then((res) => setData(res.data)).catch(() => undefined)
  useEffect(() => {
    load()
    // Open dashboards refresh by themselves.
    const timer = setInterval(load, 15000)
    return () => clearInterval(timer)
  }, [])
  if (!data) return <Box variant="grey"><Text>Loading…</Text></Box>
  return (
    <Box variant="grey" data-testid={`dashboard-${data.role}`}>
      <H2 mb={data.zoneNote ? 'sm' : 'lg'}>{data.heading}</H2>
      {data.zoneNote && <Text mb="lg" color="grey60" data-testid="zone-note">{data.zoneNote}</Text>}
      {data.cards && data.cards.length > 0 && (
        <Box flex flexDirection="row" mb="xl" style={{ gap: 16, flexWrap: 'wrap' }}>
          {data.cards.map((c) => (
            <Box key={c.label} variant="card" style={{ minWidth: 180, padding: 16, background: '#fff', borderTop: '4px solid #0f766e' }}>
              <Text fontSize="sm" color="grey60">{c.label}</Text>
              <Text fontSize="h3" fontWeight="bold">{c.href ? <Link href={c.href}>{c.value}</Link> : c.value}</Text>
            </Box>
          ))}
        </Box>
      )}
      {(data.tables || []).map((t) => (
        <Box key={t.title} mb="xl" style={{ background: '#fff', padding: 16 }}>
          <H5 mb="md">{t.title}</H5>
          {t.rows.length === 0 ? <Text color="grey60">{t.empty || 'Nothing here.'}</Text> : (
            <Table width={1}>
              <TableHead>
                <TableRow>{t.columns.map((c) => <TableCell key={c}>{c}</TableCell>)}</TableRow>
              </TableHead>
              <TableBody>
                {t.rows.map((r, i) => (
                  <TableRow key={i}>
                    {r.cells.map((cell, j) => (
                      <TableCell key={j}>{j === 0 && r.href ? <Link href={r.href}>{cell}</Link> : cell}</TableCell>
                    ))}
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </Box>
      ))}
    </Box>
  )
}

export default Dashboard
