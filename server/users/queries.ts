import type { Actor } from '../access/actor.js';
import { can, requireAccess } from '../access/policy.js';
import { STAFF_ROLES, type Gender, type Role } from '../access/roles.js';
import { db } from '../db/data-source.js';
import { User } from '../db/entities/user.js';
import { NotFound } from '../shared/errors.js';
import { pageWindow, parseSort, type Page } from '../shared/pagination.js';
import { parseUserId } from './common.js';
import { listUsersQuery, parseInput, type ListUsersQuery } from './schemas.js';

/**
 * Reading people, shaped per role (SPEC §4): what a role may not see is not
 * in the answer at all. The password hash never is.
 */
export interface UserView {
  id: number;
  role: Role;
  firstName: string;
  lastName: string;
  email?: string;
  phone?: string | null;
  dateOfBirth?: string | null;
  gender?: Gender | null;
  heightCm?: number | null;
  weightKg?: number | null;
  addressStreet?: string | null;
  addressHouse?: string | null;
  addressCity?: string | null;
  addressRegion?: string | null;
  addressCountry?: string | null;
  isActive?: boolean;
  isBlocked?: boolean;
  blockedAt?: Date | null;
  blockedById?: number | null;
  blockedReason?: string | null;
  lastLoginAt?: Date | null;
  createdAt?: Date;
  updatedAt?: Date;
  doctorProfile?: { specialty: string; acceptingBookings: boolean; visitMinutes: number } | null;
}

export type ViewLevel = 'full' | 'staffCard' | 'contact' | 'basic';

/** How much of `target` the actor may see, or null for nothing (→ 404). */
export function viewLevel(actor: Actor, target: Pick<User, 'id' | 'role'>): ViewLevel | null {
  if (actor.id !== null && actor.id === target.id) return 'full';
  if (target.role === 'patient') {
    if (can(actor, 'patient.read')) return 'full';
    if (can(actor, 'patient.readContact')) return 'contact';
    if (can(actor, 'patient.readBasic')) return 'basic';
    return null;
  }
  if (can(actor, 'staff.manage')) return 'full';
  if (can(actor, 'staff.read')) return 'staffCard';
  if (target.role === 'doctor' && can(actor, 'staff.readDoctors')) return 'staffCard';
  return null;
}

export function shapeUser(user: User, level: ViewLevel): UserView {
  const base: UserView = { id: user.id, role: user.role, firstName: user.firstName, lastName: user.lastName };
  const profile = user.doctorProfile
    ? { specialty: user.doctorProfile.specialty, acceptingBookings: user.doctorProfile.acceptingBookings, visitMinutes: user.doctorProfile.visitMinutes }
    : user.role === 'doctor' ? null : undefined;
  switch (level) {
    case 'basic':
      return { ...base, dateOfBirth: user.dateOfBirth };
    case 'contact':
      return { ...base, email: user.email, phone: user.phone, dateOfBirth: user.dateOfBirth };
    case 'staffCard':
      return {
        ...base, email: user.email, phone: user.phone, isActive: user.isActive, isBlocked: user.isBlocked,
        ...(profile !== undefined ? { doctorProfile: profile } : {}),
      };
    case 'full':
      return {
        ...base,
        email: user.email, phone: user.phone, dateOfBirth: user.dateOfBirth, gender: user.gender,
        heightCm: user.heightCm, weightKg: user.weightKg,
        addressStreet: user.addressStreet, addressHouse: user.addressHouse, addressCity: user.addressCity,
        addressRegion: user.addressRegion, addressCountry: user.addressCountry,
        isActive: user.isActive, isBlocked: user.isBlocked, blockedAt: user.blockedAt, blockedById: user.blockedById,
        blockedReason: user.blockedReason, lastLoginAt: user.lastLoginAt, createdAt: user.createdAt, updatedAt: user.updatedAt,
        ...(profile !== undefined ? { doctorProfile: profile } : {}),
      };
  }
}

/** One user as the actor may see them; 404 when they may not. */
export async function getUser(actor: Actor, id: number): Promise<UserView> {
  requireAccess(actor, 'patient.read', 'patient.readContact', 'patient.readBasic', 'staff.read', 'staff.readDoctors', 'self.profile');
  const user = await db().getRepository(User).findOne({ where: { id: parseUserId(id) }, relations: { doctorProfile: true } });
  const level = user ? viewLevel(actor, user) : null;
  if (!user || !level) throw new NotFound('User');
  return shapeUser(user, level);
}

/** The roles whose accounts the actor may list. */
export function listableRoles(actor: Actor): Role[] {
  const roles: Role[] = [];
  if (can(actor, 'staff.read')) roles.push(...STAFF_ROLES);
  else if (can(actor, 'staff.readDoctors')) roles.push('doctor');
  if (can(actor, 'patient.read') || can(actor, 'patient.readContact') || can(actor, 'patient.readBasic')) roles.push('patient');
  return roles;
}

/** People the actor may see, paged, filtered by role, name (and email where visible) and blocked state. */
export async function listUsers(actor: Actor, query: ListUsersQuery): Promise<Page<UserView>> {
  requireAccess(actor, 'patient.read', 'patient.readContact', 'patient.readBasic', 'staff.read', 'staff.readDoctors');
  const q = parseInput(listUsersQuery, query);
  const visible = listableRoles(actor);
  const roles = q.role ? visible.filter((r) => r === q.role) : visible;
  if (!roles.length) return { items: [], total: 0, page: q.page, perPage: q.perPage };

  const builder = db()
    .getRepository(User)
    .createQueryBuilder('u')
    .leftJoinAndSelect('u.doctorProfile', 'dp')
    .where('u.role IN (:...roles)', { roles });
  if (q.q) {
    // '!' escapes the wildcards the same way on MariaDB and SQLite (backslash is not SQLite's default).
    const like = `%${q.q.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`;
    const byEmail = can(actor, 'patient.readContact') ? " OR u.email LIKE :like ESCAPE '!'" : '';
    builder.andWhere(`(LOWER(u.firstName) LIKE :like ESCAPE '!' OR LOWER(u.lastName) LIKE :like ESCAPE '!'${byEmail})`, { like });
  }
  if (q.blocked !== undefined) builder.andWhere('u.isBlocked = :blocked', { blocked: q.blocked });
  const { key, direction } = parseSort(q.sort);
  builder.orderBy(`u.${key}`, direction).addOrderBy('u.id', direction);
  const { skip, take } = pageWindow(q);
  const [users, total] = await builder.skip(skip).take(take).getManyAndCount();
  return {
    items: users.map((u) => shapeUser(u, viewLevel(actor, u)!)),
    total,
    page: q.page,
    perPage: q.perPage,
  };
}
