import fs from 'node:fs';
import path from 'node:path';
import type { Actor } from '../access/actor.js';
import { requireAccess } from '../access/policy.js';
import { config } from '../config.js';
import { db } from '../db/data-source.js';
import { Notification, type NotificationStatus } from '../db/entities/notification.js';
import { Conflict, NotFound } from '../shared/errors.js';
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
  return rows.map((r) => toEntry(r, { withFile: !config().mail.smtpUrl }));
}

export async function listFailedDeliveries(actor: Actor, limit = 100): Promise<MailLogEntry[]> {
  requireAccess(actor, 'notification.read');
  const rows = await db().getRepository(Notification).find({ where: { status: 'failed' }, order: { id: 'DESC' }, take: clampLimit(limit) });
  return rows.map((r) => toEntry(r, { withFile: false }));
}

/**
 * Puts a failed delivery back in the outbox; the worker relays it again and
 * gives it one more attempt. Anything but a failed delivery is refused, so a
 * double click cannot send a mail twice.
 */
export async function retryDelivery(actor: Actor, notificationId: number): Promise<MailLogEntry> {
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
  return toEntry(row as Notification, { withFile: false });
}

function clampLimit(limit: number): number {
  return Math.max(1, Math.min(MAX_LIMIT, Math.floor(Number(limit) || 50)));
}

function toEntry(r: Notification, options: { withFile: boolean }): MailLogEntry {
  let subject: string;
  let text: string | undefined;
  try {
    // The template is deterministic, so the subject (and, in the quick start,
    // the body) is rendered again rather than stored twice.
    const mail = renderNotification(r.kind, r.data);
    subject = mail.subject;
    text = mail.text;
  } catch {
    subject = `(${r.kind})`;
  }
  const entry: MailLogEntry = {
    id: r.id, kind: r.kind, to: r.toEmail, subject, status: r.status, createdAt: r.createdAt,
    queuedAt: r.queuedAt, sentAt: r.sentAt, attempts: r.attempts, lastError: r.lastError,
  };
  if (options.withFile && r.status === 'sent' && text !== undefined) {
    const file = emlPathFor(r.id);
    if (fs.existsSync(file)) entry.file = { path: path.resolve(file), text, links: text.match(/https?:\/\/\S+/g) ?? [] };
  }
  return entry;
}
