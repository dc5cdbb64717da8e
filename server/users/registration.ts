import { userActor, type Actor } from '../access/actor.js';
import { requireAccess } from '../access/policy.js';
import { User } from '../db/entities/user.js';
import { clock } from '../shared/clock.js';
import { Conflict, Invalid } from '../shared/errors.js';
import { hashPassword, checkPasswordPolicy } from '../shared/password.js';
import { diff, inTransaction, isUniqueViolation, type Work } from '../shared/unit-of-work.js';
import { ADULT_AGE, ageOn, MAX_AGE, anonymousActor, auditAs, emailTaken, lockUser, parseUserId, patientIdOf, type ClientMeta } from './common.js';
import { sendInvitation } from './invitations.js';
import { shapeUser, type UserView } from './queries.js';
import { parseInput, registerPatientInput, type RegisterPatientInput } from './schemas.js';
import { consumeToken, issueToken, link } from './tokens.js';

/**
 * Registration of SPEC rule 9: a patient account, inactive until the emailed
 * activation link (24 h, single use) is opened.
 */
export async function registerPatient(input: RegisterPatientInput, meta: ClientMeta = {}): Promise<UserView> {
  const data = parseInput(registerPatientInput, input);
  const fields: Record<string, string> = {};
  const passwordProblem = checkPasswordPolicy(data.password, data.email);
  if (passwordProblem) fields.password = passwordProblem;
  if (ageOn(data.dateOfBirth) < ADULT_AGE) fields.dateOfBirth = `Patients must be at least ${ADULT_AGE} years old.`;
  if (ageOn(data.dateOfBirth) > MAX_AGE) fields.dateOfBirth = 'Check the year.';
  if (Object.keys(fields).length) throw new Invalid('Some fields are not valid.', fields);

  const passwordHash = await hashPassword(data.password);
  const { password: _password, ...profile } = data;
  try {
    return await inTransaction(anonymousActor(meta), async (w) => {
      if (await w.manager.existsBy(User, { email: data.email })) throw emailTaken();
      const user = w.manager.create(User, {
        ...profile,
        role: 'patient',
        passwordHash,
        isActive: false,
        isBlocked: false,
        sessionEpoch: 0,
      });
      await w.manager.insert(User, user);
      await auditAs(w, userActor(user, meta), {
        action: 'user.register', resource: 'user', recordId: user.id, patientId: user.id,
        changes: diff({}, { ...profile, role: 'patient', isActive: false }),
      });
      await sendActivation(w, user);
      // Re-read: after an insert TypeORM may leave driver-raw defaults (0 for false on MariaDB) on the object.
      return shapeUser(await w.manager.findOneByOrFail(User, { id: user.id }), 'full');
    });
  } catch (err) {
    // Two registrations racing with one address: the unique index decides.
    if (isUniqueViolation(err)) throw emailTaken();
    throw err;
  }
}

async function sendActivation(w: Work, user: User): Promise<void> {
  const { token, tokenId } = await issueToken(w.manager, user.id, 'activation');
  await w.notify({
    kind: 'activation',
    toEmail: user.email,
    recipientUserId: user.id,
    data: { firstName: user.firstName, link: link('/activate', token) },
    dedupeKey: `activation:token:${tokenId}`,
  });
}

/** Opens the activation link: bad, used or expired → 400; the account becomes active once. */
export async function activateAccount(token: string, meta: ClientMeta = {}): Promise<UserView> {
  return inTransaction(anonymousActor(meta), async (w) => {
    const { user } = await consumeToken(w.manager, token, 'activation');
    const locked = await lockUser(w.manager, user.id);
    if (!locked.isActive) {
      await w.manager.update(User, { id: locked.id }, { isActive: true });
      await auditAs(w, userActor(locked, meta), {
        action: 'user.activate', resource: 'user', recordId: locked.id, patientId: patientIdOf(locked),
        changes: diff({ isActive: false }, { isActive: true }),
      });
      await w.notify({
        kind: 'welcome', toEmail: locked.email, recipientUserId: locked.id,
        data: { firstName: locked.firstName }, dedupeKey: `welcome:user:${locked.id}`,
      });
      locked.isActive = true;
    }
    return shapeUser(locked, 'full');
  });
}

/**
 * A new activation link for a patient who has not activated (admins, from
 * the panel); staff who have not accepted get a new invitation instead.
 */
export async function resendActivation(actor: Actor, userId: number): Promise<void> {
  requireAccess(actor, 'patient.manage', 'staff.manage');
  const id = parseUserId(userId);
  await inTransaction(actor, async (w) => {
    const user = await lockUser(w.manager, id);
    if (user.role === 'patient') requireAccess(actor, 'patient.manage');
    else requireAccess(actor, user.role === 'admin' || user.role === 'superuser' ? 'admin.manage' : 'staff.manage');
    if (user.isActive) throw new Conflict('This account is already active.', 'already_active');
    if (user.role === 'patient') {
      await sendActivation(w, user);
    } else {
      await sendInvitation(w, user);
    }
    await w.audit({
      action: 'user.resendActivation', resource: 'user', recordId: user.id, patientId: patientIdOf(user),
      changes: { sentAt: { after: clock.now().toISOString() } },
    });
  });
}
