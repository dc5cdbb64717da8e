import { z } from 'zod';
import { GENDERS, ROLES } from '../access/roles.js';
import type { User } from '../db/entities/user.js';
import type { UserView } from '../users/queries.js';
import { type ApiBuilder } from '../http/openapi.js';
import { clientMeta } from '../http/request-context.js';
import { confirmPasswordReset, requestPasswordReset } from '../users/passwords.js';
import { activateAccount, registerPatient } from '../users/registration.js';
import { passwordResetConfirmInput, passwordResetRequestInput, registerPatientInput, tokenInput } from '../users/schemas.js';
import { login, loginInput } from './login.js';
import { authRateLimit } from './rate-limit.js';
import { endSession, establishSession } from './session.js';

/**
 * Registration, activation, login, logout and password reset for patients.
 * One per-IP flood ceiling covers them all; the precise login lock (5 failures
 * → 10 minutes) is the login service's.
 */
/** What the portal shows of the logged-in user: their own profile, never secrets or staff fields. */
export const portalUserSchema = z
  .object({
    id: z.number().int(),
    email: z.string(),
    role: z.enum(ROLES),
    firstName: z.string(),
    lastName: z.string(),
    phone: z.string().nullable(),
    dateOfBirth: z.string().nullable().meta({ description: 'YYYY-MM-DD' }),
    gender: z.enum(GENDERS).nullable(),
    heightCm: z.number().nullable(),
    weightKg: z.number().nullable(),
    addressStreet: z.string().nullable(),
    addressHouse: z.string().nullable(),
    addressCity: z.string().nullable(),
    addressRegion: z.string().nullable(),
    addressCountry: z.string().nullable(),
  })
  .meta({ id: 'Me' });
export type PortalUser = z.infer<typeof portalUserSchema>;

export function toPortalUser(u: User | UserView): PortalUser {
  return {
    id: u.id, email: u.email ?? '', role: u.role, firstName: u.firstName, lastName: u.lastName, phone: u.phone ?? null,
    dateOfBirth: u.dateOfBirth ?? null, gender: u.gender ?? null, heightCm: u.heightCm ?? null, weightKg: u.weightKg ?? null,
    addressStreet: u.addressStreet ?? null, addressHouse: u.addressHouse ?? null, addressCity: u.addressCity ?? null,
    addressRegion: u.addressRegion ?? null, addressCountry: u.addressCountry ?? null,
  };
}

const accepted = z.object({ message: z.string() });
const FLOOD = 'Too many requests from this address; see Retry-After.';
const registeredSchema = portalUserSchema
  .extend({ isActive: z.literal(false).meta({ description: 'Until the mailed link is opened.' }), message: z.string() })
  .meta({ id: 'Registered' });

/**
 * The per-IP flood ceiling on every /api/auth route: generous, because one
 * address may be a whole clinic's Wi-Fi or a mobile carrier's NAT, and
 * because guessing is already stopped by the login locks (5 failures per
 * account, 30 per address). It stops scripted floods of registrations and
 * reset mails.
 */
export const AUTH_FLOOD_LIMIT = 600;
/** Its own Redis counter: the panel's login limiter (admin/auth.ts) keeps its stricter one. */
let floodPrefix = 'qhealth:rl:portal-auth:';

/** Tests give each run its own Redis counter, so files and re-runs don't eat each other's allowance. */
export function setAuthFloodPrefix(prefix: string): void {
  floodPrefix = prefix;
}

/** The Redis prefix under which this app's portal limiters count (another limiter adds its own suffix). */
export function authFloodPrefix(): string {
  return floodPrefix;
}

export function authRoutes(api: ApiBuilder): void {
  const limit = [authRateLimit({ limit: AUTH_FLOOD_LIMIT, prefix: floodPrefix })];
  api.route(
    {
      method: 'post', path: '/auth/register', tag: 'Account', status: 201, before: limit,
      summary: 'Register as a patient',
      description: 'Creates an inactive patient account and mails an activation link (valid 24 hours). Answers the new account, as GET /api/me will once it is active.',
      body: registerPatientInput, response: registeredSchema, errors: { 409: 'The email address is taken.', 429: FLOOD },
    },
    async ({ req, body }) => {
      const patient = await registerPatient(body, clientMeta(req));
      return { ...toPortalUser(patient), isActive: false, message: 'Check your email for the activation link.' };
    },
  );
  api.route(
    {
      method: 'post', path: '/auth/activate', tag: 'Account', status: 200, before: limit,
      summary: 'Activate an account with the mailed token',
      body: tokenInput, response: accepted,
      errors: { 400: 'The token is unknown, used or expired (24 hours).', 429: FLOOD },
    },
    async ({ req, body }) => {
      await activateAccount(body.token, clientMeta(req));
      return { message: 'Your account is active. You can log in now.' };
    },
  );
  api.route(
    {
      method: 'post', path: '/auth/login', tag: 'Account', status: 200, before: limit,
      summary: 'Log in (patients)',
      description: 'Sets the session cookie. Wrong email, wrong password and staff accounts get the same 401. Five failures lock the login for 10 minutes (429 with Retry-After).',
      body: loginInput, response: portalUserSchema,
      errors: { 401: 'Wrong email or password, or the account is not active.', 429: 'Locked after five failures, or too many requests; see Retry-After.' },
    },
    async ({ req, body }) => {
      const meta = clientMeta(req);
      const user = await login(body, { ip: meta.ip ?? 'unknown', userAgent: meta.userAgent, channel: 'portal' });
      await establishSession(req, user, 'portal');
      return toPortalUser(user);
    },
  );
  api.route(
    { method: 'post', path: '/auth/logout', tag: 'Account', status: 204, summary: 'Log out (ends the session)' },
    async ({ req, res }) => {
      await endSession(req, res);
    },
  );
  api.route(
    {
      method: 'post', path: '/auth/password-reset', tag: 'Account', status: 202, before: limit,
      summary: 'Ask for a password reset link',
      description: 'Answers 202 whether or not the address has an account; the link is valid 30 minutes.',
      body: passwordResetRequestInput, response: accepted, errors: { 429: FLOOD },
    },
    async ({ req, body }) => {
      await requestPasswordReset(body.email, clientMeta(req));
      return { message: 'If an account uses this address, a reset link is on its way.' };
    },
  );
  api.route(
    {
      method: 'post', path: '/auth/password-reset/confirm', tag: 'Account', status: 200, before: limit,
      summary: 'Set a new password with the mailed token',
      body: passwordResetConfirmInput, response: accepted,
      errors: { 400: 'The token is unknown, used or expired (30 minutes), or the password is too weak (`fields.password`).', 429: FLOOD },
    },
    async ({ req, body }) => {
      await confirmPasswordReset(body.token, body.password, clientMeta(req));
      return { message: 'Your password is changed. Log in with the new one.' };
    },
  );
}
