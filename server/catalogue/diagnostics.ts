import { z } from 'zod';
import type { Actor } from '../access/actor.js';
import { can, requireAccess } from '../access/policy.js';
import { db } from '../db/data-source.js';
import { Appointment } from '../db/entities/appointment.js';
import { Diagnostic, diagnosticNameKey } from '../db/entities/diagnostic.js';
import { fromZod } from '../http/errors.js';
import { Conflict, NotFound } from '../shared/errors.js';
import { wholeId } from '../shared/input.js';
import { pageWindow, parseSort, type Page } from '../shared/pagination.js';
import { diff, inTransaction, isForeignKeyViolation, isUniqueViolation, type Work } from '../shared/unit-of-work.js';
import {
  diagnosticInput, diagnosticListQuery, diagnosticPatch,
  type DiagnosticInput, type DiagnosticListQuery, type DiagnosticPatch,
} from './schemas.js';

/** The diagnostics catalogue (SPEC §2): staff read all, patients the active items only. */
export interface DiagnosticView {
  id: number;
  name: string;
  description: string | null;
  durationMinutes: number;
  isActive: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export type RemoveOutcome = { outcome: 'deleted'; id: number } | { outcome: 'deactivated'; diagnostic: DiagnosticView };

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw fromZod(parsed.error);
  return parsed.data;
}

function view(d: Diagnostic): DiagnosticView {
  return {
    id: d.id, name: d.name, description: d.description, durationMinutes: d.durationMinutes,
    isActive: d.isActive, createdAt: d.createdAt, updatedAt: d.updatedAt,
  };
}

function snapshot(d: Diagnostic) {
  return { name: d.name, description: d.description, durationMinutes: d.durationMinutes, isActive: d.isActive };
}

function nameTaken(name: string): Conflict {
  const message = `A diagnostic named "${name.trim()}" already exists.`;
  return new Conflict(message, 'conflict', { name: message });
}

/** Escapes LIKE wildcards so a search for "50%" means the characters ('!' escapes the same on both drivers; a backslash does not). */
function likePattern(q: string): string {
  return `%${diagnosticNameKey(q).replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

/** Whether a catalogue reader sees inactive items too. */
function seesInactive(actor: Actor): boolean {
  return can(actor, 'diagnostic.read');
}

export async function listDiagnostics(actor: Actor, query: DiagnosticListQuery = {}): Promise<Page<DiagnosticView>> {
  requireAccess(actor, 'diagnostic.read', 'diagnostic.readActive');
  const q = parse(diagnosticListQuery, query);
  const { key, direction } = parseSort(q.sort);
  const qb = db().getRepository(Diagnostic).createQueryBuilder('d');
  if (!seesInactive(actor)) qb.andWhere('d.isActive = :active', { active: true });
  else if (q.active !== undefined) qb.andWhere('d.isActive = :active', { active: q.active });
  if (q.q) qb.andWhere("d.nameKey LIKE :pattern ESCAPE '!'", { pattern: likePattern(q.q) });
  qb.orderBy(`d.${key}`, direction).addOrderBy('d.id', direction);
  const { skip, take } = pageWindow(q);
  const [rows, total] = await qb.skip(skip).take(take).getManyAndCount();
  return { items: rows.map(view), total, page: q.page, perPage: q.perPage };
}

const diagnosticId = wholeId('Use a record id: a whole number from 1.');

export async function getDiagnostic(actor: Actor, id: number): Promise<DiagnosticView> {
  requireAccess(actor, 'diagnostic.read', 'diagnostic.readActive');
  id = parse(diagnosticId, id);
  const found = await db().getRepository(Diagnostic).findOneBy({ id });
  if (!found || (!found.isActive && !seesInactive(actor))) throw new NotFound('Diagnostic');
  return view(found);
}

/** Runs a catalogue change; the unique index on nameKey is the last word on duplicate names (two admins at once). */
async function writeCatalogue<T>(actor: Actor, name: string | undefined, work: (w: Work) => Promise<T>): Promise<T> {
  try {
    return await inTransaction(actor, work);
  } catch (err) {
    if (name !== undefined && isUniqueViolation(err)) throw nameTaken(name);
    // Several inserts of one name can also end in an InnoDB deadlock past the retries: the same lost race.
    const code = (err as { code?: string }).code ?? (err as { driverError?: { code?: string } }).driverError?.code;
    if (name !== undefined && code === 'ER_LOCK_DEADLOCK'
      && await db().getRepository(Diagnostic).existsBy({ nameKey: diagnosticNameKey(name) })) throw nameTaken(name);
    throw err;
  }
}

async function assertNameFree(w: Work, name: string, exceptId?: number): Promise<void> {
  const clash = await w.manager.getRepository(Diagnostic).findOneBy({ nameKey: diagnosticNameKey(name) });
  if (clash && clash.id !== exceptId) throw nameTaken(name);
}

export async function createDiagnostic(actor: Actor, input: DiagnosticInput): Promise<DiagnosticView> {
  requireAccess(actor, 'diagnostic.manage');
  const data = parse(diagnosticInput, input);
  return writeCatalogue(actor, data.name, async (w) => {
    await assertNameFree(w, data.name);
    const repo = w.manager.getRepository(Diagnostic);
    const created = await repo.save(repo.create(data));
    await w.audit({ action: 'diagnostic.create', resource: 'diagnostic', recordId: created.id, changes: diff({}, snapshot(created)) });
    w.changed({ resource: 'diagnostic', id: created.id, action: 'created', patientId: null });
    return view(created);
  });
}

export async function updateDiagnostic(actor: Actor, id: number, patch: DiagnosticPatch): Promise<DiagnosticView> {
  requireAccess(actor, 'diagnostic.manage');
  id = parse(diagnosticId, id);
  const data = parse(diagnosticPatch, patch);
  return writeCatalogue(actor, data.name, async (w) => {
    const repo = w.manager.getRepository(Diagnostic);
    const current = await repo.findOneBy({ id });
    if (!current) throw new NotFound('Diagnostic');
    if (data.name !== undefined) await assertNameFree(w, data.name, id);
    const before = snapshot(current);
    const next = Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined));
    Object.assign(current, next);
    const saved = await repo.save(current);
    const changes = diff(before, snapshot(saved));
    if (Object.keys(changes).length > 0) {
      await w.audit({ action: 'diagnostic.update', resource: 'diagnostic', recordId: id, changes });
      w.changed({ resource: 'diagnostic', id, action: 'updated', patientId: null });
    }
    return view(saved);
  });
}

export async function setDiagnosticActive(actor: Actor, id: number, isActive: boolean): Promise<DiagnosticView> {
  requireAccess(actor, 'diagnostic.manage');
  id = parse(diagnosticId, id);
  isActive = parse(z.boolean(), isActive);
  return inTransaction(actor, (w) => setActiveIn(w, id, isActive));
}

async function setActiveIn(w: Work, id: number, isActive: boolean): Promise<DiagnosticView> {
  const repo = w.manager.getRepository(Diagnostic);
  const current = await repo.findOneBy({ id });
  if (!current) throw new NotFound('Diagnostic');
  if (current.isActive === isActive) return view(current);
  await repo.update({ id }, { isActive });
  await w.audit({
    action: isActive ? 'diagnostic.activate' : 'diagnostic.deactivate', resource: 'diagnostic', recordId: id,
    changes: diff({ isActive: current.isActive }, { isActive }),
  });
  w.changed({ resource: 'diagnostic', id, action: 'updated', patientId: null });
  return view((await repo.findOneBy({ id }))!);
}

/**
 * Deletes a diagnostic nobody ever booked; one that appointments point at is
 * only deactivated, so history keeps its name (SPEC §2). The foreign key
 * (RESTRICT) catches a request that slips in between the check and the delete.
 */
export async function removeDiagnostic(actor: Actor, id: number): Promise<RemoveOutcome> {
  requireAccess(actor, 'diagnostic.manage');
  id = parse(diagnosticId, id);
  try {
    return await inTransaction(actor, async (w): Promise<RemoveOutcome> => {
      const current = await w.manager.getRepository(Diagnostic).findOneBy({ id });
      if (!current) throw new NotFound('Diagnostic');
      const referenced = await w.manager.getRepository(Appointment).exists({ where: { diagnosticId: id } });
      if (referenced) return { outcome: 'deactivated', diagnostic: await setActiveIn(w, id, false) };
      await w.manager.getRepository(Diagnostic).delete({ id });
      await w.audit({ action: 'diagnostic.delete', resource: 'diagnostic', recordId: id, changes: diff<Record<string, unknown>>(snapshot(current), { name: null, description: null, durationMinutes: null, isActive: null }) });
      w.changed({ resource: 'diagnostic', id, action: 'deleted', patientId: null });
      return { outcome: 'deleted', id };
    });
  } catch (err) {
    if (!isForeignKeyViolation(err)) throw err;
    return { outcome: 'deactivated', diagnostic: await inTransaction(actor, (w) => setActiveIn(w, id, false)) };
  }
}
