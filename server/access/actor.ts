import type { Role } from './roles.js';

/**
 * Who is acting, and from where. Every service takes one first.
 * `system` is the worker's scheduled jobs.
 */
export interface Actor {
  id: number | null;
  role: Role | 'system';
  ip?: string | null;
  userAgent?: string | null;
  requestId?: string | null;
}

export const SYSTEM_ACTOR: Actor = Object.freeze({ id: null, role: 'system' });

export function userActor(user: { id: number; role: Role }, meta: Omit<Actor, 'id' | 'role'> = {}): Actor {
  return { id: user.id, role: user.role, ...meta };
}
