import { createHash, randomBytes } from 'node:crypto';
import { IsNull, type EntityManager } from 'typeorm';
import { OneTimeToken, type TokenPurpose } from '../db/entities/one-time-token.js';
import { User } from '../db/entities/user.js';
import { clock } from '../shared/clock.js';
import { Invalid } from '../shared/errors.js';

/**
 * One-time links (SPEC §2, rules 9 and 13): 32 random bytes in the mail, only
 * their SHA-256 in the database, single use, with an expiry.
 */
export const TOKEN_TTL_MS: Record<TokenPurpose, number> = {
  activation: 24 * 60 * 60_000,
  invitation: 72 * 60 * 60_000,
  password_reset: 30 * 60_000,
  email_change: 24 * 60 * 60_000,
};

export const BAD_LINK = 'This link is not valid: it may have expired or been used already.';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Issues a fresh token; earlier unused tokens of the same purpose for this
 * user stop working, so only the newest link in the inbox opens.
 */
export async function issueToken(
  manager: EntityManager,
  userId: number,
  purpose: TokenPurpose,
  newEmail: string | null = null,
): Promise<{ token: string; tokenId: number }> {
  const now = clock.now();
  await manager.update(OneTimeToken, { userId, purpose, usedAt: IsNull() }, { usedAt: now });
  const token = randomBytes(32).toString('base64url');
  const result = await manager.insert(OneTimeToken, {
    purpose,
    userId,
    tokenHash: hashToken(token),
    newEmail,
    expiresAt: new Date(now.getTime() + TOKEN_TTL_MS[purpose]),
    usedAt: null,
    createdAt: now,
  });
  return { token, tokenId: Number(result.identifiers[0].id) };
}

/** The token's row and user if it is usable now, without using it up; else Invalid. */
export async function findUsableToken(
  manager: EntityManager,
  token: string,
  purpose: TokenPurpose,
): Promise<{ row: OneTimeToken; user: User }> {
  // A link's token arrives from a form or JSON body: anything but a string is simply not a valid link.
  if (typeof token !== 'string' || !token.trim()) throw new Invalid(BAD_LINK, { token: BAD_LINK });
  const row = await manager.findOneBy(OneTimeToken, { tokenHash: hashToken(token.trim()), purpose });
  if (!row || row.usedAt || row.expiresAt.getTime() <= clock.now().getTime()) {
    throw new Invalid(BAD_LINK, { token: BAD_LINK });
  }
  const user = await manager
    .getRepository(User)
    .createQueryBuilder('u')
    .addSelect('u.passwordHash')
    .where('u.id = :id', { id: row.userId })
    .getOne();
  if (!user) throw new Invalid(BAD_LINK, { token: BAD_LINK });
  return { row, user };
}

/**
 * Marks the token used. The conditional UPDATE is the single-use guard: of two
 * requests racing with one link, only one sees a row change.
 */
export async function useToken(manager: EntityManager, row: OneTimeToken): Promise<void> {
  const result = await manager.update(OneTimeToken, { id: row.id, usedAt: IsNull() }, { usedAt: clock.now() });
  if (result.affected !== 1) throw new Invalid(BAD_LINK, { token: BAD_LINK });
}

/** Finds, checks and uses a token in one step. */
export async function consumeToken(manager: EntityManager, token: string, purpose: TokenPurpose) {
  const found = await findUsableToken(manager, token, purpose);
  await useToken(manager, found.row);
  return found;
}

export function link(path: string, token: string): string {
  return `${path}?token=${encodeURIComponent(token)}`;
}
