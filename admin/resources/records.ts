import type { ActionContext, ResourceWithOptions } from 'adminjs';
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

const readable = (...permissions: Parameters<typeof canAny>[1][]) => (context: ActionContext) => canAny(actorOf(context), ...permissions);

export function journalResource(): ResourceWithOptions {
  const canRead = readable('journal.read', 'journal.readDiagnosis');
  return {
    resource: new ClinicResource(JournalEntry, {
      id: 'Journal',
      sortable: ['createdAt'],
      defaultSort: { sortBy: 'createdAt', direction: 'desc' },
      project: projectJournal,
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
        show: { isAccessible: canRead },
        search: { isAccessible: canRead },
        ...appendOnly,
        addCorrection: addCorrectionAction(),
      },
    },
  };
}

export function prescriptionsResource(): ResourceWithOptions {
  const canRead = readable('prescription.read');
  return {
    resource: new ClinicResource(Prescription, {
      id: 'Prescriptions',
      sortable: ['createdAt'],
      defaultSort: { sortBy: 'createdAt', direction: 'desc' },
      project: projectAll,
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
      actions: { list: { isAccessible: canRead }, show: { isAccessible: canRead }, search: { isAccessible: canRead }, ...appendOnly },
    },
  };
}
