import { z } from 'zod';
import { APPOINTMENT_KINDS, APPOINTMENT_STATUSES } from '../db/entities/appointment.js';
import { idParams, isoDateTime, pageSchema, withOrderedRange, type ApiBuilder } from '../http/openapi.js';
import { cancelAppointment, requestDiagnostic } from './index.js';
import { getAppointment, listAppointments } from './queries.js';
import { appointmentListQuery, cancelInput, requestDiagnosticInput } from './schemas.js';

/**
 * The patient's requests and appointments. Staff-only filters (patientId,
 * doctorId …) are not offered here; the service limits a patient to their own
 * rows whatever is asked.
 */
const portalAppointmentQuery = withOrderedRange(
  appointmentListQuery.pick({ page: true, perPage: true, status: true, kind: true, from: true, to: true, sort: true }).strict(),
);

export const appointmentSchema = z
  .object({
    id: z.number().int(),
    kind: z.enum(APPOINTMENT_KINDS),
    status: z.enum(APPOINTMENT_STATUSES),
    startsAt: isoDateTime.nullable().meta({ description: 'UTC; null while it is only a request.' }),
    endsAt: isoDateTime.nullable(),
    patientNote: z.string().nullable().optional(),
    diagnostic: z.object({ id: z.number().int(), name: z.string() }).nullable(),
    doctor: z.object({ id: z.number().int(), firstName: z.string(), lastName: z.string(), specialty: z.string().nullable() }).nullable(),
    bookedAt: isoDateTime.nullable(),
    cancelledAt: isoDateTime.nullable(),
    cancelReason: z.string().nullable(),
    createdAt: isoDateTime,
  })
  .meta({ id: 'Appointment' });

export function appointmentRoutes(api: ApiBuilder): void {
  api.route(
    {
      method: 'post', path: '/requests', tag: 'Appointments', auth: true, status: 201,
      summary: 'Request a diagnostic',
      description: 'Creates a request (status `requested`, no date yet); the clinic schedules it and mails the date.',
      body: requestDiagnosticInput, response: appointmentSchema,
    },
    ({ actor, body }) => requestDiagnostic(actor, body),
  );
  api.route(
    {
      method: 'get', path: '/appointments', tag: 'Appointments', auth: true, status: 200,
      summary: 'Own appointments and requests',
      description: '`status` takes one status or several separated by commas; `from`/`to` bound the start (a day in the clinic\'s zone or an instant).',
      query: portalAppointmentQuery, response: pageSchema(appointmentSchema, 'AppointmentPage'),
    },
    async ({ actor, query }) => {
      const { items, total, page, perPage } = await listAppointments(actor, query);
      return { items, total, page, perPage };
    },
  );
  api.route(
    {
      method: 'get', path: '/appointments/:id', tag: 'Appointments', auth: true, status: 200,
      summary: 'One own appointment or request', params: idParams, response: appointmentSchema,
      errors: { 404: 'No such appointment of yours.' },
    },
    ({ actor, params }) => getAppointment(actor, params.id),
  );
  api.route(
    {
      method: 'post', path: '/appointments/:id/cancel', tag: 'Appointments', auth: true, status: 200,
      summary: 'Cancel an appointment or withdraw a request',
      description: 'A request can be withdrawn at any time; a booked appointment can be cancelled until 24 hours before it starts. Cancelling twice changes nothing.',
      params: idParams, body: cancelInput, response: appointmentSchema,
      errors: { 404: 'No such appointment of yours.', 409: 'Inside 24 hours of the start, already started or completed.' },
    },
    ({ actor, params, body }) => cancelAppointment(actor, params.id, body),
  );
}
