import type { ActionContext, CurrentAdmin } from 'adminjs';
import type { Actor } from '../server/access/actor.js';
import type { Role } from '../server/access/roles.js';
import { config } from '../server/config.js';

/**
 * AdminJS's "current admin" is rebuilt on every request from the user the
 * session middleware has just re-read (never kept in the session), so a
 * blocked or demoted user loses the panel on their next click. The actor
 * rides along as a non-enumerable property: it reaches our handlers but is
 * never serialised into the page. The clinic's time zone rides along in
 * the open: the panel's screens show every time in it (SPEC §2), whatever
 * zone the staff member's computer is set to.
 */
export interface PanelAdmin extends CurrentAdmin {
  id: string;
  email: string;
  role: Role;
  title: string;
  timeZone: string;
}

const ACTOR = Symbol('actor');

export function panelAdmin(user: { id: number; email: string; role: Role; firstName: string; lastName: string }, actor: Actor): PanelAdmin {
  const admin: PanelAdmin = {
    id: String(user.id),
    email: user.email,
    role: user.role,
    title: `${user.firstName} ${user.lastName} · ${user.role}`,
    timeZone: config().clinic.timeZone,
  };
  Object.defineProperty(admin, ACTOR, { value: actor, enumerable: false });
  return admin;
}

export function actorOfAdmin(admin: CurrentAdmin | undefined | null): Actor | null {
  if (!admin) return null;
  return ((admin as unknown as Record<symbol, Actor>)[ACTOR] as Actor | undefined) ?? null;
}

export function actorOf(context: Pick<ActionContext, 'currentAdmin'> | undefined): Actor | null {
  return actorOfAdmin(context?.currentAdmin);
}
