import { z } from 'zod';
import { authFloodPrefix, portalUserSchema, toPortalUser } from '../auth/routes.js';
import { authRateLimit } from '../auth/rate-limit.js';
import { endSession } from '../auth/session.js';
import { type ApiBuilder } from '../http/openapi.js';
import { clientMeta } from '../http/request-context.js';
import { changePassword, deleteUser, getProfile, updateProfile, verifyEmailChange } from './index.js';
import { changePasswordInput, profilePatchInput, tokenInput } from './schemas.js';

/** A patient edits their own fields; the doctor-profile fields are the panel's. A new email only sends a verification link. */
const mePatch = profilePatchInput.omit({ specialty: true, visitMinutes: true });
const profileUpdateSchema = portalUserSchema.extend({ emailVerificationSentTo: z.string().nullable() }).meta({ id: 'ProfileUpdate' });

/**
 * Password changes per address per 10 minutes: the route checks the current
 * password, so without a ceiling a borrowed session could guess it (and try
 * it elsewhere) as fast as it likes.
 */
export const PASSWORD_CHANGE_LIMIT = 10;

export function meRoutes(api: ApiBuilder): void {
  api.route(
    { method: 'get', path: '/me', tag: 'Profile', auth: true, status: 200, summary: 'Own profile', response: portalUserSchema },
    async ({ actor }) => {
      return toPortalUser(await getProfile(actor, actor.id!));
    },
  );
  api.route(
    {
      method: 'patch', path: '/me', tag: 'Profile', auth: true, status: 200, summary: 'Edit own profile',
      description: 'Send only the fields to change (null clears an optional one). A new `email` is not changed at once: a verification link goes to the new address, named in `emailVerificationSentTo`.',
      body: mePatch, response: profileUpdateSchema, errors: { 409: 'The new email address is taken.' },
    },
    async ({ actor, body }) => {
      const { profile, emailVerificationSentTo } = await updateProfile(actor, actor.id!, body);
      return { ...toPortalUser(profile), emailVerificationSentTo };
    },
  );
  api.route(
    {
      method: 'post', path: '/me/password', tag: 'Profile', auth: true, status: 200, summary: 'Change own password',
      description: 'Needs the current password; the new one follows the password rules (at least 10 characters, not the email, not a common password). ' +
        'Every session of the account ends, this one included (SPEC rule 11): log in again with the new password.',
      body: changePasswordInput, response: z.object({ message: z.string() }),
      before: [authRateLimit({ limit: PASSWORD_CHANGE_LIMIT, prefix: `${authFloodPrefix()}password-change:` })],
      errors: {
        400: 'The current password is wrong (`fields.currentPassword`) or the new one too weak (`fields.newPassword`).',
        429: `More than ${PASSWORD_CHANGE_LIMIT} tries from this address in 10 minutes; see Retry-After.`,
      },
    },
    async ({ actor, req, res, body }) => {
      await changePassword(actor, body.currentPassword, body.newPassword);
      await endSession(req, res);
      return { message: 'Your password is changed. Log in with the new one.' };
    },
  );
  api.route(
    {
      method: 'delete', path: '/me', tag: 'Profile', auth: true, status: 204, summary: 'Delete own account',
      description: 'Refused (409) while there are future appointments or kept medical records (SPEC rule 8).',
      errors: { 409: 'Upcoming appointments or medical records exist.' },
    },
    async ({ actor, req, res }) => {
      await deleteUser(actor, actor.id!);
      await endSession(req, res);
    },
  );
  api.route(
    {
      method: 'post', path: '/me/email/verify', tag: 'Profile', status: 200, summary: 'Confirm a new email address',
      description: 'The token comes from the link mailed to the new address.',
      body: tokenInput, response: z.object({ email: z.string() }),
    },
    async ({ req, body }) => ({ email: (await verifyEmailChange(body.token, clientMeta(req))).email ?? '' }),
  );
}
