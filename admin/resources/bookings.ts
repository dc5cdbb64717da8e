import type { ActionContext, ResourceWithOptions } from 'adminjs';
import { can } from '../../server/access/policy.js';
import { APPOINTMENT_KINDS, APPOINTMENT_STATUSES, Appointment } from '../../server/db/entities/appointment.js';
import { Diagnostic } from '../../server/db/entities/diagnostic.js';
import { disabled, hasPermission, numberField, recordHref, serviceAction } from '../action-kit.js';
import { ClinicResource } from '../clinic-resource.js';
import { NAV } from '../navigation.js';
import { projectAll, projectAppointment } from '../projection.js';
import { services } from '../services.js';
import { cancelAction, scheduleRequestAction } from './booking-actions.js';

const showOnly = { isVisible: { list: false, show: true, filter: false, edit: false } };
const options = (values: readonly string[]) => values.map((v) => ({ value: v, label: v }));

function idOf(context: ActionContext): number {
  return Number(context.record?.id());
}

const MINUTES = 'Give the duration in whole minutes, e.g. 30.';

const diagnosticFields = [
  { name: 'name', label: 'Name', required: true },
  { name: 'description', label: 'Description', type: 'textarea' as const },
  { name: 'durationMinutes', label: 'Duration (minutes, multiple of 15)' },
];

export function diagnosticsResource(): ResourceWithOptions {
  return {
    resource: new ClinicResource(Diagnostic, {
      id: 'Diagnostics',
      readable: (actor) => can(actor, 'diagnostic.read'),
      sortable: ['name', 'createdAt'],
      defaultSort: { sortBy: 'name', direction: 'asc' },
      project: projectAll,
    }),
    options: {
      navigation: NAV.Diagnostics,
      listProperties: ['id', 'name', 'durationMinutes', 'isActive', 'createdAt'],
      filterProperties: ['name', 'isActive'],
      showProperties: ['id', 'name', 'description', 'durationMinutes', 'isActive', 'createdAt', 'updatedAt'],
      sort: { sortBy: 'name', direction: 'asc' },
      properties: { nameKey: { isVisible: false }, description: { type: 'textarea' } },
      actions: {
        list: { isAccessible: hasPermission('diagnostic.read') },
        show: { isAccessible: hasPermission('diagnostic.read'), custom: { label: 'Details' } },
        search: { isAccessible: hasPermission('diagnostic.read') },
        bulkDelete: disabled,
        new: serviceAction({
          actionType: 'resource', label: 'Add diagnostic', icon: 'Plus', access: 'diagnostic.manage',
          audit: { action: 'diagnostic.create', resource: 'diagnostic' },
          fields: diagnosticFields,
          run: async (actor, p) => {
            const d = await services.createDiagnostic(actor, {
              name: p.name ?? '', description: p.description || null, durationMinutes: numberField(p, 'durationMinutes', MINUTES),
            } as never);
            return { message: 'The diagnostic is added.', redirectUrl: recordHref('Diagnostics', d.id) };
          },
        }),
        edit: serviceAction({
          actionType: 'record', label: 'Edit', icon: 'Edit', access: 'diagnostic.manage',
          audit: { action: 'diagnostic.update', resource: 'diagnostic' },
          intro: 'Leave a field empty to keep it as it is.',
          fields: diagnosticFields.map((f) => ({ ...f, required: false })),
          run: async (actor, p, c) => {
            const patch: Record<string, unknown> = {};
            if (p.name) patch.name = p.name;
            if (p.description) patch.description = p.description;
            if (p.durationMinutes) patch.durationMinutes = numberField(p, 'durationMinutes', MINUTES);
            await services.updateDiagnostic(actor, idOf(c), patch as never);
            return { message: 'Saved.', redirectUrl: recordHref('Diagnostics', idOf(c)) };
          },
        }),
        deactivate: serviceAction({
          actionType: 'record', label: 'Deactivate', icon: 'EyeOff', access: 'diagnostic.manage',
          audit: { action: 'diagnostic.deactivate', resource: 'diagnostic' },
          appliesTo: (r) => r.isActive === true,
          intro: 'Inactive diagnostics leave the patients\' catalogue; existing bookings stay.',
          fields: [],
          run: async (actor, _p, c) => {
            await services.setDiagnosticActive(actor, idOf(c), false);
            return { message: 'Deactivated.', redirectUrl: recordHref('Diagnostics', idOf(c)) };
          },
        }),
        activate: serviceAction({
          actionType: 'record', label: 'Activate', icon: 'Eye', access: 'diagnostic.manage',
          audit: { action: 'diagnostic.activate', resource: 'diagnostic' },
          appliesTo: (r) => r.isActive === false,
          fields: [],
          run: async (actor, _p, c) => {
            await services.setDiagnosticActive(actor, idOf(c), true);
            return { message: 'Activated.', redirectUrl: recordHref('Diagnostics', idOf(c)) };
          },
        }),
        delete: serviceAction({
          actionType: 'record', label: 'Delete', icon: 'Trash2', variant: 'danger', access: 'diagnostic.manage',
          audit: { action: 'diagnostic.delete', resource: 'diagnostic' },
          intro: 'A diagnostic that was ever booked is deactivated instead of deleted.',
          fields: [],
          submitLabel: 'Delete',
          run: async (actor, _p, c) => {
            const outcome = await services.removeDiagnostic(actor, idOf(c));
            return outcome.outcome === 'deleted'
              ? { message: 'Deleted.', redirectUrl: '/admin/resources/Diagnostics' }
              : { message: 'It has bookings, so it is deactivated instead.', redirectUrl: recordHref('Diagnostics', idOf(c)) };
          },
        }),
      },
    },
  };
}

const appointmentProperties = {
  patientId: { reference: 'Patients', isVisible: { list: true, show: true, filter: true, edit: false } },
  doctorId: { reference: 'Staff', isVisible: { list: true, show: true, filter: true, edit: false } },
  diagnosticId: { reference: 'Diagnostics', isVisible: { list: true, show: true, filter: true, edit: false } },
  bookedById: { reference: 'Staff', ...showOnly },
  cancelledById: { reference: 'Staff', ...showOnly },
  status: { availableValues: options(APPOINTMENT_STATUSES) },
  kind: { availableValues: options(APPOINTMENT_KINDS) },
  patientNote: { type: 'textarea' as const, ...showOnly },
};

export function requestsResource(): ResourceWithOptions {
  return {
    resource: new ClinicResource(Appointment, {
      id: 'Requests',
      scope: (qb) => qb.andWhere("t.status = 'requested'"),
      readable: (actor) => can(actor, 'appointment.read'),
      // Newest first, as every list; the operator's dashboard opens it
      // oldest first, the queue they work through.
      sortable: ['createdAt'],
      defaultSort: { sortBy: 'createdAt', direction: 'desc' },
      project: projectAppointment,
    }),
    options: {
      navigation: NAV.Requests,
      listProperties: ['id', 'patientId', 'diagnosticId', 'patientNote', 'createdAt'],
      filterProperties: ['patientId', 'diagnosticId', 'createdAt'],
      showProperties: ['id', 'patientId', 'diagnosticId', 'status', 'patientNote', 'createdAt'],
      sort: { sortBy: 'createdAt', direction: 'desc' },
      properties: { ...appointmentProperties, patientNote: { type: 'textarea' as const } },
      actions: {
        list: { isAccessible: hasPermission('appointment.read') },
        show: { isAccessible: hasPermission('appointment.read'), custom: { label: 'Details' } },
        search: { isAccessible: hasPermission('appointment.read') },
        new: disabled, edit: disabled, delete: disabled, bulkDelete: disabled,
        schedule: scheduleRequestAction(),
        withdraw: cancelAction('Withdraw'),
      },
    },
  };
}

export function appointmentsResource(): ResourceWithOptions {
  return {
    resource: new ClinicResource(Appointment, {
      id: 'Appointments',
      readable: (actor) => can(actor, 'appointment.read'),
      // Every booking, requests included (their start is empty, so they sort
      // last): no status scope, so each offered sort walks its index alone.
      sortable: ['startsAt'],
      defaultSort: { sortBy: 'startsAt', direction: 'desc' },
      project: projectAppointment,
    }),
    options: {
      navigation: NAV.Appointments,
      listProperties: ['id', 'startsAt', 'kind', 'patientId', 'doctorId', 'diagnosticId', 'status'],
      filterProperties: ['status', 'kind', 'patientId', 'doctorId', 'diagnosticId', 'startsAt'],
      showProperties: [
        'id', 'status', 'kind', 'startsAt', 'endsAt', 'patientId', 'doctorId', 'diagnosticId', 'patientNote',
        'bookedById', 'bookedAt', 'cancelledById', 'cancelledAt', 'cancelReason', 'createdAt',
      ],
      sort: { sortBy: 'startsAt', direction: 'desc' },
      properties: appointmentProperties,
      actions: {
        list: { isAccessible: hasPermission('appointment.read') },
        show: { isAccessible: hasPermission('appointment.read'), custom: { label: 'Details' } },
        search: { isAccessible: hasPermission('appointment.read') },
        new: disabled, edit: disabled, delete: disabled, bulkDelete: disabled,
        cancel: cancelAction('Cancel'),
      },
    },
  };
}
