import type { Actor } from '../access/actor.js';
import { canAny, type Permission } from '../access/policy.js';
import type { ChangeEvent, LiveResource } from './changes.js';

/** Staff receive an event when their role may list that resource (SPEC §4). */
const STAFF_LIST_PERMISSIONS: Record<LiveResource, Permission[]> = {
  diagnostic: ['diagnostic.read', 'diagnostic.readActive'],
  appointment: ['appointment.read'],
  journalEntry: ['journal.read', 'journal.readDiagnosis'],
  prescription: ['prescription.read'],
};

/** A patient receives events about their own records only (SPEC §6). */
const OWN_PERMISSIONS: Partial<Record<LiveResource, Permission>> = {
  appointment: 'appointment.readOwn',
  journalEntry: 'journal.readOwn',
  prescription: 'prescription.readOwn',
};

export function mayReceive(actor: Actor, change: ChangeEvent): boolean {
  if (actor.id === null || actor.role === 'system') return false;
  if (actor.role === 'patient') {
    // The catalogue is about no patient and is the patients' to browse (SPEC §6 lists it among live lists).
    if (change.resource === 'diagnostic') return canAny(actor, 'diagnostic.readActive');
    const own = OWN_PERMISSIONS[change.resource];
    return !!own && change.patientId !== null && change.patientId === actor.id && canAny(actor, own);
  }
  return canAny(actor, ...STAFF_LIST_PERMISSIONS[change.resource]);
}

/** What a stream carries: only what changed, never who or what it is about. */
export function wireEvent(change: ChangeEvent): { resource: LiveResource; id: number; action: ChangeEvent['action'] } {
  return { resource: change.resource, id: change.id, action: change.action };
}
