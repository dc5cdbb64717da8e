import { z } from 'zod';
import { idParams, isoDateTime, pageSchema, withOrderedRange, type ApiBuilder } from '../http/openapi.js';
import { getJournalEntry, listJournal, listJournalQuery } from './journal.js';
import { getPrescription, listPrescriptions, listPrescriptionsQuery } from './prescriptions.js';

/** The patient's own journal and prescriptions, read-only (rule 7); newest first. */
const portalJournalQuery = withOrderedRange(listJournalQuery.pick({ page: true, perPage: true, from: true, to: true, sort: true }).strict());
const portalPrescriptionQuery = withOrderedRange(
  listPrescriptionsQuery.pick({ page: true, perPage: true, from: true, to: true, sort: true }).strict(),
);

const person = z.object({ id: z.number().int(), firstName: z.string(), lastName: z.string() }).meta({ id: 'Person' });

export const journalEntrySchema = z
  .object({
    id: z.number().int(),
    patientId: z.number().int(),
    createdAt: isoDateTime,
    diagnosis: z.string(),
    description: z.string(),
    plan: z.string().nullable(),
    correctsId: z.number().int().nullable().meta({ description: 'The entry this one corrects.' }),
    author: person,
    recordedBy: person,
  })
  .meta({ id: 'JournalEntry' });

export const prescriptionSchema = z
  .object({
    id: z.number().int(),
    patientId: z.number().int(),
    createdAt: isoDateTime,
    medication: z.string(),
    dosage: z.string(),
    instructions: z.string(),
    journalEntryId: z.number().int().nullable(),
    author: person,
    recordedBy: person,
  })
  .meta({ id: 'Prescription' });

export function recordRoutes(api: ApiBuilder): void {
  api.route(
    {
      method: 'get', path: '/journal', tag: 'Records', auth: true, status: 200,
      summary: 'Own journal entries, newest first', query: portalJournalQuery,
      response: pageSchema(journalEntrySchema, 'JournalPage'),
    },
    ({ actor, query }) => listJournal(actor, query),
  );
  api.route(
    {
      method: 'get', path: '/journal/:id', tag: 'Records', auth: true, status: 200,
      summary: 'One own journal entry', params: idParams, response: journalEntrySchema,
      errors: { 404: 'No such entry of yours.' },
    },
    ({ actor, params }) => getJournalEntry(actor, params.id),
  );
  api.route(
    {
      method: 'get', path: '/prescriptions', tag: 'Records', auth: true, status: 200,
      summary: 'Own prescriptions, newest first', query: portalPrescriptionQuery,
      response: pageSchema(prescriptionSchema, 'PrescriptionPage'),
    },
    ({ actor, query }) => listPrescriptions(actor, query),
  );
  api.route(
    {
      method: 'get', path: '/prescriptions/:id', tag: 'Records', auth: true, status: 200,
      summary: 'One own prescription', params: idParams, response: prescriptionSchema,
      errors: { 404: 'No such prescription of yours.' },
    },
    ({ actor, params }) => getPrescription(actor, params.id),
  );
}
