import { z } from 'zod';
import { dayEndOrInstant, dayStartOrInstant } from '../appointments/schemas.js';
import type { Actor } from '../access/actor.js';
import { can, requireAccess, requireVisible } from '../access/policy.js';
import { db } from '../db/data-source.js';
import { JournalEntry } from '../db/entities/journal-entry.js';
import { User } from '../db/entities/user.js';
import { clock } from '../shared/clock.js';
import { Forbidden, Invalid } from '../shared/errors.js';
import { pageQuery, pageWindow, parseSort, sortParam, type Page } from '../shared/pagination.js';
import { isWellFormedText, NOT_TEXT } from '../shared/input.js';
import { diff, inTransaction } from '../shared/unit-of-work.js';
import {
  auditStaffListRead, auditStaffRead, CONTROL_CHARACTERS, ONE_LINE, optionalText, TEXT, parseInput, personRef, recordId, requireActiveStaff, requirePatient,
  whereCreatedBetween, type PersonRef,
} from './shared.js';

/*
 * Journal entries (SPEC §2, rule 7): append-only. There is deliberately no
 * update or delete here; a correction is a new entry pointing at the old one.
 */

export const addJournalEntryInput = z.object({
  patientId: recordId,
  diagnosis: z.string().trim().min(1, 'Write the diagnosis.').max(500).regex(ONE_LINE, CONTROL_CHARACTERS).refine(isWellFormedText, NOT_TEXT),
  description: z.string().trim().min(1, 'Write a description.').max(20_000).regex(TEXT, CONTROL_CHARACTERS).refine(isWellFormedText, NOT_TEXT),
  plan: optionalText(20_000),
  correctsId: recordId.nullish(),
  /** Admins and the superuser write on a doctor's behalf and must name the doctor. */
  onBehalfOfDoctorId: recordId.nullish(),
});
export type AddJournalEntryInput = z.input<typeof addJournalEntryInput>;

export const JOURNAL_SORT_KEYS = ['createdAt', 'diagnosis'] as const;
export const listJournalQuery = pageQuery.extend({
  patientId: recordId.optional(),
  authorId: recordId.optional(),
  // Strict: a coerced date would take 2026-02-30 as 2 March.
  from: dayStartOrInstant.optional(),
  to: dayEndOrInstant.optional(),
  sort: sortParam(JOURNAL_SORT_KEYS, '-createdAt'),
});
export type ListJournalQuery = z.input<typeof listJournalQuery>;

/** What a pharmacist may see of an entry (SPEC §4: diagnosis only). */
export interface JournalDiagnosisView {
  id: number;
  patientId: number;
  createdAt: Date;
  diagnosis: string;
  author: PersonRef;
  patient?: PersonRef;
}

export interface JournalEntryView extends JournalDiagnosisView {
  description: string;
  plan: string | null;
  correctsId: number | null;
  /** Who typed it, when an admin wrote on the doctor's behalf. */
  recordedBy: PersonRef;
}

const SORT_COLUMNS: Record<(typeof JOURNAL_SORT_KEYS)[number], string> = {
  createdAt: 'j.createdAt',
  diagnosis: 'j.diagnosis',
};

export async function addJournalEntry(actor: Actor, input: AddJournalEntryInput): Promise<JournalEntryView> {
  requireAccess(actor, 'journal.add', 'journal.addOnBehalf');
  const data = parseInput(addJournalEntryInput, input);
  if (actor.id === null) throw new Forbidden('A journal entry needs a person who records it.');
  const writesOwn = actor.role === 'doctor';
  if (writesOwn && data.onBehalfOfDoctorId && data.onBehalfOfDoctorId !== actor.id) {
    throw new Forbidden('Doctors write journal entries in their own name.');
  }
  if (!writesOwn && !data.onBehalfOfDoctorId) {
    throw new Invalid('Name the doctor this entry is written for.', { onBehalfOfDoctorId: 'Choose the doctor responsible.' });
  }
  const recordedById = actor.id;

  return inTransaction(actor, async (w) => {
    const patient = await requirePatient(w.manager, data.patientId);
    const author = await requireActiveStaff(w.manager, writesOwn ? actor.id! : data.onBehalfOfDoctorId!, 'doctor', writesOwn ? 'authorId' : 'onBehalfOfDoctorId');
    const recordedBy = writesOwn ? author : await w.manager.findOneByOrFail(User, { id: recordedById });
    if (data.correctsId) {
      const corrected = await w.manager.findOneBy(JournalEntry, { id: data.correctsId });
      if (!corrected || corrected.patientId !== patient.id) {
        throw new Invalid('A correction must point at an entry of the same patient.', { correctsId: 'No entry of this patient with this id.' });
      }
    }
    const row = {
      patientId: patient.id,
      authorId: author.id,
      recordedById,
      diagnosis: data.diagnosis,
      description: data.description,
      plan: data.plan,
      correctsId: data.correctsId ?? null,
    };
    // The clinic's clock, not the database's, so tests and the seed agree on "when".
    const entry = await w.manager.save(w.manager.create(JournalEntry, { ...row, createdAt: clock.now() }));
    await w.audit({
      action: data.correctsId ? 'correct' : 'create',
      resource: 'journalEntry',
      recordId: entry.id,
      patientId: patient.id,
      changes: diff({}, row),
    });
    // The mail only says that something is waiting in the portal (SPEC §5).
    await w.notify({
      kind: 'journal_entry_added',
      toEmail: patient.email,
      recipientUserId: patient.id,
      data: { firstName: patient.firstName },
      dedupeKey: `journal_entry_added:${entry.id}`,
    });
    w.changed({ resource: 'journalEntry', id: entry.id, action: 'created', patientId: patient.id, doctorId: author.id });
    return toView(actor, { ...entry, author, recordedBy, patient }) as JournalEntryView;
  });
}

export async function listJournal(actor: Actor, query: ListJournalQuery = {}): Promise<Page<JournalEntryView | JournalDiagnosisView>> {
  requireAccess(actor, 'journal.read', 'journal.readDiagnosis', 'journal.readOwn');
  const q = parseInput(listJournalQuery, query);
  const patientId = scopeToOwn(actor, q.patientId);

  const qb = db().getRepository(JournalEntry).createQueryBuilder('j')
    .innerJoin('j.author', 'author').addSelect(['author.id', 'author.firstName', 'author.lastName'])
    .innerJoin('j.recordedBy', 'recordedBy').addSelect(['recordedBy.id', 'recordedBy.firstName', 'recordedBy.lastName'])
    .innerJoin('j.patient', 'patient').addSelect(['patient.id', 'patient.firstName', 'patient.lastName']);
  if (patientId !== undefined) qb.andWhere('j.patientId = :patientId', { patientId });
  if (q.authorId) qb.andWhere('j.authorId = :authorId', { authorId: q.authorId });
  whereCreatedBetween(qb, 'j', q.from, q.to);
  const { key, direction } = parseSort(q.sort);
  qb.orderBy(SORT_COLUMNS[key as keyof typeof SORT_COLUMNS], direction).addOrderBy('j.id', direction);
  const { skip, take } = pageWindow(q);
  // Many-to-one joins never multiply rows, so plain OFFSET/LIMIT is exact.
  const [entries, total] = await qb.offset(skip).limit(take).getManyAndCount();

  await auditStaffListRead(actor, 'journalEntry', patientId, entries);
  return { items: entries.map((e) => toView(actor, e)), total, page: q.page, perPage: q.perPage };
}

export async function getJournalEntry(actor: Actor, id: number): Promise<JournalEntryView | JournalDiagnosisView> {
  requireAccess(actor, 'journal.read', 'journal.readDiagnosis', 'journal.readOwn');
  const entryId = parseInput(recordId, id);
  const entry = await db().getRepository(JournalEntry).createQueryBuilder('j')
    .innerJoin('j.author', 'author').addSelect(['author.id', 'author.firstName', 'author.lastName'])
    .innerJoin('j.recordedBy', 'recordedBy').addSelect(['recordedBy.id', 'recordedBy.firstName', 'recordedBy.lastName'])
    .innerJoin('j.patient', 'patient').addSelect(['patient.id', 'patient.firstName', 'patient.lastName'])
    .where('j.id = :entryId', { entryId })
    .getOne();
  requireVisible(actor, entry, 'Journal entry', ['journal.read', 'journal.readDiagnosis'], 'journal.readOwn');
  await auditStaffRead(actor, 'journalEntry', entry!.id, entry!.patientId);
  return toView(actor, entry!);
}

/** A patient's lists are always their own; asking for someone else's is "not found". */
export function scopeToOwn(actor: Actor, patientId: number | undefined): number | undefined {
  if (actor.role !== 'patient') return patientId;
  if (patientId !== undefined && patientId !== actor.id) return -1;
  return actor.id!;
}

type LoadedEntry = Pick<JournalEntry, 'id' | 'patientId' | 'createdAt' | 'diagnosis' | 'description' | 'plan' | 'correctsId'> & {
  author: Pick<User, 'id' | 'firstName' | 'lastName'>;
  recordedBy: Pick<User, 'id' | 'firstName' | 'lastName'>;
  patient: Pick<User, 'id' | 'firstName' | 'lastName'>;
};

/** Shapes an entry for the caller: the server decides what leaves it, not the client. */
function toView(actor: Actor, e: LoadedEntry): JournalEntryView | JournalDiagnosisView {
  const isStaff = actor.role !== 'patient';
  const base: JournalDiagnosisView = {
    id: e.id,
    patientId: e.patientId,
    createdAt: e.createdAt,
    diagnosis: e.diagnosis,
    author: personRef(e.author),
    ...(isStaff ? { patient: personRef(e.patient) } : {}),
  };
  if (!can(actor, 'journal.read') && !can(actor, 'journal.readOwn')) return base;
  return { ...base, description: e.description, plan: e.plan, correctsId: e.correctsId, recordedBy: personRef(e.recordedBy) };
}
