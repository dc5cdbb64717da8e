import { config } from '../config.js';
import { formatClinicTime } from '../shared/clinic-time.js';
import type { NotificationData, NotificationKind } from './kinds.js';

/**
 * One template per notification kind: a small function that returns the
 * subject, the plain text and the HTML from the same lines, so the two bodies
 * never disagree. Templates read only the fields named in kinds.ts; anything
 * else a writer puts in `data` (a note, a diagnosis) never reaches a mail.
 */
export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

interface Letter {
  subject: string;
  greeting: string;
  lines: string[];
  action?: { label: string; path: string };
  list?: string[];
}

type Template<K extends NotificationKind> = (data: NotificationData[K]) => Letter;

const PORTAL_APPOINTMENTS = '/appointments';
const PANEL = '/admin';

function when(startsAt: string | null | undefined): string {
  if (!startsAt) return 'not yet dated';
  const at = new Date(startsAt);
  return Number.isNaN(at.getTime()) ? startsAt : formatClinicTime(at);
}

function hello(firstName: string): string {
  return `Hello ${firstName},`;
}

const templates: { [K in NotificationKind]: Template<K> } = {
  activation: (d) => ({
    subject: 'Activate your account',
    greeting: hello(d.firstName),
    lines: ['Welcome! Please confirm your email address to activate your account. The link is valid for 24 hours and works once.'],
    action: { label: 'Activate my account', path: d.link },
  }),
  welcome: (d) => ({
    subject: 'Your account is active',
    greeting: hello(d.firstName),
    lines: ['Your account is now active. You can sign in to the patient portal to request diagnostics and see your appointments.'],
    action: { label: 'Open the portal', path: '/' },
  }),
  password_reset: (d) => ({
    subject: 'Reset your password',
    greeting: hello(d.firstName),
    lines: [
      'Someone asked to reset the password of your account. The link is valid for 30 minutes and works once.',
      'If it was not you, ignore this mail: your password stays as it is.',
    ],
    action: { label: 'Choose a new password', path: d.link },
  }),
  email_change: (d) => ({
    subject: 'Confirm your new email address',
    greeting: hello(d.firstName),
    lines: ['Please confirm that this is your new email address. Until you do, mail keeps going to the old one.'],
    action: { label: 'Confirm this address', path: d.link },
  }),
  staff_invitation: (d) => ({
    subject: 'You are invited to the clinic\'s staff panel',
    greeting: hello(d.firstName),
    lines: [`An account with the role ${d.role} was created for you. Choose your own password to start; the link is valid for 72 hours and works once.`],
    action: { label: 'Set my password', path: d.link },
  }),
  request_received: (d) => ({
    subject: `We received your request: ${d.diagnosticName}`,
    greeting: hello(d.firstName),
    lines: [`Thank you. Your request for ${d.diagnosticName} has been received; we will send you a date and time soon.`],
    action: { label: 'See my appointments', path: PORTAL_APPOINTMENTS },
  }),
  diagnostic_scheduled: (d) => ({
    subject: `Booked: ${d.diagnosticName} on ${when(d.startsAt)}`,
    greeting: hello(d.firstName),
    lines: [`Your ${d.diagnosticName} is booked for ${when(d.startsAt)}.`, `Where: ${d.where}`],
    action: { label: 'See my appointments', path: PORTAL_APPOINTMENTS },
  }),
  visit_booked: (d) => ({
    subject: `Visit booked on ${when(d.startsAt)}`,
    greeting: hello(d.firstName),
    lines: d.forRole === 'doctor'
      ? [`A visit with ${d.patientName} is booked for ${when(d.startsAt)}.`, `Where: ${d.where}`]
      : [`Your visit with ${d.doctorName} is booked for ${when(d.startsAt)}.`, `Where: ${d.where}`],
    action: d.forRole === 'doctor'
      ? { label: 'Open the staff panel', path: PANEL }
      : { label: 'See my appointments', path: PORTAL_APPOINTMENTS },
  }),
  appointment_cancelled: (d) => ({
    subject: `Cancelled: ${d.what}${d.startsAt ? ` on ${when(d.startsAt)}` : ''}`,
    greeting: hello(d.firstName),
    // "A visit with Dr. Lind on …", "MRI on …", "The request for MRI …".
    lines: [`${d.startsAt ? `${d.what.charAt(0).toUpperCase()}${d.what.slice(1)} on ${when(d.startsAt)}` : `The request for ${d.what}`} was cancelled by ${d.cancelledBy}.`],
    action: d.forRole === 'doctor'
      ? { label: 'Open the staff panel', path: PANEL }
      : { label: 'See my appointments', path: PORTAL_APPOINTMENTS },
  }),
  appointment_reminder: (d) => ({
    subject: `Reminder: ${d.what} on ${when(d.startsAt)}`,
    greeting: hello(d.firstName),
    lines: [`This is a reminder of your appointment ${d.what} on ${when(d.startsAt)}.`, `Where: ${d.where}`],
    action: { label: 'See my appointments', path: PORTAL_APPOINTMENTS },
  }),
  account_blocked: (d) => ({
    subject: 'Your account has been blocked',
    greeting: hello(d.firstName),
    lines: ['Your account has been blocked and you have been signed out. Please contact the clinic if you think this is a mistake.'],
  }),
  account_unblocked: (d) => ({
    subject: 'Your account has been unblocked',
    greeting: hello(d.firstName),
    lines: ['Your account has been unblocked; you can sign in again.'],
    action: { label: 'Sign in', path: '/login' },
  }),
  role_changed: (d) => ({
    subject: 'Your role has changed',
    greeting: hello(d.firstName),
    lines: [`Your role changed from ${d.previousRole} to ${d.role}. Please sign in again.`],
    action: { label: 'Open the staff panel', path: PANEL },
  }),
  admin_granted: (d) => ({
    subject: 'You are now an administrator',
    greeting: hello(d.firstName),
    lines: ['You have been made an administrator of the clinic\'s staff panel. Please sign in again.'],
    action: { label: 'Open the staff panel', path: PANEL },
  }),
  admin_revoked: (d) => ({
    subject: 'Your administrator rights were revoked',
    greeting: hello(d.firstName),
    lines: [`You are no longer an administrator; your role is now ${d.role}. Please sign in again.`],
    action: { label: 'Open the staff panel', path: PANEL },
  }),
  account_deleted: (d) => ({
    subject: 'Your account has been deleted',
    greeting: hello(d.firstName),
    lines: ['Your account has been deleted. Please contact the clinic if you have questions.'],
  }),
  journal_entry_added: (d) => ({
    subject: 'A new journal entry is in your portal',
    greeting: hello(d.firstName),
    lines: ['A new journal entry has been added. Sign in to the portal to read it.'],
    action: { label: 'Open my journal', path: '/journal' },
  }),
  prescription_added: (d) => ({
    subject: 'A new prescription is in your portal',
    greeting: hello(d.firstName),
    lines: ['A new prescription has been added. Sign in to the portal to read it.'],
    action: { label: 'Open my prescriptions', path: '/prescriptions' },
  }),
  doctor_blocked: (d) => ({
    subject: 'New bookings for you are paused',
    greeting: hello(d.firstName),
    lines: ['The clinic has stopped new bookings for you. Your existing visits stay as they are.'],
    action: { label: 'Open the staff panel', path: PANEL },
  }),
  doctor_unblocked: (d) => ({
    subject: 'You are accepting bookings again',
    greeting: hello(d.firstName),
    lines: ['The clinic has resumed bookings for you.'],
    action: { label: 'Open the staff panel', path: PANEL },
  }),
  visits_to_rebook: (d) => ({
    subject: `Visits to rebook: ${d.doctorName}`,
    greeting: hello(d.firstName),
    lines: [`${d.doctorName} no longer accepts bookings. These future visits may need to be moved to another doctor:`],
    list: d.visits.map((v) => `${when(v.startsAt)}: ${v.patientName} (appointment ${v.appointmentId})`),
    action: { label: 'Open the staff panel', path: PANEL },
  }),
  birthday_greeting: (d) => ({
    subject: 'Happy birthday!',
    greeting: hello(d.firstName),
    lines: ['Everyone at the clinic wishes you a happy birthday and a good year ahead.'],
  }),
  season_greeting: (d) => ({
    subject: d.occasion === 'christmas' ? 'Merry Christmas' : 'Happy New Year',
    greeting: hello(d.firstName),
    lines: [d.occasion === 'christmas'
      ? 'Everyone at the clinic wishes you a merry Christmas.'
      : 'Everyone at the clinic wishes you a happy new year.'],
  }),
};

export function isNotificationKind(kind: string): kind is NotificationKind {
  return Object.prototype.hasOwnProperty.call(templates, kind);
}

/** Absolute link from a path (or an already absolute URL on our own host). */
export function absoluteLink(pathOrUrl: string): string {
  const base = config().publicUrl;
  if (/^https?:\/\//i.test(pathOrUrl)) return pathOrUrl;
  return `${base}${pathOrUrl.startsWith('/') ? '' : '/'}${pathOrUrl}`;
}

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Renders a notification; throws on an unknown kind (a writer's bug, kept visible as a failed delivery). */
export function renderNotification(kind: string, data: Record<string, unknown>): RenderedMail {
  if (!isNotificationKind(kind)) throw new Error(`unknown notification kind "${kind}"`);
  const letter = (templates[kind] as Template<NotificationKind>)(data as never);
  const clinic = config().clinic.name;
  const link = letter.action ? absoluteLink(letter.action.path) : null;
  const signature = `${clinic}\n${config().clinic.address}`;

  const text = [
    letter.greeting,
    '',
    ...letter.lines.flatMap((l) => [l, '']),
    ...(letter.list?.length ? [...letter.list.map((i) => `- ${i}`), ''] : []),
    ...(letter.action && link ? [`${letter.action.label}: ${link}`, ''] : []),
    '--',
    signature,
  ].join('\n');

  const e = escapeHtml;
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif;line-height:1.5;color:#222">',
    `<p>${e(letter.greeting)}</p>`,
    ...letter.lines.map((l) => `<p>${e(l)}</p>`),
    letter.list?.length ? `<ul>${letter.list.map((i) => `<li>${e(i)}</li>`).join('')}</ul>` : '',
    letter.action && link
      ? `<p><a href="${e(link)}" style="display:inline-block;padding:8px 16px;background:#1f6feb;color:#fff;text-decoration:none;border-radius:4px">${e(letter.action.label)}</a></p><p style="font-size:small">${e(link)}</p>`
      : '',
    `<p style="color:#666;font-size:small">${e(clinic)}<br>${e(config().clinic.address)}</p>`,
    '</body></html>',
  ].join('\n');

  return { subject: `${letter.subject} · ${clinic}`, text, html };
}
