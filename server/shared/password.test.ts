import { describe, expect, it } from 'vitest';
import { checkPasswordPolicy, hashPassword, verifyPassword } from './password.js';

describe('passwords', () => {
  it('hashes with argon2id and verifies only the right password', async () => {
    const hash = await hashPassword('long enough passphrase');
    expect(hash.startsWith('$argon2id$')).toBe(true);
    expect(await verifyPassword(hash, 'long enough passphrase')).toBe(true);
    expect(await verifyPassword(hash, 'long enough passphrasE')).toBe(false);
  });

  it('answers "wrong" for a malformed stored hash instead of throwing', async () => {
    expect(await verifyPassword('not-a-hash', 'whatever')).toBe(false);
  });

  it.each([
    ['short', 'Use at least 10 characters.'],
    ['123456789', 'Use at least 10 characters.'],
    ['anna.berg@example.com', 'The password may not be your email address.'],
    ['ANNA.BERG@example.com', 'The password may not be your email address.'],
    ['anna.berg1', null],
    ['password123', 'This password is too common; choose another.'],
    ['1234567890', 'This password is too common; choose another.'],
    ['qwertyuiop', 'This password is too common; choose another.'],
    ['Ångström ☕ kaffe', null],
    ['          ', null],
    ['x'.repeat(1001), 'Use at most 1000 characters.'],
    // Five emoji are ten UTF-16 units but five characters.
    ['🐢🐢🐢🐢🐢', 'Use at least 10 characters.'],
    ['🐢🦊🐢🦊🐢🦊🐢🦊🐢🦊', null],
  ])('judges %j as %j', (password, expected) => {
    expect(checkPasswordPolicy(password, 'anna.berg@example.com')).toBe(expected);
  });

  it('refuses the local part of the email alone when it is long enough', () => {
    expect(checkPasswordPolicy('annabergstrom', 'annabergstrom@example.com')).toBe('The password may not be your email address.');
  });
});
