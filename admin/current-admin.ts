import type { ActionContext, CurrentAdmin } from 'adminjs';
import type { Actor } from '../server/access/actor.js';
import type { Role } from '../server/access/roles.js';

/**
 * AdminJS's "current admin" is rebuilt on every request from the user the
 * session middleware has just re-read (never kept in the session), so a
 * blocked or demoted user loses the panel on their next click. The actor
 * rides along as a non-enumerable property: it reaches our handlers but is
 * never serialised into the page.
 */
export interface PanelAdmin extends CurrentAdmin {
  id: string;
  email: string;
  role: Role;
  title: string;
}

const ACTOR = Symbol('actor');

export function panelAdmin(user: { id: number; email: string; role: Role; firstName: string; lastName: string }, actor: Actor): PanelAdmin {
  const admin: PanelAdmin = {
    id: String(user.id),
    email: user.email,
    role: user.role,
    title: `${user.firstName} ${user.lastName} · ${user.role}`,
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
