import type { ActionContext, ResourceWithOptions } from 'adminjs';
import { Brackets } from 'typeorm';
import type { Actor } from '../../server/access/actor.js';
import { can, canAny, type Permission } from '../../server/access/policy.js';
import { ADMIN_MANAGED_STAFF, STAFF_ROLES } from '../../server/access/roles.js';
import { Invalid } from '../../server/shared/errors.js';
import { User } from '../../server/db/entities/user.js';
import type { ProfilePatchInput } from '../../server/users/index.js';
import { disabled, recordHref, serviceAction } from '../action-kit.js';
import { ClinicResource } from '../clinic-resource.js';
import { Components } from '../components.js';
import { actorOf } from '../current-admin.js';
import { NAV } from '../navigation.js';
import { projectPatient, projectStaff } from '../projection.js';
import { services } from '../services.js';
import { bookVisitAction } from './booking-actions.js';
import { addJournalEntryAction, addPrescriptionAction } from './record-actions.js';

const PATIENT_READERS: Permission[] = ['patient.read', 'patient.readContact', 'patient.readBasic'];
const STAFF_READERS: Permission[] = ['staff.read', 'staff.readDoctors'];
const hiddenEverywhere = { isVisible: false };
const listOnly = { isVisible: { list: true, show: true, filter: false, edit: false } };
const showOnly = { isVisible: { list: false, show: true, filter: false, edit: false } };
const filterable = { isVisible: { list: true, show: true, filter: true, edit: false } };
const doctorOnly = { list: Components.DoctorOnly, show: Components.DoctorOnly };

function userId(context: ActionContext): number {
  return Number(context.record?.id());
}

/**
 * Whether the actor may manage this account at all (SPEC rule 10), so the
 * panel does not offer buttons the service will refuse: nobody manages the
 * superuser or themselves, and only the superuser manages admins.
 */
function manages(actor: Actor, account: Record<string, unknown>): boolean {
  if (Number(account.id) === actor.id || account.role === 'superuser') return false;
  return account.role !== 'admin' || can(actor, 'admin.manage');
}

/** Block, unblock, delete and resend: shared by Patients and Staff; the service decides who may. */
function accountActions(resourceId: string, managePermission: 'patient.manage' | 'staff.manage') {
  return {
    block: serviceAction({
      actionType: 'record', label: 'Block', icon: 'Lock', variant: 'danger', access: managePermission,
      audit: { action: 'user.block', resource: 'user' },
      appliesTo: (r, actor) => r.isBlocked === false && manages(actor, r),
      intro: 'Blocking ends all of this person\'s sessions at once and stops new logins.',
      fields: [{ name: 'reason', label: 'Reason', type: 'textarea', required: true }],
      run: async (actor, p, c) => {
        await services.blockUser(actor, userId(c), p.reason ?? '');
        return { message: 'The account is blocked.', redirectUrl: recordHref(resourceId, userId(c)) };
      },
    }),
    unblock: serviceAction({
      actionType: 'record', label: 'Unblock', icon: 'Unlock', access: managePermission,
      audit: { action: 'user.unblock', resource: 'user' },
      appliesTo: (r, actor) => r.isBlocked === true && manages(actor, r),
      fields: [],
      run: async (actor, _p, c) => {
        await services.unblockUser(actor, userId(c));
        return { message: 'The account is unblocked.', redirectUrl: recordHref(resourceId, userId(c)) };
      },
    }),
    resendActivation: serviceAction({
      actionType: 'record', label: resourceId === 'Staff' ? 'Resend invitation' : 'Resend activation', icon: 'Mail', access: managePermission,
      audit: { action: 'user.resendActivation', resource: 'user' },
      appliesTo: (r, actor) => r.isActive === false && manages(actor, r),
      intro: resourceId === 'Staff'
        ? 'Sends a new invitation link (valid 72 hours); earlier links stop working.'
        : 'Sends a new activation link (valid 24 hours); earlier links stop working.',
      fields: [],
      run: async (actor, _p, c) => {
        await services.resendActivation(actor, userId(c));
        return { message: 'A new link is on its way.', redirectUrl: recordHref(resourceId, userId(c)) };
      },
    }),
    deleteAccount: serviceAction({
      actionType: 'record', label: 'Delete', icon: 'Trash2', variant: 'danger', access: managePermission,
      audit: { action: 'user.delete', resource: 'user' },
      appliesTo: (r, actor) => manages(actor, r),
      intro: 'People with future appointments or medical records cannot be deleted: block them instead.',
      fields: [],
      submitLabel: 'Delete for good',
      run: async (actor, _p, c) => {
        await services.deleteUser(actor, userId(c));
        return { message: 'The account is deleted.', redirectUrl: `/admin/resources/${resourceId}` };
      },
    }),
  };
}

export function patientsResource(): ResourceWithOptions {
  return {
    resource: new ClinicResource(User, {
      id: 'Patients',
      scope: (qb) => qb.andWhere("t.role = 'patient'"),
      readable: (actor) => canAny(actor, ...PATIENT_READERS),
      nameColumns: ['firstName', 'lastName'],
      sortable: ['createdAt', 'lastName'],
      defaultSort: { sortBy: 'createdAt', direction: 'desc' },
      project: projectPatient,
    }),
    options: {
      navigation: NAV.Patients,
      titleProperty: 'name',
      listProperties: ['lastName', 'firstName', 'dateOfBirth', 'email', 'phone', 'isActive', 'isBlocked', 'createdAt'],
      filterProperties: ['lastName', 'email', 'isBlocked', 'isActive', 'createdAt'],
      showProperties: [
        'id', 'name', 'email', 'phone', 'dateOfBirth', 'gender', 'heightCm', 'weightKg',
        'addressStreet', 'addressHouse', 'addressCity', 'addressRegion', 'addressCountry',
        'isActive', 'isBlocked', 'blockedAt', 'blockedReason', 'lastLoginAt', 'createdAt',
      ],
      sort: { sortBy: 'createdAt', direction: 'desc' },
      properties: {
        name: { type: 'string', ...showOnly },
        passwordHash: hiddenEverywhere,
        sessionEpoch: hiddenEverywhere,
        role: hiddenEverywhere,
        blockedById: { ...showOnly, reference: 'Staff' },
        lastName: filterable,
        email: filterable,
        dateOfBirth: { type: 'date', ...listOnly },
      },
      actions: {
        list: { isAccessible: isAnyOf(...PATIENT_READERS) },
        show: { isAccessible: isAnyOf(...PATIENT_READERS), custom: { label: 'Details' } },
        search: { isAccessible: isAnyOf(...PATIENT_READERS) },
        new: disabled,
        edit: { ...disabled },
        delete: disabled,
        bulkDelete: disabled,
        ...accountActions('Patients', 'patient.manage'),
        editProfile: serviceAction({
          actionType: 'record', label: 'Edit contact details', icon: 'Edit', access: 'patient.manage',
          audit: { action: 'user.update', resource: 'user' },
          fields: [
            { name: 'firstName', label: 'First name' }, { name: 'lastName', label: 'Last name' },
            { name: 'phone', label: 'Phone (E.164, e.g. +46701234567)' },
            { name: 'addressStreet', label: 'Street' }, { name: 'addressHouse', label: 'House' },
            { name: 'addressCity', label: 'City' }, { name: 'addressRegion', label: 'Region' }, { name: 'addressCountry', label: 'Country' },
          ],
          intro: 'Leave a field empty to keep it as it is.',
          run: async (actor, p, c) => {
            const patch: Record<string, unknown> = Object.fromEntries(Object.entries(p).filter(([, v]) => v !== ''));
            // A form sends text; the service takes height and weight as numbers.
            for (const [field, message] of [['heightCm', 'Give the height in whole centimetres, e.g. 172.'], ['weightKg', 'Give the weight in kilograms, e.g. 68.5.']]) {
              if (typeof patch[field] !== 'string') continue;
              if (!/^\d{1,3}(\.\d+)?$/.test(String(patch[field]).trim())) throw new Invalid('Some fields are not valid.', { [field]: message });
              patch[field] = Number(patch[field]);
            }
            await services.updateProfile(actor, userId(c), patch as ProfilePatchInput);
            return { message: 'Saved.', redirectUrl: recordHref('Patients', userId(c)) };
          },
        }),
        bookVisit: bookVisitAction(),
        addJournalEntry: addJournalEntryAction(),
        addPrescription: addPrescriptionAction(),
      },
    },
  };
}

export function staffResource(): ResourceWithOptions {
  return {
    resource: new ClinicResource(User, {
      id: 'Staff',
      scope: (qb, actor) => {
        qb.leftJoinAndSelect('t.doctorProfile', 'dp');
        // Operators see the doctors only (SPEC §4).
        if (actor && !can(actor, 'staff.read')) qb.andWhere("t.role = 'doctor'");
        else qb.andWhere(new Brackets((b) => b.where('t.role IN (:...staffRoles)', { staffRoles: [...STAFF_ROLES] })));
      },
      readable: (actor) => canAny(actor, ...STAFF_READERS),
      nameColumns: ['firstName', 'lastName'],
      sortable: ['lastName', 'createdAt'],
      defaultSort: { sortBy: 'lastName', direction: 'asc' },
      project: projectStaff,
    }),
    options: {
      navigation: NAV.Staff,
      titleProperty: 'name',
      listProperties: ['lastName', 'firstName', 'role', 'specialty', 'acceptingBookings', 'email', 'isBlocked'],
      filterProperties: ['lastName', 'role', 'email', 'isBlocked'],
      showProperties: ['id', 'name', 'role', 'specialty', 'acceptingBookings', 'email', 'phone', 'isActive', 'isBlocked', 'blockedAt', 'blockedReason', 'lastLoginAt', 'createdAt'],
      sort: { sortBy: 'lastName', direction: 'asc' },
      properties: {
        name: { type: 'string', ...showOnly },
        // A doctor's own fields: shown for doctors only (other staff may keep an old profile).
        specialty: { type: 'string', ...listOnly, components: doctorOnly },
        acceptingBookings: { type: 'boolean', ...listOnly, components: doctorOnly },
        passwordHash: hiddenEverywhere,
        sessionEpoch: hiddenEverywhere,
        role: { ...filterable, availableValues: STAFF_ROLES.map((r) => ({ value: r, label: r })) },
        lastName: filterable,
        email: filterable,
        blockedById: { ...showOnly, reference: 'Staff' },
      },
      actions: {
        list: { isAccessible: isAnyOf(...STAFF_READERS) },
        show: { isAccessible: isAnyOf(...STAFF_READERS), custom: { label: 'Details' } },
        search: { isAccessible: isAnyOf(...STAFF_READERS) },
        new: serviceAction({
          actionType: 'resource', label: 'Invite staff member', icon: 'UserPlus', access: 'staff.manage',
          audit: { action: 'user.invite', resource: 'user' },
          intro: 'The new colleague gets an email with a link (valid 72 hours) to set their own password.',
          fields: [
            { name: 'email', label: 'Email', required: true },
            { name: 'firstName', label: 'First name', required: true },
            { name: 'lastName', label: 'Last name', required: true },
            { name: 'role', label: 'Role', type: 'select', required: true },
            { name: 'specialty', label: 'Specialty (doctors)' },
            { name: 'phone', label: 'Phone (E.164)' },
          ],
          form: async (actor) => ({ choices: { role: grantableRoles(actor).map((r) => ({ value: r, label: r })) } }),
          run: async (actor, p) => {
            const user = await services.inviteStaff(actor, {
              email: p.email ?? '', firstName: p.firstName ?? '', lastName: p.lastName ?? '',
              role: p.role as never, specialty: p.specialty || null, phone: p.phone || null,
            });
            return { message: 'Invitation sent.', redirectUrl: recordHref('Staff', user.id) };
          },
        }),
        edit: disabled,
        delete: disabled,
        bulkDelete: disabled,
        ...accountActions('Staff', 'staff.manage'),
        changeRole: serviceAction({
          actionType: 'record', label: 'Change role', icon: 'Repeat', access: 'staff.manage',
          audit: { action: 'user.changeRole', resource: 'user' },
          appliesTo: (r, actor) => r.role !== 'admin' && manages(actor, r),
          intro: 'A role change ends this person\'s sessions.',
          fields: [
            { name: 'role', label: 'New role', type: 'select', required: true, options: ADMIN_MANAGED_STAFF.map((r) => ({ value: r, label: r })) },
            { name: 'specialty', label: 'Specialty (when becoming a doctor)' },
          ],
          run: async (actor, p, c) => {
            await services.changeRole(actor, userId(c), p.role as never, p.specialty || undefined);
            return { message: 'Role changed.', redirectUrl: recordHref('Staff', userId(c)) };
          },
        }),
        grantAdmin: serviceAction({
          actionType: 'record', label: 'Grant admin', icon: 'Award', access: 'admin.manage',
          audit: { action: 'user.grantAdmin', resource: 'user' },
          appliesTo: (r, actor) => r.role !== 'admin' && manages(actor, r),
          fields: [],
          run: async (actor, _p, c) => {
            await services.grantAdmin(actor, userId(c));
            return { message: 'Admin granted.', redirectUrl: recordHref('Staff', userId(c)) };
          },
        }),
        revokeAdmin: serviceAction({
          actionType: 'record', label: 'Revoke admin', icon: 'UserMinus', variant: 'danger', access: 'admin.manage',
          audit: { action: 'user.revokeAdmin', resource: 'user' },
          appliesTo: (r, actor) => r.role === 'admin' && manages(actor, r),
          fields: [
            { name: 'role', label: 'New role', type: 'select', required: true, options: ADMIN_MANAGED_STAFF.map((r) => ({ value: r, label: r })) },
            { name: 'specialty', label: 'Specialty (when becoming a doctor)' },
          ],
          run: async (actor, p, c) => {
            await services.revokeAdmin(actor, userId(c), (p.role || 'operator') as never, p.specialty || undefined);
            return { message: 'Admin revoked.', redirectUrl: recordHref('Staff', userId(c)) };
          },
        }),
        stopBookings: serviceAction({
          actionType: 'record', label: 'Stop bookings', icon: 'PauseCircle', variant: 'danger', access: 'doctor.setAccepting',
          audit: { action: 'doctor.setAccepting', resource: 'doctorProfile' },
          appliesTo: (r) => r.role === 'doctor' && r.acceptingBookings === true,
          intro: 'No new bookings for this doctor; their future visits stay and are listed for operators to rebook.',
          fields: [],
          run: async (actor, _p, c) => {
            await services.setDoctorAccepting(actor, userId(c), false);
            return { message: 'Bookings stopped.', redirectUrl: recordHref('Staff', userId(c)) };
          },
        }),
        resumeBookings: serviceAction({
          actionType: 'record', label: 'Resume bookings', icon: 'PlayCircle', access: 'doctor.setAccepting',
          audit: { action: 'doctor.setAccepting', resource: 'doctorProfile' },
          appliesTo: (r) => r.role === 'doctor' && r.acceptingBookings === false,
          fields: [],
          run: async (actor, _p, c) => {
            await services.setDoctorAccepting(actor, userId(c), true);
            return { message: 'Bookings resumed.', redirectUrl: recordHref('Staff', userId(c)) };
          },
        }),
      },
    },
  };
}

function grantableRoles(actor: Actor): string[] {
  return can(actor, 'admin.manage') ? [...ADMIN_MANAGED_STAFF, 'admin'] : [...ADMIN_MANAGED_STAFF];
}

function isAnyOf(...permissions: Permission[]) {
  return (context: ActionContext) => canAny(actorOf(context), ...permissions);
}

