import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../server/access/actor.js';
import { config, overrideConfig } from '../server/config.js';
import { db } from '../server/db/data-source.js';
import { Notification } from '../server/db/entities/notification.js';
import { listRecentMail } from '../server/notifications/admin-api.js';
import { openQueue } from '../server/notifications/boss.js';
import { createQueueDatabase, type QueueDatabase } from './notifications-support.js';
import { startWorker, type RunningWorker } from '../server/notifications/worker-loop.js';
import { inTransaction } from '../server/shared/unit-of-work.js';
import { useTestDatabase } from './support/db.js';

/**
 * The quick start's shape, whatever the environment: the job queue on an
 * embedded PGlite and no SMTP server, so each mail becomes an `.eml` file
 * that the panel's Mail page can show with its links.
 */
useTestDatabase();

let queueDb: QueueDatabase;
let mailDir: string;
let worker: RunningWorker;

beforeAll(async () => {
  queueDb = await createQueueDatabase({ embedded: true });
  mailDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qhealth-mail-'));
  const c = config();
  overrideConfig({
    pgBossUrl: undefined,
    pgliteDir: queueDb.pgliteDir!,
    publicUrl: 'http://demo.clinic.test:8080',
    mail: { ...c.mail, smtpUrl: undefined, dir: mailDir },
    worker: { ...c.worker, outboxPollMs: 100 },
  });
  worker = await startWorker();
}, 90_000);

afterAll(async () => {
  await worker?.stop();
  await queueDb?.drop();
  fs.rmSync(mailDir, { recursive: true, force: true });
}, 60_000);

describe('the quick start worker (PGlite, mail to files)', () => {
  it('writes the activation mail as an .eml file and lists it with its link for admins', async () => {
    await inTransaction(SYSTEM_ACTOR, (w) => w.notify({
      kind: 'activation', toEmail: 'new.patient@example.org', data: { firstName: 'Noor', link: '/activate?token=demo-token' }, dedupeKey: 'embedded:activation',
    }));
    const row = await db().getRepository(Notification).findOneByOrFail({ dedupeKey: 'embedded:activation' });
    const file = path.join(mailDir, `notification-${row.id}.eml`);
    const until = Date.now() + 30_000;
    while (!fs.existsSync(file) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));

    const eml = fs.readFileSync(file, 'utf8');
    expect(eml).toContain('To: new.patient@example.org');
    expect(eml).toContain(`Message-ID: <notification-${row.id}@demo.clinic.test>`);
    expect(fs.readdirSync(mailDir).filter((f) => f.endsWith('.eml'))).toHaveLength(1);

    const [latest] = await listRecentMail({ id: 1, role: 'superuser' }, 5);
    expect(latest).toMatchObject({ id: row.id, to: 'new.patient@example.org', status: 'sent', attempts: 1, kind: 'activation' });
    expect(latest.subject).toContain('Activate your account');
    expect(latest.file?.path).toBe(path.resolve(file));
    expect(latest.file?.links).toContain('http://demo.clinic.test:8080/activate?token=demo-token');
  });

  it('refuses to open an embedded queue folder that another live worker holds', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qhealth-pglite-held-'));
    fs.writeFileSync(`${dir}.worker.pid`, String(process.ppid));
    const saved = config().pgliteDir;
    overrideConfig({ pgliteDir: dir });
    try {
      await expect(openQueue()).rejects.toThrow(/in use by worker process/);
    } finally {
      overrideConfig({ pgliteDir: saved });
      fs.rmSync(`${dir}.worker.pid`, { force: true });
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the mail log from patients and doctors', async () => {
    await expect(listRecentMail({ id: 5, role: 'patient' })).rejects.toMatchObject({ status: 403 });
    await expect(listRecentMail({ id: 6, role: 'doctor' })).rejects.toMatchObject({ status: 403 });
  });
});
