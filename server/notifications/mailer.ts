import fs from 'node:fs';
import path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import { config } from '../config.js';
import type { RenderedMail } from './templates.js';

/**
 * Where mail goes: SMTP (pooled) when SMTP_URL is set, otherwise one `.eml`
 * file per notification in MAIL_DIR, so the quick start needs no mail server
 * and a person can still open an activation link.
 */
export interface Mailer {
  send(notificationId: number, to: string, mail: RenderedMail): Promise<void>;
  close(): void;
}

/** The stable Message-ID of a notification: a receiver can drop a repeat of it. */
export function messageIdFor(notificationId: number): string {
  return `<notification-${notificationId}@${new URL(config().publicUrl).hostname}>`;
}

export function emlPathFor(notificationId: number): string {
  return path.join(config().mail.dir, `notification-${notificationId}.eml`);
}

export function createMailer(options: { concurrency?: number } = {}): Mailer {
  const { smtpUrl, from } = config().mail;
  if (smtpUrl) {
    const transport: Transporter = nodemailer.createTransport({
      url: smtpUrl,
      pool: true,
      maxConnections: options.concurrency ?? config().worker.concurrency,
      maxMessages: Infinity,
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 30_000,
    } as Parameters<typeof nodemailer.createTransport>[0]);
    return {
      async send(id, to, mail) {
        await transport.sendMail({ from, to, messageId: messageIdFor(id), ...mail });
      },
      close: () => transport.close(),
    };
  }
  const dir = config().mail.dir;
  fs.mkdirSync(dir, { recursive: true });
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(id, to, mail) {
      const info = (await transport.sendMail({ from, to, messageId: messageIdFor(id), ...mail })) as { message: Buffer };
      // Written whole under a temporary name, then renamed: a reader never sees half a file.
      const file = emlPathFor(id);
      await fs.promises.writeFile(`${file}.tmp`, info.message);
      await fs.promises.rename(`${file}.tmp`, file);
    },
    close: () => transport.close(),
  };
}
