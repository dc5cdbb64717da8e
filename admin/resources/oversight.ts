import type { ActionContext, ActionRequest, ActionResponse, RecordJSON, ResourceWithOptions } from 'adminjs';
import { can } from '../../server/access/policy.js';
import { normalizeEmail } from '../../server/auth/login.js';
import { AUDIT_ACTIONS, AUDIT_OUTCOMES, AUDIT_RESOURCES, AuditEvent } from '../../server/db/entities/audit-event.js';
import { LoginAttempt } from '../../server/db/entities/login-attempt.js';
import { NOTIFICATION_STATUSES, Notification } from '../../server/db/entities/notification.js';
import { Components } from '../components.js';
import { disabled, hasPermission, serviceAction } from '../action-kit.js';
import { ClinicResource } from '../clinic-resource.js';
import { NAV } from '../navigation.js';
import { withActorNames } from '../people-names.js';
import { projectAll, projectMail } from '../projection.js';
import { services } from '../services.js';

/** The audit trail, login attempts and the mail log: read-only, for superuser and admins. */
const readOnly = { new: disabled, edit: disabled, delete: disabled, bulkDelete: disabled };
const options = (values: readonly string[]) => values.map((v) => ({ value: v, label: v }));
const filterOnly = { isVisible: { list: false, show: true, filter: true, edit: false } };

function exportAction(permission: 'audit.read' | 'loginAttempt.read') {
  return {
    actionType: 'resource' as const,
    icon: 'Download',
    component: Components.ExportCsv,
    // A drawer over the list keeps the list's query (its filters) in the address, for the download link.
    showInDrawer: true,
    custom: { label: 'Export CSV' },
    isAccessible: hasPermission(permission),
    // Renders the download link only; the CSV itself is /admin/api/export/:resource.
    handler: async () => ({}),
  };
}

/** The audit log names who acted, as far as the reader may see them (never a bare id). */
const actorNames = {
  list: async (response: ActionResponse, _request: ActionRequest, context: ActionContext) => {
    await withActorNames((response.records ?? []) as RecordJSON[], context);
    return response;
  },
  show: async (response: ActionResponse, _request: ActionRequest, context: ActionContext) => {
    if (response.record) await withActorNames([response.record as RecordJSON], context);
    return response;
  },
};

export function auditLogResource(): ResourceWithOptions {
  return {
    resource: new ClinicResource(AuditEvent, {
      id: 'AuditLog',
      readable: (actor) => can(actor, 'audit.read'),
      sortable: ['at'],
      defaultSort: { sortBy: 'at', direction: 'desc' },
      project: projectAll,
      // Picked from lists (below) and matched whole: an index on (column,
      // time) then returns any page in order.
      wholeValue: { action: (picked) => picked, resource: (picked) => picked },
    }),
    options: {
      navigation: NAV.AuditLog,
      titleProperty: 'action',
      listProperties: ['at', 'actorId', 'actorRole', 'action', 'resource', 'recordId', 'patientId', 'outcome'],
      filterProperties: ['actorId', 'patientId', 'action', 'resource', 'outcome', 'at'],
      showProperties: ['id', 'at', 'actorId', 'actorRole', 'action', 'resource', 'recordId', 'patientId', 'outcome', 'changes', 'ip', 'userAgent', 'requestId'],
      sort: { sortBy: 'at', direction: 'desc' },
      properties: {
        // The actor is staff or a patient: shown by name (added after the read),
        // filtered by picking a staff member.
        actorId: { reference: 'Staff', components: { list: Components.PersonValue, show: Components.PersonValue } },
        actorName: { isVisible: false },
        actorHref: { isVisible: false },
        patientId: { reference: 'Patients' },
        action: { availableValues: options(AUDIT_ACTIONS) },
        resource: { availableValues: options(AUDIT_RESOURCES) },
        outcome: { availableValues: options(AUDIT_OUTCOMES) },
        changes: { type: 'textarea', components: { show: Components.AuditChanges } },
        ip: filterOnly,
      },
      actions: {
        list: { isAccessible: hasPermission('audit.read'), after: actorNames.list },
        show: { isAccessible: hasPermission('audit.read'), after: actorNames.show, custom: { label: 'Details' } },
        search: { isAccessible: hasPermission('audit.read') },
        ...readOnly,
        exportCsv: exportAction('audit.read'),
      },
    },
  };
}

export function loginAttemptsResource(): ResourceWithOptions {
  return {
    resource: new ClinicResource(LoginAttempt, {
      id: 'LoginAttempts',
      readable: (actor) => can(actor, 'loginAttempt.read'),
      sortable: ['at'],
      defaultSort: { sortBy: 'at', direction: 'desc' },
      project: projectAll,
      wholeValue: { email: normalizeEmail, ip: (typed) => typed.trim() },
    }),
    options: {
      navigation: NAV.LoginAttempts,
      titleProperty: 'email',
      listProperties: ['at', 'email', 'ip', 'channel', 'success', 'reason'],
      filterProperties: ['email', 'ip', 'at'],
      sort: { sortBy: 'at', direction: 'desc' },
      properties: {
        email: { description: 'Filters by the whole address.' },
        ip: { description: 'Filters by the whole IP address.' },
      },
      actions: {
        list: { isAccessible: hasPermission('loginAttempt.read') },
        show: { isAccessible: hasPermission('loginAttempt.read'), custom: { label: 'Details' } },
        search: { isAccessible: hasPermission('loginAttempt.read') },
        ...readOnly,
        exportCsv: exportAction('loginAttempt.read'),
      },
    },
  };
}

export function mailResource(): ResourceWithOptions {
  return {
    resource: new ClinicResource(Notification, {
      id: 'Mail',
      readable: (actor) => can(actor, 'notification.read'),
      sortable: ['createdAt'],
      defaultSort: { sortBy: 'createdAt', direction: 'desc' },
      project: projectMail,
      wholeValue: { toEmail: normalizeEmail },
    }),
    options: {
      navigation: NAV.Mail,
      titleProperty: 'kind',
      listProperties: ['id', 'createdAt', 'kind', 'toEmail', 'status', 'attempts', 'sentAt'],
      filterProperties: ['status', 'toEmail'],
      showProperties: ['id', 'createdAt', 'kind', 'toEmail', 'status', 'attempts', 'lastError', 'queuedAt', 'sentAt', 'data'],
      sort: { sortBy: 'createdAt', direction: 'desc' },
      properties: {
        status: { availableValues: options(NOTIFICATION_STATUSES) },
        toEmail: { description: 'Filters by the whole address.' },
        data: { type: 'textarea', components: { show: Components.JsonFields } },
        kind: { components: { list: Components.Words, show: Components.Words } },
        dedupeKey: { isVisible: false },
      },
      actions: {
        list: { isAccessible: hasPermission('notification.read') },
        show: { isAccessible: hasPermission('notification.read'), custom: { label: 'Details' } },
        search: { isAccessible: hasPermission('notification.read') },
        ...readOnly,
        retry: serviceAction({
          actionType: 'record', label: 'Retry delivery', icon: 'RefreshCw', access: 'notification.read',
          audit: { action: 'notification.retry', resource: 'notification' },
          appliesTo: (r) => r.status === 'failed',
          fields: [],
          run: async (actor, _p, c) => {
            await services.retryDelivery(actor, Number(c.record?.id()));
            return { message: 'Queued again.', redirectUrl: `/admin/resources/Mail/records/${c.record?.id()}/show` };
          },
        }),
      },
    },
  };
}
