import { z, type ZodType } from 'zod';
import { ADMIN_MANAGED_STAFF, GENDERS, ROLES } from '../access/roles.js';
import { fromZod } from '../http/errors.js';
import { isValidDate } from '../shared/clinic-time.js';
import { isWellFormedText, NOT_TEXT, wholeId } from '../shared/input.js';
import { pageQuery, sortParam } from '../shared/pagination.js';
import { normalizePhone } from '../shared/phone.js';

/**
 * Request shapes for people: the portal's routes and the panel's actions
 * parse with these (and the OpenAPI document is generated from them); the
 * services parse again, so a caller that skips the edge still cannot write
 * bad data.
 */
export const emailField = z
  .string('Enter your email address.')
  .trim()
  .toLowerCase()
  .max(254, 'At most 254 characters.')
  .pipe(z.email('Enter a valid email address.'));

/**
 * Letters of any script, combining marks, apostrophes, hyphens, spaces and
 * dots: "Zoë O'Brien-Łukasiewicz". A name may open with an apostrophe before
 * a letter, as Dutch ones do ("’t Hooft").
 */
export const personName = z
  .string()
  .trim()
  .min(1, 'Required.')
  .max(100, 'At most 100 characters.')
  .regex(/^['’]?\p{L}[\p{L}\p{M}'’. -]*$/u, 'Use letters, spaces, apostrophes and hyphens.');

export const phoneField = z
  .string()
  .transform(normalizePhone)
  .pipe(z.string().regex(/^\+[1-9]\d{6,14}$/, 'Use the international format, e.g. +46 70 123 45 67.'));

export const dateOfBirthField = z
  .string()
  .refine(isValidDate, 'Use a date as YYYY-MM-DD.');

export const passwordField = z.string('Enter a password.').max(1000, 'At most 1000 characters.').refine(isWellFormedText, NOT_TEXT);

const freeText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `At most ${max} characters.`)
    // eslint-disable-next-line no-control-regex
    .regex(/^[^\u0000-\u001f\u007f]*$/, 'Remove control characters.')
    .refine(isWellFormedText, NOT_TEXT)
    .nullish()
    .transform((v) => (v ? v : null));

/** A doctor's specialty: one line of text ("Cardiology"). */
const specialtyField = z
  .string()
  .trim()
  .min(1, 'Required.')
  .max(100, 'At most 100 characters.')
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u001f\u007f]*$/, 'Remove control characters.')
  .refine(isWellFormedText, NOT_TEXT);

/** Optional profile fields of SPEC §2 (address flat, as stored). */
const profileFields = {
  phone: phoneField.nullish().transform((v) => v ?? null),
  gender: z.enum(GENDERS).nullish().transform((v) => v ?? null),
  heightCm: z.number().int('Whole centimetres.').min(40, 'At least 40.').max(260, 'At most 260.').nullish().transform((v) => v ?? null),
  weightKg: z.number().min(2, 'At least 2.').max(400, 'At most 400.').multipleOf(0.1, 'One decimal at most.').nullish().transform((v) => v ?? null),
  addressStreet: freeText(200),
  addressHouse: freeText(20),
  addressCity: freeText(100),
  addressRegion: freeText(100),
  addressCountry: freeText(100),
};

export const registerPatientInput = z.strictObject({
  email: emailField,
  password: passwordField,
  firstName: personName,
  lastName: personName,
  dateOfBirth: dateOfBirthField,
  ...profileFields,
});
export type RegisterPatientInput = z.input<typeof registerPatientInput>;

/** A user's id as callers pass it (a path segment, a form field): a positive whole number, or 400. */
export const userIdField = wholeId('Give the account\'s id.');

export const tokenInput = z.strictObject({ token: z.string().trim().min(1, 'The link has no token.').max(200) });

export const passwordResetRequestInput = z.strictObject({ email: emailField });
export const passwordResetConfirmInput = z.strictObject({ token: z.string().trim().min(1).max(200), password: passwordField });
export const changePasswordInput = z.strictObject({ currentPassword: z.string().min(1, 'Enter your current password.').max(1000), newPassword: passwordField });

/** A profile edit: every field optional; `email` starts a verified change. */
export const profilePatchInput = z
  .strictObject({
    email: emailField,
    firstName: personName,
    lastName: personName,
    dateOfBirth: dateOfBirthField.nullable(),
    ...profileFields,
    // Doctors' profile, editable by admins.
    specialty: specialtyField,
    visitMinutes: z.number().int().min(15).max(240).multipleOf(15, 'Use steps of 15 minutes.'),
  })
  .partial();
export type ProfilePatchInput = z.input<typeof profilePatchInput>;

export const STAFF_INVITE_ROLES = ['admin', ...ADMIN_MANAGED_STAFF] as const;
export const inviteStaffInput = z.strictObject({
  email: emailField,
  role: z.enum(STAFF_INVITE_ROLES, 'Choose admin, doctor, operator or pharmacist.'),
  firstName: personName,
  lastName: personName,
  phone: phoneField.nullish().transform((v) => v ?? null),
  specialty: specialtyField.nullish().transform((v) => v ?? null),
  visitMinutes: z.number().int().min(15).max(240).multipleOf(15, 'Use steps of 15 minutes.').nullish().transform((v) => v ?? null),
});
export type InviteStaffInput = z.input<typeof inviteStaffInput>;

// A reason may run over lines; other control characters are junk.
// eslint-disable-next-line no-control-regex
const REASON_TEXT = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/;
export const blockInput = z.strictObject({
  reason: z.string().trim().min(1, 'Say why.').max(500, 'At most 500 characters.').regex(REASON_TEXT, 'Remove control characters.').refine(isWellFormedText, NOT_TEXT),
});
export const changeRoleInput = z.strictObject({
  role: z.enum(ADMIN_MANAGED_STAFF, 'Choose doctor, operator or pharmacist.'),
  specialty: specialtyField.optional(),
});

export const USER_SORT_KEYS = ['lastName', 'createdAt', 'email', 'lastLoginAt'] as const;
export const listUsersQuery = pageQuery.extend({
  role: z.enum(ROLES).optional(),
  q: z.string().trim().max(100).optional(),
  blocked: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  sort: sortParam(USER_SORT_KEYS, 'lastName'),
}).strict();
export type ListUsersQuery = z.input<typeof listUsersQuery>;

/** Parses with `schema`, or throws Invalid with field errors. */
export function parseInput<S extends ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw fromZod(parsed.error);
  return parsed.data;
}
