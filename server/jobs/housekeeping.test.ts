import { describe, expect, it } from 'vitest';
import { makeUser } from '../appointments/test-fixtures.js';
import { config } from '../config.js';
import { db } from '../db/data-source.js';
import { LoginAttempt } from '../db/entities/login-attempt.js';
import { OneTimeToken } from '../db/entities/one-time-token.js';
import { useTestDatabase } from '../../test/support/db.js';
import { removeExpiredRecords } from './housekeeping.js';

useTestDatabase();

const DAY = 24 * 60 * 60 * 1000;

describe('clean-up', () => {
  it('removes expired one-time tokens and login attempts older than the retention, and nothing else, also when run twice', async () => {
    const now = new Date('2027-05-01T03:30:00Z');
    const { user } = await makeUser('patient');
    const tokens = db().getRepository(OneTimeToken);
    await tokens.insert([
      { purpose: 'activation', userId: user.id, tokenHash: 'a'.repeat(64), expiresAt: new Date(now.getTime() - 1000) },
      { purpose: 'password_reset', userId: user.id, tokenHash: 'b'.repeat(64), expiresAt: new Date(now.getTime() + 60_000) },
    ]);
    const retention = config().loginAttemptRetentionDays;
    const attempts = db().getRepository(LoginAttempt);
    await attempts.insert([
      { email: 'old@example.org', ip: '10.0.0.1', success: false, reason: 'bad_credentials', at: new Date(now.getTime() - (retention + 1) * DAY) },
      { email: 'recent@example.org', ip: '10.0.0.1', success: true, reason: 'ok', at: new Date(now.getTime() - (retention - 1) * DAY) },
    ]);

    expect(await removeExpiredRecords(now)).toEqual({ tokens: 1, loginAttempts: 1 });
    expect(await removeExpiredRecords(now)).toEqual({ tokens: 0, loginAttempts: 0 });
    expect((await tokens.find()).map((t) => t.purpose)).toEqual(['password_reset']);
    expect((await attempts.find()).map((a) => a.email)).toEqual(['recent@example.org']);
  });
});
