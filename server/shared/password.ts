import { createRequire } from 'node:module';
import { hash, verify } from '@node-rs/argon2';

/**
 * Password hashing and the password policy of SPEC rule 14.
 * @node-rs/argon2 hashes with argon2id by default (OWASP's choice: 19 MiB,
 * 2 passes); its prebuilt binary needs no install script.
 */
const require = createRequire(import.meta.url);
// fxa-common-password-list is CommonJS: ~10,000 of the most common passwords,
// decoded when first needed rather than at every start (~0.1 s).
let commonPasswords: { test(password: string): boolean } | undefined;
const common = () => (commonPasswords ??= require('fxa-common-password-list') as { test(password: string): boolean });

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 1000;

export async function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    // A malformed hash in the database answers "wrong", never a 500.
    return false;
  }
}

let dummy: Promise<string> | undefined;
/**
 * A hash of nothing anyone knows, verified when the email names no account so
 * that "unknown email" takes as long as "wrong password" (SPEC rule 12).
 */
export function dummyPasswordHash(): Promise<string> {
  dummy ??= hash(`no-such-account-${Math.random()}`);
  return dummy;
}

/** The field error for `password`, or null when the policy is met. */
export function checkPasswordPolicy(password: string, email?: string | null): string | null {
  // Characters as a person counts them: an emoji is one, not the two UTF-16 units of String#length.
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (length > MAX_PASSWORD_LENGTH) return `Use at most ${MAX_PASSWORD_LENGTH} characters.`;
  const lowered = password.trim().toLowerCase();
  if (email) {
    const address = email.trim().toLowerCase();
    const localPart = address.split('@')[0];
    if (lowered === address || lowered === localPart) return 'The password may not be your email address.';
  }
  if (common().test(password) || common().test(lowered)) {
    return 'This password is too common; choose another.';
  }
  return null;
}
