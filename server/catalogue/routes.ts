import { z } from 'zod';
import { idParams, isoDateTime, pageSchema, type ApiBuilder } from '../http/openapi.js';
import { pageQuery } from '../shared/pagination.js';
import { diagnosticListQuery } from './schemas.js';
import { getDiagnostic, listDiagnostics } from './diagnostics.js';

/** The portal's catalogue: active diagnostics only (the service decides that for a patient). */
const portalDiagnosticQuery = diagnosticListQuery.pick({ q: true, sort: true }).extend(pageQuery.shape).strict();

export const diagnosticSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    description: z.string().nullable(),
    durationMinutes: z.number().int(),
    isActive: z.boolean(),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  })
  .meta({ id: 'Diagnostic' });

export function catalogueRoutes(api: ApiBuilder): void {
  api.route(
    {
      method: 'get', path: '/diagnostics', tag: 'Diagnostics', auth: true, status: 200,
      summary: 'The active diagnostics catalogue',
      description: '`q` filters by name (case-insensitive, part of the name).',
      query: portalDiagnosticQuery,
      response: pageSchema(diagnosticSchema, 'DiagnosticPage'),
    },
    ({ actor, query }) => listDiagnostics(actor, query),
  );
  api.route(
    {
      method: 'get', path: '/diagnostics/:id', tag: 'Diagnostics', auth: true, status: 200,
      summary: 'One active diagnostic', params: idParams, response: diagnosticSchema,
      errors: { 404: 'No such active diagnostic.' },
    },
    ({ actor, params }) => getDiagnostic(actor, params.id),
  );
}
