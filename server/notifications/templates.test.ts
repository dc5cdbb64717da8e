import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config, overrideConfig } from '../config.js';
import { NOTIFICATION_KINDS, type NotificationData, type NotificationKind } from './kinds.js';
import { renderNotification } from './templates.js';

/** One realistic data object per kind, plus fields a careless writer might add. */
const SAMPLES: { [K in NotificationKind]: NotificationData[K] } = {
  activation: { firstName: 'Zoë', link: '/activate?token=tok-activation' },
  welcome: { firstName: 'Zoë' },
  password_reset: { firstName: 'Zoë', link: '/reset-password?token=tok-reset' },
  email_change: { firstName: 'Zoë', link: '/verify-email?token=tok-email' },
  staff_invitation: { firstName: 'Zoë', role: 'doctor', link: '/admin/invitation?token=tok-invite' },
  request_received: { firstName: 'Zoë', diagnosticName: 'MRI', appointmentId: 7 },
  diagnostic_scheduled: { firstName: 'Zoë', diagnosticName: 'MRI', startsAt: '2026-12-01T08:00:00.000Z', where: 'Room 3', appointmentId: 7 },
  visit_booked: { firstName: 'Zoë', doctorName: 'Dr. Lind', patientName: 'Zoë Ek', startsAt: '2026-12-01T08:00:00.000Z', where: 'Room 3', appointmentId: 7, forRole: 'patient' },
  appointment_cancelled: { firstName: 'Zoë', what: 'MRI', startsAt: '2026-12-01T08:00:00.000Z', cancelledBy: 'the clinic', appointmentId: 7, forRole: 'patient' },
  appointment_reminder: { firstName: 'Zoë', what: 'MRI', startsAt: '2026-12-01T08:00:00.000Z', where: 'Room 3', appointmentId: 7 },
  account_blocked: { firstName: 'Zoë' },
  account_unblocked: { firstName: 'Zoë' },
  role_changed: { firstName: 'Zoë', role: 'operator', previousRole: 'doctor' },
  admin_granted: { firstName: 'Zoë' },
  admin_revoked: { firstName: 'Zoë', role: 'doctor' },
  account_deleted: { firstName: 'Zoë' },
  journal_entry_added: { firstName: 'Zoë' },
  prescription_added: { firstName: 'Zoë' },
  doctor_blocked: { firstName: 'Zoë' },
  doctor_unblocked: { firstName: 'Zoë' },
  visits_to_rebook: { firstName: 'Zoë', doctorName: 'Dr. Lind', visits: [{ appointmentId: 9, startsAt: '2026-12-02T09:00:00.000Z', patientName: 'Ola Berg' }] },
  birthday_greeting: { firstName: 'Zoë' },
  season_greeting: { firstName: 'Zoë', occasion: 'christmas' },
};

const LINKED: Partial<Record<NotificationKind, string>> = {
  activation: 'https://clinic.example.org/activate?token=tok-activation',
  password_reset: 'https://clinic.example.org/reset-password?token=tok-reset',
  email_change: 'https://clinic.example.org/verify-email?token=tok-email',
  staff_invitation: 'https://clinic.example.org/admin/invitation?token=tok-invite',
  request_received: 'https://clinic.example.org/appointments',
  appointment_reminder: 'https://clinic.example.org/appointments',
  journal_entry_added: 'https://clinic.example.org/journal',
};

/** What must never reach a mail, even when a writer puts it in the data. */
const MEDICAL = { diagnosis: 'Influenza A', patientNote: 'chest pain since Monday', medication: 'Amoxicillin 500 mg', plan: 'bed rest' };

describe('mail templates', () => {
  const saved = config();
  beforeAll(() => overrideConfig({
    publicUrl: 'https://clinic.example.org',
    clinic: { ...saved.clinic, name: 'Söder & Co Clinic', timeZone: 'Europe/Stockholm' },
  }));
  afterAll(() => overrideConfig({ publicUrl: saved.publicUrl, clinic: saved.clinic }));

  it.each(NOTIFICATION_KINDS)('renders %s with subject, text, html and the clinic name, and no medical details', (kind) => {
    const mail = renderNotification(kind, { ...SAMPLES[kind], ...MEDICAL });
    expect(mail.subject.length).toBeGreaterThan(5);
    expect(mail.subject).toContain('Söder & Co Clinic');
    expect(mail.text).toContain('Hello Zoë,');
    expect(mail.text).toContain('Söder & Co Clinic');
    expect(mail.html).toContain('Söder &amp; Co Clinic');
    for (const secret of Object.values(MEDICAL)) {
      expect(mail.text).not.toContain(secret);
      expect(mail.html).not.toContain(secret);
    }
    expect(mail.text).not.toContain('localhost');
    for (const url of mail.text.match(/https?:\/\/\S+/g) ?? []) expect(url.startsWith('https://clinic.example.org/')).toBe(true);
    const expected = LINKED[kind];
    if (expected) {
      expect(mail.text).toContain(expected);
      expect(mail.html).toContain(`href="${expected}"`);
    }
  });

  it('shows appointment times in the clinic time zone', () => {
    const mail = renderNotification('appointment_reminder', SAMPLES.appointment_reminder);
    // 08:00 UTC on 1 December is 09:00 in Stockholm.
    expect(mail.text).toContain('09:00');
    expect(mail.text).toContain('Room 3');
  });

  it('escapes names in the html body', () => {
    const mail = renderNotification('welcome', { firstName: '<script>alert(1)</script>' });
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;');
    expect(mail.text).toContain('<script>alert(1)</script>');
  });

  it('tells the doctor whom the visit is with, and the patient which doctor', () => {
    const forPatient = renderNotification('visit_booked', SAMPLES.visit_booked);
    const forDoctor = renderNotification('visit_booked', { ...SAMPLES.visit_booked, forRole: 'doctor' });
    expect(forPatient.text).toContain('with Dr. Lind');
    expect(forDoctor.text).toContain('with Zoë Ek');
    expect(forDoctor.text).toContain('https://clinic.example.org/admin');
  });

  it('says who cancelled, in the words the notice was written with', () => {
    const forPatient = renderNotification('appointment_cancelled', { ...SAMPLES.appointment_cancelled, cancelledBy: 'the clinic (Anna Berg, operator)' });
    const forDoctor = renderNotification('appointment_cancelled', {
      ...SAMPLES.appointment_cancelled, what: 'a visit with Zoë Ek', cancelledBy: 'Anna Berg (operator)', forRole: 'doctor',
    });
    expect(forPatient.text).toContain('MRI on ');
    expect(forPatient.text).toContain(' was cancelled by the clinic (Anna Berg, operator).');
    expect(forDoctor.text).toContain('A visit with Zoë Ek on ');
    expect(forDoctor.text).toContain(' was cancelled by Anna Berg (operator).');
    expect(forDoctor.html).toContain('https://clinic.example.org/admin');
  });

  it('refuses an unknown kind', () => {
    expect(() => renderNotification('lottery_win', {})).toThrow(/unknown notification kind/);
  });
});
