import { z } from 'zod';
import { dayEndOrInstant, dayStartOrInstant } from '../appointments/schemas.js';
import type { Actor } from '../access/actor.js';
import { requireAccess, requireVisible } from '../access/policy.js';
import { db } from '../db/data-source.js';
import { JournalEntry } from '../db/entities/journal-entry.js';
import { Prescription } from '../db/entities/prescription.js';
import { User } from '../db/entities/user.js';
import { clock } from '../shared/clock.js';
import { Forbidden, Invalid } from '../shared/errors.js';
import { pageQuery, pageWindow, parseSort, sortParam, type Page } from '../shared/pagination.js';
import { isWellFormedText, NOT_TEXT } from '../shared/input.js';
import { diff, inTransaction } from '../shared/unit-of-work.js';
import { scopeToOwn } from './journal.js';
import {
  auditStaffListRead, auditStaffRead, CONTROL_CHARACTERS, ONE_LINE, parseInput, TEXT, personRef, recordId, requireActiveStaff, requirePatient, whereCreatedBetween,
  type PersonRef,
} from './shared.js';

/*
 * Prescriptions (SPEC §2, rule 7): append-only, like the journal. No update
 * or delete exists; a changed dosage is a new prescription.
 */

export const addPrescriptionInput = z.object({
  patientId: recordId,
  medication: z.string().trim().min(1, 'Name the medication.').max(200).regex(ONE_LINE, CONTROL_CHARACTERS).refine(isWellFormedText, NOT_TEXT),
  dosage: z.string().trim().min(1, 'Give the dosage.').max(200).regex(ONE_LINE, CONTROL_CHARACTERS).refine(isWellFormedText, NOT_TEXT),
  instructions: z.string().trim().min(1, 'Write the instructions.').max(10_000).regex(TEXT, CONTROL_CHARACTERS).refine(isWellFormedText, NOT_TEXT),
  journalEntryId: recordId.nullish(),
  /** Admins and the superuser write on a pharmacist's behalf and must name them. */
  onBehalfOfPharmacistId: recordId.nullish(),
});
export type AddPrescriptionInput = z.input<typeof addPrescriptionInput>;

export const PRESCRIPTION_SORT_KEYS = ['createdAt', 'medication'] as const;
export const listPrescriptionsQuery = pageQuery.extend({
  patientId: recordId.optional(),
  authorId: recordId.optional(),
  // Strict: a coerced date would take 2026-02-30 as 2 March.
  from: dayStartOrInstant.optional(),
  to: dayEndOrInstant.optional(),
  sort: sortParam(PRESCRIPTION_SORT_KEYS, '-createdAt'),
});
export type ListPrescriptionsQuery = z.input<typeof listPrescriptionsQuery>;

export interface PrescriptionView {
  id: number;
  patientId: number;
  createdAt: Date;
  medication: string;
  dosage: string;
  instructions: string;
  journalEntryId: number | null;
  author: PersonRef;
  recordedBy: PersonRef;
  /** Staff only: the patient's name. */
  patient?: PersonRef;
}

const SORT_COLUMNS: Record<(typeof PRESCRIPTION_SORT_KEYS)[number], string> = {
  createdAt: 'p.createdAt',
  medication: 'p.medication',
};

export async function addPrescription(actor: Actor, input: AddPrescriptionInput): Promise<PrescriptionView> {
  requireAccess(actor, 'prescription.add', 'prescription.addOnBehalf');
  const data = parseInput(addPrescriptionInput, input);
  if (actor.id === null) throw new Forbidden('A prescription needs a person who records it.');
  const writesOwn = actor.role === 'pharmacist';
  if (writesOwn && data.onBehalfOfPharmacistId && data.onBehalfOfPharmacistId !== actor.id) {
    throw new Forbidden('Pharmacists write prescriptions in their own name.');
  }
  if (!writesOwn && !data.onBehalfOfPharmacistId) {
    throw new Invalid('Name the pharmacist this prescription is written for.', { onBehalfOfPharmacistId: 'Choose the pharmacist responsible.' });
  }
  const recordedById = actor.id;

  return inTransaction(actor, async (w) => {
    const patient = await requirePatient(w.manager, data.patientId);
    const author = await requireActiveStaff(
      w.manager, writesOwn ? actor.id! : data.onBehalfOfPharmacistId!, 'pharmacist', writesOwn ? 'authorId' : 'onBehalfOfPharmacistId',
    );
    const recordedBy = writesOwn ? author : await w.manager.findOneByOrFail(User, { id: recordedById });
    if (data.journalEntryId) {
      const entry = await w.manager.findOneBy(JournalEntry, { id: data.journalEntryId });
      if (!entry || entry.patientId !== patient.id) {
        throw new Invalid('The linked journal entry must be about the same patient.', { journalEntryId: 'No entry of this patient with this id.' });
      }
    }
    const row = {
      patientId: patient.id,
      authorId: author.id,
      recordedById,
      medication: data.medication,
      dosage: data.dosage,
      instructions: data.instructions,
      journalEntryId: data.journalEntryId ?? null,
    };
    // The clinic's clock, not the database's, so tests and the seed agree on "when".
    const prescription = await w.manager.save(w.manager.create(Prescription, { ...row, createdAt: clock.now() }));
    await w.audit({ action: 'create', resource: 'prescription', recordId: prescription.id, patientId: patient.id, changes: diff({}, row) });
    // The mail only says that something is waiting in the portal (SPEC §5).
    await w.notify({
      kind: 'prescription_added',
      toEmail: patient.email,
      recipientUserId: patient.id,
      data: { firstName: patient.firstName },
      dedupeKey: `prescription_added:${prescription.id}`,
    });
    w.changed({ resource: 'prescription', id: prescription.id, action: 'created', patientId: patient.id });
    return toView(actor, { ...prescription, author, recordedBy, patient });
  });
}

export async function listPrescriptions(actor: Actor, query: ListPrescriptionsQuery = {}): Promise<Page<PrescriptionView>> {
  requireAccess(actor, 'prescription.read', 'prescription.readOwn');
  const q = parseInput(listPrescriptionsQuery, query);
  const patientId = scopeToOwn(actor, q.patientId);

  const qb = selectPrescriptions();
  if (patientId !== undefined) qb.andWhere('p.patientId = :patientId', { patientId });
  if (q.authorId) qb.andWhere('p.authorId = :authorId', { authorId: q.authorId });
  whereCreatedBetween(qb, 'p', q.from, q.to);
  const { key, direction } = parseSort(q.sort);
  qb.orderBy(SORT_COLUMNS[key as keyof typeof SORT_COLUMNS], direction).addOrderBy('p.id', direction);
  const { skip, take } = pageWindow(q);
  const [rows, total] = await qb.offset(skip).limit(take).getManyAndCount();

  await auditStaffListRead(actor, 'prescription', patientId, rows);
  return { items: rows.map((p) => toView(actor, p)), total, page: q.page, perPage: q.perPage };
}

export async function getPrescription(actor: Actor, id: number): Promise<PrescriptionView> {
  requireAccess(actor, 'prescription.read', 'prescription.readOwn');
  const prescriptionId = parseInput(recordId, id);
  const prescription = await selectPrescriptions().where('p.id = :prescriptionId', { prescriptionId }).getOne();
  requireVisible(actor, prescription, 'Prescription', ['prescription.read'], 'prescription.readOwn');
  await auditStaffRead(actor, 'prescription', prescription!.id, prescription!.patientId);
  return toView(actor, prescription!);
}

function selectPrescriptions() {
  return db().getRepository(Prescription).createQueryBuilder('p')
    .innerJoin('p.author', 'author').addSelect(['author.id', 'author.firstName', 'author.lastName'])
    .innerJoin('p.recordedBy', 'recordedBy').addSelect(['recordedBy.id', 'recordedBy.firstName', 'recordedBy.lastName'])
    .innerJoin('p.patient', 'patient').addSelect(['patient.id', 'patient.firstName', 'patient.lastName']);
}

type LoadedPrescription = Pick<Prescription, 'id' | 'patientId' | 'createdAt' | 'medication' | 'dosage' | 'instructions' | 'journalEntryId'> & {
  author: Pick<User, 'id' | 'firstName' | 'lastName'>;
  recordedBy: Pick<User, 'id' | 'firstName' | 'lastName'>;
  patient: Pick<User, 'id' | 'firstName' | 'lastName'>;
};

function toView(actor: Actor, p: LoadedPrescription): PrescriptionView {
  return {
    id: p.id,
    patientId: p.patientId,
    createdAt: p.createdAt,
    medication: p.medication,
    dosage: p.dosage,
    instructions: p.instructions,
    journalEntryId: p.journalEntryId,
    author: personRef(p.author),
    recordedBy: personRef(p.recordedBy),
    ...(actor.role !== 'patient' ? { patient: personRef(p.patient) } : {}),
  };
}
