import React from 'react'
import { Link } from 'react-router-dom'
import { useLocation, useNavigate } from 'react-router'
import { Box, ButtonGroup, H2, Text } from '@adminjs/design-system'
import {
  actionHref, buildActionClickHandler, buildActionTestId, useActionResponseHandler, useCurrentAdmin, useModal,
  useTranslation, ViewHelpers,
} from 'adminjs'
import { clinicZone } from './clinic-time.js'
import { recordTitle } from './record-title.js'

/**
 * The header of a record's pages: titled with the record in the clinic's
 * words ("Appointment 12 Mar 14:30 with Dr Karin Söderström", "Cancel:
 * Appointment …") where AdminJS wrote "Show". Lists and the other resource
 * pages keep AdminJS's own header.
 */
const ClinicActionHeader = (props) => {
  const { OriginalComponent, resource, record, action, actionPerformed, omitActions } = props
  const [currentAdmin] = useCurrentAdmin()
  const translateFunctions = useTranslation()
  const navigate = useNavigate()
  const location = useLocation()
  const modalFunctions = useModal()
  const actionResponseHandler = useActionResponseHandler(actionPerformed)
  if (!record || !action || action.showInDrawer || action.hideActionHeader) return <OriginalComponent {...props} />

  const { translateAction, translateLabel } = translateFunctions
  const h = new ViewHelpers()
  const title = recordTitle(resource.id, record, clinicZone(currentAdmin))
  const isShow = action.name === 'show'
  const actionLabel = translateAction(action.label, resource.id)
  const params = { resourceId: resource.id, recordId: record.id }
  const buttons = (record.recordActions || []).filter((ra) => ra.name !== action.name).map((ra) => {
    const href = actionHref(ra, params)
    return {
      icon: ra.icon,
      label: translateAction(ra.label, resource.id),
      variant: ra.variant,
      href: href || undefined,
      onClick: href ? (event) => buildActionClickHandler({
        action: ra, params, actionResponseHandler, navigate, location, translateFunctions, modalFunctions,
      })(event) : undefined,
      'data-testid': buildActionTestId(ra),
      'data-css': `${resource.id}-${ra.name}-button`,
      buttons: [],
    }
  })
  const showHref = h.recordActionUrl({ resourceId: resource.id, recordId: record.id, actionName: 'show' })
  const crumb = { color: 'inherit', textDecoration: 'none' }
  return (
    <Box data-css={`${resource.id}-${action.name}-action-header`} data-testid="record-header">
      <Box flex flexDirection="row" px={['default', 0]}>
        <Text as="nav" aria-label="Breadcrumb" color="grey60" style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}>
          <Link to={h.dashboardUrl()} style={crumb}>{translateLabel('dashboard')}</Link>
          <span aria-hidden="true">/</span>
          <Link to={resource.href || h.resourceUrl({ resourceId: resource.id })} style={crumb}>{translateLabel(resource.name, resource.id)}</Link>
          {!isShow && (
            <>
              <span aria-hidden="true">/</span>
              <Link to={showHref} style={crumb}>{title}</Link>
            </>
          )}
        </Text>
      </Box>
      <Box mt="lg" px={['default', 0]}>
        <H2 mb="lg" data-testid="record-title">{isShow ? title : `${actionLabel}: ${title}`}</H2>
      </Box>
      {!omitActions && buttons.length > 0 && (
        <Box mb="xl" className="qh-record-actions">
          <ButtonGroup buttons={buttons} />
        </Box>
      )}
    </Box>
  )
}

export default ClinicActionHeader
