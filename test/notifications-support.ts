/**
 * Test helpers for the worker: a throw-away job-queue database and a real
 * SMTP sink. Not imported by production code.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';

export interface QueueDatabase {
  kind: 'postgres' | 'pglite';
  /** Set for PostgreSQL. */
  pgBossUrl?: string;
  /** Set for PGlite. */
  pgliteDir?: string;
  drop(): Promise<void>;
}

/** PostgreSQL when TEST_PG_BOSS_URL or PG_BOSS_URL is set (CI sets it), else PGlite. */
export function basePgBossUrl(): string | undefined {
  return process.env.TEST_PG_BOSS_URL || process.env.PG_BOSS_URL || undefined;
}

export async function createQueueDatabase(options: { embedded?: boolean } = {}): Promise<QueueDatabase> {
  const base = options.embedded ? undefined : basePgBossUrl();
  if (!base) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qhealth-pglite-'));
    return { kind: 'pglite', pgliteDir: dir, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `qhealth_t_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    kind: 'postgres',
    pgBossUrl: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface ReceivedMail {
  messageId: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface SmtpSink {
  url: string;
  /** Every accepted mail, in order of arrival (repeats included). */
  received: ReceivedMail[];
  /** How many times a Message-ID was offered, accepted or not. */
  offered: Map<string, number>;
  /** Decides the answer to a mail: null accepts; a number refuses with that SMTP code. */
  answer: (mail: ReceivedMail, offer: number) => number | null;
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const sink: SmtpSink = {
    url: '',
    received: [],
    offered: new Map(),
    answer: () => null,
    async waitFor(predicate, timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > until) throw new Error(`timed out; ${sink.received.length} mails received`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: async () => undefined,
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 1024 * 1024,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const to = Array.isArray(parsed.to) ? parsed.to[0] : parsed.to;
          const mail: ReceivedMail = {
            messageId: parsed.messageId ?? '',
            to: to?.value[0]?.address ?? '',
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
          };
          const offer = (sink.offered.get(mail.messageId) ?? 0) + 1;
          sink.offered.set(mail.messageId, offer);
          const code = sink.answer(mail, offer);
          if (code) {
            const err = Object.assign(new Error(code >= 500 ? 'Mailbox unavailable' : 'Try again later'), { responseCode: code });
            callback(err);
            return;
          }
          sink.received.push(mail);
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  // A killed worker resets its connections; that is the test's point, not an error.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  sink.url = `smtp://127.0.0.1:${port}`;
  sink.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return sink;
}

/** The notification id from our stable Message-ID `<notification-<id>@host>`. */
export function notificationIdOf(messageId: string): number {
  const m = /^<?notification-(\d+)@/.exec(messageId);
  return m ? Number(m[1]) : NaN;
}
