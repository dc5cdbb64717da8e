import type { ActionContext, RecordJSON } from 'adminjs';
import { recordHref } from './action-kit.js';

/**
 * Names of people (staff or patients) by id, for columns that hold a user id
 * of either kind (the audit log's actor). They are read through the Staff and
 * Patients resources themselves, so the same scope and projection apply as
 * anywhere in the panel (SPEC §4): a person the role may not see gets no
 * name, and nothing else of theirs leaves the server.
 */
export interface PersonName { name: string; href: string }

export async function peopleNames(context: ActionContext, ids: unknown[]): Promise<Map<number, PersonName>> {
  const wanted = [...new Set(ids.map(Number).filter((id) => Number.isInteger(id) && id > 0))];
  const names = new Map<number, PersonName>();
  for (const resourceId of ['Staff', 'Patients']) {
    const missing = wanted.filter((id) => !names.has(id));
    if (!missing.length) break;
    const resource = context._admin.findResource(resourceId);
    for (const record of await resource.findMany(missing, context)) {
      const name = String(record.get('name') ?? '').trim();
      if (name) names.set(Number(record.id()), { name, href: recordHref(resourceId, record.id()) });
    }
  }
  return names;
}

/**
 * Puts the actor's name (and where to open them) beside `actorId` in each
 * record of an action's answer. A staff actor already came with the record
 * (the column references Staff); only the others are read.
 */
export async function withActorNames(records: RecordJSON[], context: ActionContext): Promise<void> {
  const names = new Map<number, PersonName>();
  for (const record of records) {
    const staff = record.populated?.actorId;
    const name = String(staff?.params?.name ?? '').trim();
    if (staff && name) names.set(Number(staff.id), { name, href: recordHref('Staff', staff.id) });
  }
  const others = records.map((r) => r.params.actorId).filter((id) => !names.has(Number(id)));
  if (others.length) for (const [id, person] of await peopleNames(context, others)) names.set(id, person);
  for (const record of records) {
    const person = names.get(Number(record.params.actorId));
    record.params.actorName = person?.name ?? null;
    record.params.actorHref = person?.href ?? null;
  }
}
