import { describe, expect, it } from 'vitest';
import { PATIENT_CANCEL_HOURS } from '../../server/appointments/cancel.js';
import { requestDiagnosticInput } from '../../server/appointments/schemas.js';
import { checkPasswordPolicy, MIN_PASSWORD_LENGTH } from '../../server/shared/password.js';
import { ADULT_AGE } from '../../server/users/common.js';
import { phoneField } from '../../server/users/schemas.js';
import { setClinicZone } from './format.js';
import { ageOn, CANCEL_NOTICE_HOURS, checkDateOfBirth, checkPassword, checkPhone, clinicToday, MIN_AGE_YEARS, NOTE_MAX_LENGTH, normalizePhone, PASSWORD_MIN_LENGTH } from './rules.js';

/**
 * The portal checks forms before sending them; these tests keep its rules
 * equal to the server's, so the browser never accepts what the server refuses
 * for the same reason (or the other way round).
 */
describe('the portal\'s form rules', () => {
  it('use the server\'s numbers: password length, adult age, note length, cancellation notice', () => {
    expect(PASSWORD_MIN_LENGTH).toBe(MIN_PASSWORD_LENGTH);
    expect(MIN_AGE_YEARS).toBe(ADULT_AGE);
    expect(CANCEL_NOTICE_HOURS).toBe(PATIENT_CANCEL_HOURS);
    expect(requestDiagnosticInput.safeParse({ diagnosticId: 1, note: 'x'.repeat(NOTE_MAX_LENGTH) }).success).toBe(true);
    expect(requestDiagnosticInput.safeParse({ diagnosticId: 1, note: 'x'.repeat(NOTE_MAX_LENGTH + 1) }).success).toBe(false);
  });

  it.each(['+46701234567', '+46 70-123 45 67', '+1 (212) 555-0100', '0701234567', '+0123', '46701234567', '+46 (0)70 123 45 67', '0046 70 123 45 67', '00 44 20 7946 0958'])(
    'agree with the server on the phone number %s, and send what the server stores',
    (phone) => {
      const server = phoneField.safeParse(phone);
      expect(checkPhone(phone) === undefined).toBe(server.success);
      if (server.success) expect(normalizePhone(phone)).toBe(server.data);
    },
  );

  it.each(['short', 'exactly10!', 'patient@example.com', 'a long unusual passphrase'])(
    'refuse the password %s when the server refuses it for length or for being the email',
    (password) => {
      const local = checkPassword(password, 'patient@example.com');
      if (local) expect(checkPasswordPolicy(password, 'patient@example.com')).not.toBeNull();
    },
  );

  it('count an adult from their 18th birthday, as the server does', () => {
    expect(ageOn('2009-03-01', '2027-02-28')).toBe(17);
    expect(ageOn('2009-03-01', '2027-03-01')).toBe(18);
    expect(checkDateOfBirth('2009-03-01', '2027-02-28')).toMatch(/at least 18/);
    expect(checkDateOfBirth('2009-03-01', '2027-03-01')).toBeUndefined();
  });

  it('count "today" on the clinic\'s calendar: half past midnight in Stockholm is already the next day there', () => {
    setClinicZone('Europe/Stockholm');
    // 28 Feb 23:30 UTC is 1 March 00:30 in Stockholm: someone born on 1 March 2009 is 18 there.
    expect(clinicToday(new Date('2027-02-28T23:30:00Z'))).toBe('2027-03-01');
    expect(checkDateOfBirth('2009-03-01', clinicToday(new Date('2027-02-28T23:30:00Z')))).toBeUndefined();
  });
});
