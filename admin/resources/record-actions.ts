import type { ActionContext } from 'adminjs';
import type { Actor } from '../../server/access/actor.js';
import { can } from '../../server/access/policy.js';
import { db } from '../../server/db/data-source.js';
import { User } from '../../server/db/entities/user.js';
import { formatClinicTimeWithZone } from '../../server/shared/clinic-time.js';
import { serviceAction, recordHref, numberField, type FormData } from '../action-kit.js';
import { services } from '../services.js';

/**
 * Journal entries and prescriptions are only ever added (SPEC rule 7): from
 * a patient's page, or as a correction of an entry. Admins write on behalf
 * of a named doctor or pharmacist; the service records both names.
 */
function idOf(context: ActionContext): number {
  return Number(context.record?.id());
}

async function staffChoices(role: 'doctor' | 'pharmacist'): Promise<{ value: string; label: string }[]> {
  const people = await db().getRepository(User).find({ where: { role, isBlocked: false, isActive: true }, order: { lastName: 'ASC' }, take: 500 });
  return people.map((u) => ({ value: String(u.id), label: `${role === 'doctor' ? 'Dr ' : ''}${u.firstName} ${u.lastName}` }));
}

/**
 * The patient's latest journal entries to link a prescription to, read
 * through the records service (its access check, and the audited read).
 */
async function journalChoices(actor: Actor, patientId: number): Promise<{ value: string; label: string }[]> {
  const page = await services.listJournal(actor, { patientId, perPage: 50 });
  return page.items.map((e) => ({
    value: String(e.id),
    label: `${formatClinicTimeWithZone(new Date(e.createdAt))} · ${e.diagnosis} (Dr ${e.author.firstName} ${e.author.lastName})`,
  }));
}

const journalFields = [
  { name: 'onBehalfOfDoctorId', label: 'On behalf of doctor', type: 'select' as const, adminsOnly: true, required: true },
  { name: 'diagnosis', label: 'Diagnosis', required: true },
  { name: 'description', label: 'Description', type: 'textarea' as const, required: true },
  { name: 'plan', label: 'Plan', type: 'textarea' as const },
];

async function journalForm(actor: Actor): Promise<FormData> {
  const onBehalf = can(actor, 'journal.addOnBehalf');
  return { onBehalf, choices: onBehalf ? { onBehalfOfDoctorId: await staffChoices('doctor') } : {} };
}

export function addJournalEntryAction() {
  return serviceAction({
    actionType: 'record', label: 'Add journal entry', icon: 'FilePlus',
    audit: { action: 'create', resource: 'journalEntry', forPatient: true },
    access: (actor) => can(actor, 'journal.add') || can(actor, 'journal.addOnBehalf'),
    fields: journalFields,
    form: (actor) => journalForm(actor),
    run: async (actor, p, c) => {
      const entry = await services.addJournalEntry(actor, {
        patientId: idOf(c), diagnosis: p.diagnosis ?? '', description: p.description ?? '', plan: p.plan || null,
        onBehalfOfDoctorId: numberField(p, 'onBehalfOfDoctorId', 'Choose a doctor from the list.'),
      });
      return { message: 'The journal entry is added.', redirectUrl: recordHref('Journal', entry.id) };
    },
  });
}

export function addCorrectionAction() {
  return serviceAction({
    actionType: 'record', label: 'Add correction', icon: 'CornerDownRight',
    audit: { action: 'correct', resource: 'journalEntry' },
    access: (actor) => can(actor, 'journal.add') || can(actor, 'journal.addOnBehalf'),
    intro: 'Entries are never changed: the correction is a new entry pointing at this one.',
    fields: journalFields,
    form: (actor) => journalForm(actor),
    run: async (actor, p, c) => {
      const entry = await services.addJournalEntry(actor, {
        patientId: Number(c.record?.params.patientId), correctsId: idOf(c),
        diagnosis: p.diagnosis ?? '', description: p.description ?? '', plan: p.plan || null,
        onBehalfOfDoctorId: numberField(p, 'onBehalfOfDoctorId', 'Choose a doctor from the list.'),
      });
      return { message: 'The correction is added.', redirectUrl: recordHref('Journal', entry.id) };
    },
  });
}

export function addPrescriptionAction() {
  return serviceAction({
    actionType: 'record', label: 'Add prescription', icon: 'Plus',
    audit: { action: 'create', resource: 'prescription', forPatient: true },
    access: (actor) => can(actor, 'prescription.add') || can(actor, 'prescription.addOnBehalf'),
    fields: [
      { name: 'onBehalfOfPharmacistId', label: 'On behalf of pharmacist', type: 'select', adminsOnly: true, required: true },
      { name: 'medication', label: 'Medication', required: true },
      { name: 'dosage', label: 'Dosage', required: true },
      { name: 'instructions', label: 'Instructions', type: 'textarea', required: true },
      { name: 'journalEntryId', label: 'For journal entry (optional)', type: 'select', placeholder: '— none —' },
    ],
    form: async (actor, _q, c): Promise<FormData> => {
      const onBehalf = can(actor, 'prescription.addOnBehalf');
      return {
        onBehalf,
        choices: {
          ...(onBehalf ? { onBehalfOfPharmacistId: await staffChoices('pharmacist') } : {}),
          journalEntryId: await journalChoices(actor, idOf(c)),
        },
      };
    },
    run: async (actor, p, c) => {
      const prescription = await services.addPrescription(actor, {
        patientId: idOf(c), medication: p.medication ?? '', dosage: p.dosage ?? '', instructions: p.instructions ?? '',
        journalEntryId: numberField(p, 'journalEntryId', 'Give the number of a journal entry, e.g. 42.'),
        onBehalfOfPharmacistId: numberField(p, 'onBehalfOfPharmacistId', 'Choose a pharmacist from the list.'),
      });
      return { message: 'The prescription is added.', redirectUrl: recordHref('Prescriptions', prescription.id) };
    },
  });
}
