import { userActor, type Actor } from '../access/actor.js';
import { requireAccess } from '../access/policy.js';
import { DoctorProfile } from '../db/entities/doctor-profile.js';
import { User } from '../db/entities/user.js';
import { Forbidden, Invalid, NotFound, Unauthenticated } from '../shared/errors.js';
import { diff, inTransaction, isUniqueViolation, type Work } from '../shared/unit-of-work.js';
import { ADULT_AGE, ageOn, MAX_AGE, anonymousActor, auditAs, emailTaken, lockUser, parseUserId, patientIdOf, requireManage, type ClientMeta } from './common.js';
import { getUser, shapeUser, viewLevel, type UserView } from './queries.js';
import { emailField, parseInput, profilePatchInput, type ProfilePatchInput } from './schemas.js';
import { consumeToken, issueToken, link } from './tokens.js';

/**
 * Profiles: a patient edits their own; admins (and the superuser) edit the
 * accounts rule 10 lets them manage. An email address changes only once the
 * link sent to the NEW address is opened.
 */
export async function getProfile(actor: Actor, userId: number = actor.id ?? 0): Promise<UserView> {
  if (actor.id === null) throw new Unauthenticated();
  return getUser(actor, userId);
}

export interface ProfileUpdate {
  profile: UserView;
  /** Set when the patch asked for a new email: the verification link went there. */
  emailVerificationSentTo: string | null;
}

const USER_FIELDS = [
  'firstName', 'lastName', 'phone', 'dateOfBirth', 'gender', 'heightCm', 'weightKg',
  'addressStreet', 'addressHouse', 'addressCity', 'addressRegion', 'addressCountry',
] as const;

export async function updateProfile(actor: Actor, userId: number, patch: ProfilePatchInput): Promise<ProfileUpdate> {
  requireAccess(actor, 'self.profile', 'patient.manage', 'staff.manage', 'staff.read', 'staff.readDoctors');
  const id = parseUserId(userId);
  const data = parseInput(profilePatchInput, patch);
  return inTransaction(actor, async (w) => {
    const user = await lockUser(w.manager, id);
    if (!viewLevel(actor, user)) throw new NotFound('User');
    requireManage(actor, user, 'edit');
    // Patients edit only themselves; staff other than admins edit nobody's profile but their own.
    if (actor.id !== user.id && actor.role !== 'admin' && actor.role !== 'superuser') throw new Forbidden();

    const changes: Partial<User> = {};
    for (const key of USER_FIELDS) {
      if (data[key] !== undefined) (changes as Record<string, unknown>)[key] = data[key];
    }
    if (changes.dateOfBirth !== undefined && user.role === 'patient') {
      if (!changes.dateOfBirth) throw new Invalid('Some fields are not valid.', { dateOfBirth: 'Required.' });
      if (ageOn(changes.dateOfBirth) < ADULT_AGE) {
        throw new Invalid('Some fields are not valid.', { dateOfBirth: `Patients must be at least ${ADULT_AGE} years old.` });
      }
    }
    // The same bounds as registration: no one is born tomorrow or 131 years ago.
    if (changes.dateOfBirth) {
      const age = ageOn(changes.dateOfBirth);
      if (age < 0 || age > MAX_AGE) throw new Invalid('Some fields are not valid.', { dateOfBirth: 'Check the year.' });
    }
    const before = Object.fromEntries(Object.keys(changes).map((k) => [k, user[k as keyof User]])) as Partial<User>;
    const auditChanges = diff(before, changes);
    if (Object.keys(auditChanges).length) {
      await w.manager.update(User, { id: user.id }, changes);
      Object.assign(user, changes);
    }

    if (data.specialty !== undefined || data.visitMinutes !== undefined) {
      Object.assign(auditChanges, await updateDoctorProfile(w, actor, user, data));
    }
    let emailVerificationSentTo: string | null = null;
    if (data.email !== undefined && data.email !== user.email) {
      await sendEmailChange(w, user, data.email);
      emailVerificationSentTo = data.email;
    }
    if (Object.keys(auditChanges).length) {
      await w.audit({ action: 'user.update', resource: 'user', recordId: user.id, patientId: patientIdOf(user), changes: auditChanges });
    }
    const fresh = await w.manager.findOneOrFail(User, { where: { id: user.id }, relations: { doctorProfile: true } });
    return { profile: shapeUser(fresh, viewLevel(actor, fresh)!), emailVerificationSentTo };
  });
}

async function updateDoctorProfile(w: Work, actor: Actor, user: User, data: { specialty?: string; visitMinutes?: number }) {
  if (user.role !== 'doctor') throw new Invalid('Some fields are not valid.', { specialty: 'Only doctors have a specialty.' });
  // A doctor's bookable length and specialty are the clinic's to set.
  requireAccess(actor, 'staff.manage');
  const profile = await w.manager.findOneBy(DoctorProfile, { userId: user.id });
  if (!profile) throw new NotFound('Doctor profile');
  const next = {
    ...(data.specialty !== undefined ? { specialty: data.specialty } : {}),
    ...(data.visitMinutes !== undefined ? { visitMinutes: data.visitMinutes } : {}),
  };
  const changes = diff(profile, next);
  if (Object.keys(changes).length) await w.manager.update(DoctorProfile, { userId: user.id }, next);
  return changes;
}

/** Sends a verification link to `newEmail` for the actor's own account (or one they manage). */
export async function requestEmailChange(actor: Actor, newEmail: string, userId: number = actor.id ?? 0): Promise<void> {
  await updateProfile(actor, userId, { email: parseInput(emailField, newEmail) });
}

async function sendEmailChange(w: Work, user: User, newEmail: string): Promise<void> {
  if (await w.manager.existsBy(User, { email: newEmail })) throw emailTaken();
  const { token, tokenId } = await issueToken(w.manager, user.id, 'email_change', newEmail);
  await w.notify({
    kind: 'email_change', toEmail: newEmail, recipientUserId: user.id,
    data: { firstName: user.firstName, link: link('/verify-email', token) },
    dedupeKey: `email_change:token:${tokenId}`,
  });
  await w.audit({
    action: 'user.emailChangeRequest', resource: 'user', recordId: user.id, patientId: patientIdOf(user),
    changes: { pendingEmail: { after: newEmail } },
  });
}

/** Opens the link mailed to the new address: the account's email becomes that address. */
export async function verifyEmailChange(token: string, meta: ClientMeta = {}): Promise<UserView> {
  try {
    return await inTransaction(anonymousActor(meta), async (w) => {
      const { row, user } = await consumeToken(w.manager, token, 'email_change');
      const newEmail = row.newEmail!;
      if (await w.manager.existsBy(User, { email: newEmail })) throw emailTaken();
      await w.manager.update(User, { id: user.id }, { email: newEmail });
      await auditAs(w, userActor(user, meta), {
        action: 'user.emailChange', resource: 'user', recordId: user.id, patientId: patientIdOf(user),
        changes: diff({ email: user.email }, { email: newEmail }),
      });
      const fresh = await w.manager.findOneByOrFail(User, { id: user.id });
      return shapeUser(fresh, 'full');
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw emailTaken();
    throw err;
  }
}
