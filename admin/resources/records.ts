import type { ActionContext, ActionRequest, ActionResponse, ResourceWithOptions } from 'adminjs';
import type { Actor } from '../../server/access/actor.js';
import { auditStaffListRead, auditStaffRead } from '../../server/records/shared.js';
import { canAny } from '../../server/access/policy.js';
import { JournalEntry } from '../../server/db/entities/journal-entry.js';
import { Prescription } from '../../server/db/entities/prescription.js';
import { disabled } from '../action-kit.js';
import { ClinicResource } from '../clinic-resource.js';
import { actorOf } from '../current-admin.js';
import { NAV } from '../navigation.js';
import { projectAll, projectJournal } from '../projection.js';
import { addCorrectionAction } from './record-actions.js';

/** Append-only records (SPEC rule 7): no new/edit/delete for anyone; additions are custom actions. */
const appendOnly = { new: disabled, edit: disabled, delete: disabled, bulkDelete: disabled };
const showOnly = { isVisible: { list: false, show: true, filter: false, edit: false } };
const everywhere = { isVisible: { list: true, show: true, filter: true, edit: false } };

/**
 * SPEC §4: staff reads of medical records are audited, like the records
 * service's own reads: one event per opened record, and for a list or a
 * search one per patient whose records it showed (the list handler runs it
 * beside reading the page's references, before the rows are sent).
 */
function auditedRead(resource: 'journalEntry' | 'prescription') {
  return {
    show: async (response: ActionResponse, _request: ActionRequest, context: ActionContext) => {
      const actor = actorOf(context);
      const params = context.record?.params;
      if (actor && params) await auditStaffRead(actor, resource, Number(params.id), Number(params.patientId) || null);
      return response;
    },
    onListRead: (actor: Actor, rows: Record<string, unknown>[], patientId: number | undefined) =>
      auditStaffListRead(actor, resource, patientId, rows.map((r) => ({ patientId: Number(r.patientId) })).filter((r) => r.patientId > 0)),
  };
}

const readable = (...permissions: Parameters<typeof canAny>[1][]) => (context: ActionContext) => canAny(actorOf(context), ...permissions);

export function journalResource(): ResourceWithOptions {
  const canRead = readable('journal.read', 'journal.readDiagnosis');
  const audit = auditedRead('journalEntry');
  return {
    resource: new ClinicResource(JournalEntry, {
      id: 'Journal',
      readable: (actor) => canAny(actor, 'journal.read', 'journal.readDiagnosis'),
      sortable: ['createdAt'],
      defaultSort: { sortBy: 'createdAt', direction: 'desc' },
      project: projectJournal,
      onListRead: audit.onListRead,
    }),
    options: {
      navigation: NAV.Journal,
      titleProperty: 'diagnosis',
      listProperties: ['id', 'createdAt', 'patientId', 'diagnosis', 'authorId', 'correctsId'],
      filterProperties: ['patientId', 'authorId', 'createdAt'],
      showProperties: ['id', 'createdAt', 'patientId', 'authorId', 'recordedById', 'diagnosis', 'description', 'plan', 'correctsId'],
      sort: { sortBy: 'createdAt', direction: 'desc' },
      properties: {
        patientId: { reference: 'Patients', ...everywhere },
        authorId: { reference: 'Staff', ...everywhere },
        recordedById: { reference: 'Staff', ...showOnly },
        correctsId: { reference: 'Journal', isVisible: { list: true, show: true, filter: false, edit: false } },
        description: { type: 'textarea' },
        plan: { type: 'textarea' },
      },
      actions: {
        list: { isAccessible: canRead },
        show: { isAccessible: canRead, after: audit.show, custom: { label: 'Details' } },
        search: { isAccessible: canRead },
        ...appendOnly,
        addCorrection: addCorrectionAction(),
      },
    },
  };
}

export function prescriptionsResource(): ResourceWithOptions {
  const canRead = readable('prescription.read');
  const audit = auditedRead('prescription');
  return {
    resource: new ClinicResource(Prescription, {
      id: 'Prescriptions',
      readable: (actor) => canAny(actor, 'prescription.read'),
      sortable: ['createdAt'],
      defaultSort: { sortBy: 'createdAt', direction: 'desc' },
      project: projectAll,
      onListRead: audit.onListRead,
    }),
    options: {
      navigation: NAV.Prescriptions,
      titleProperty: 'medication',
      listProperties: ['id', 'createdAt', 'patientId', 'medication', 'dosage', 'authorId'],
      filterProperties: ['patientId', 'authorId', 'createdAt'],
      showProperties: ['id', 'createdAt', 'patientId', 'authorId', 'recordedById', 'medication', 'dosage', 'instructions', 'journalEntryId'],
      sort: { sortBy: 'createdAt', direction: 'desc' },
      properties: {
        patientId: { reference: 'Patients', ...everywhere },
        authorId: { reference: 'Staff', ...everywhere },
        recordedById: { reference: 'Staff', ...showOnly },
        journalEntryId: { reference: 'Journal', ...showOnly },
        instructions: { type: 'textarea' },
      },
      actions: {
        list: { isAccessible: canRead },
        show: { isAccessible: canRead, after: audit.show, custom: { label: 'Details' } },
        search: { isAccessible: canRead },
        ...appendOnly,
      },
    },
  };
}
