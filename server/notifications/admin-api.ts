import fs from 'node:fs';
import path from 'node:path';
import type { Actor } from '../access/actor.js';
import { requireAccess } from '../access/policy.js';
import { config } from '../config.js';
import { db } from '../db/data-source.js';
import { Notification, type NotificationStatus } from '../db/entities/notification.js';
import { Conflict, NotFound } from '../shared/errors.js';
import { auditsRefusals } from '../shared/refusals.js';
import { inTransaction } from '../shared/unit-of-work.js';
import { emlPathFor } from './mailer.js';
import { renderNotification } from './templates.js';

/**
 * What the panel's Mail page shows (superuser and admin): the latest
 * messages with their delivery state, the failed ones, and a retry action.
 * In the quick start (no SMTP) each sent message also carries its body and
 * links, read from the `.eml` file, so a person trying the demo can open an
 * activation link. With SMTP configured the body is never shown: it may hold
 * a one-time link meant for the recipient alone.
 */
export interface MailLogEntry {
  id: number;
  kind: string;
  to: string;
  subject: string;
  status: NotificationStatus;
  createdAt: Date;
  queuedAt: Date | null;
  sentAt: Date | null;
  attempts: number;
  lastError: string | null;
  /** Quick start only. */
  file?: { path: string; text: string; links: string[] };
}

const MAX_LIMIT = 200;

export async function listRecentMail(actor: Actor, limit = 50): Promise<MailLogEntry[]> {
  requireAccess(actor, 'notification.read');
  const rows = await db().getRepository(Notification).find({ order: { id: 'DESC' }, take: clampLimit(limit) });
  const withFile = !config().mail.smtpUrl;
  return Promise.all(rows.map(async (r) => ({ ...toEntry(r), ...(withFile ? await sentFile(r) : {}) })));
}

export async function listFailedDeliveries(actor: Actor, limit = 100): Promise<MailLogEntry[]> {
  requireAccess(actor, 'notification.read');
  const rows = await db().getRepository(Notification).find({ where: { status: 'failed' }, order: { id: 'DESC' }, take: clampLimit(limit) });
  return rows.map((r) => toEntry(r));
}

/**
 * Puts a failed delivery back in the outbox; the worker relays it again and
 * gives it one more attempt. Anything but a failed delivery is refused, so a
 * double click cannot send a mail twice.
 */
export const retryDelivery = auditsRefusals('notification', 'notification.retry', retry);

async function retry(actor: Actor, notificationId: number): Promise<MailLogEntry> {
  requireAccess(actor, 'notification.read');
  const row = await inTransaction(actor, async (w) => {
    const found = await w.manager.findOne(Notification, { where: { id: notificationId } });
    if (!found) throw new NotFound('Notification');
    const result = await w.manager.update(Notification, { id: notificationId, status: 'failed' }, { status: 'pending' });
    if (!result.affected) throw new Conflict(`Only a failed delivery can be retried; this one is ${found.status}.`, 'not_failed');
    await w.audit({
      action: 'notification.retry', resource: 'notification', recordId: notificationId,
      changes: { status: { before: 'failed', after: 'pending' } },
    });
    return { ...found, status: 'pending' as const };
  });
  return toEntry(row as Notification);
}

function clampLimit(limit: number): number {
  return Math.max(1, Math.min(MAX_LIMIT, Math.floor(Number(limit) || 50)));
}

function toEntry(r: Notification): MailLogEntry {
  let subject: string;
  try {
    // The template is deterministic, so the subject is rendered again rather than stored twice.
    subject = renderNotification(r.kind, r.data).subject;
  } catch {
    subject = `(${r.kind})`;
  }
  return {
    id: r.id, kind: r.kind, to: r.toEmail, subject, status: r.status, createdAt: r.createdAt,
    queuedAt: r.queuedAt, sentAt: r.sentAt, attempts: r.attempts, lastError: r.lastError,
  };
}

/** Blanks the token of every one-time link in a text, keeping the rest readable. */
export function hideLinkTokens(text: string): string {
  return text.replace(/([?&]token=)[^&#\s"]+/gi, '$1(hidden)');
}

/**
 * Kinds whose link the Mail page shows in the quick start: opening them proves
 * nothing about anyone's password. Reset and email-change links stay hidden,
 * or an admin could take over the superuser's account through them.
 */
const LINKS_SHOWN = new Set(['activation', 'staff_invitation']);

/**
 * The quick start's sent message as it was written to disk. The outbox row's
 * own copy of a one-time link is blanked once sent, so the file is the only
 * source of the real link.
 */
async function sentFile(r: Notification): Promise<Pick<MailLogEntry, 'file'>> {
  const file = emlPathFor(r.id);
  if (r.status !== 'sent' || !fs.existsSync(file)) return {};
  // Loaded on first use: mailparser's character tables cost the web server's start ~0.1 s.
  const { simpleParser } = await import('mailparser');
  const parsed = await simpleParser(fs.readFileSync(file));
  let text = parsed.text ?? '';
  if (!LINKS_SHOWN.has(r.kind)) text = hideLinkTokens(text);
  return { file: { path: path.resolve(file), text, links: text.match(/https?:\/\/\S+/g) ?? [] } };
}
