import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../server/access/actor.js';
import { makeDiagnostic, makeUser } from '../server/appointments/test-fixtures.js';
import { cancelAppointment } from '../server/appointments/cancel.js';
import { queueReminders } from '../server/appointments/reminders.js';
import { config, overrideConfig } from '../server/config.js';
import { db } from '../server/db/data-source.js';
import { Appointment } from '../server/db/entities/appointment.js';
import { AuditEvent } from '../server/db/entities/audit-event.js';
import { Notification } from '../server/db/entities/notification.js';
import { listFailedDeliveries, listRecentMail, retryDelivery } from '../server/notifications/admin-api.js';
import { QUEUES } from '../server/notifications/boss.js';
import { deliveryJobId } from '../server/notifications/relay.js';
import { createQueueDatabase, notificationIdOf, startSmtpSink, type QueueDatabase, type SmtpSink } from './notifications-support.js';
import { startWorker, type RunningWorker } from '../server/notifications/worker-loop.js';
import { clock } from '../server/shared/clock.js';
import { inTransaction, type NotificationInput } from '../server/shared/unit-of-work.js';
import { useTestDatabase } from './support/db.js';

/**
 * The worker end to end, in this process: outbox rows written in a
 * transaction, relayed into pg-boss (PostgreSQL when PG_BOSS_URL or
 * TEST_PG_BOSS_URL is set, else embedded PGlite), delivered over SMTP to a
 * real sink, retried on refusals.
 */
useTestDatabase();

let queueDb: QueueDatabase;
let sink: SmtpSink;
let worker: RunningWorker;

beforeAll(async () => {
  queueDb = await createQueueDatabase();
  sink = await startSmtpSink();
  const c = config();
  overrideConfig({
    pgBossUrl: queueDb.pgBossUrl,
    pgliteDir: queueDb.pgliteDir ?? c.pgliteDir,
    publicUrl: 'https://clinic.example.org',
    mail: { ...c.mail, smtpUrl: sink.url },
    worker: { ...c.worker, mailRetryLimit: 2, mailRetryDelaySeconds: 1, outboxPollMs: 100, concurrency: 5 },
  });
  worker = await startWorker({ schedule: false });
}, 90_000);

afterAll(async () => {
  await worker?.stop();
  await sink?.close();
  await queueDb?.drop();
}, 60_000);

async function notify(...inputs: NotificationInput[]): Promise<number[]> {
  await inTransaction(SYSTEM_ACTOR, async (w) => {
    for (const input of inputs) await w.notify(input);
  });
  const rows = await db().getRepository(Notification).find({ select: { id: true, dedupeKey: true } });
  return inputs.map((i) => rows.find((r) => r.dedupeKey === i.dedupeKey)!.id);
}

function receivedFor(id: number) {
  return sink.received.filter((m) => notificationIdOf(m.messageId) === id);
}

async function rowOf(id: number): Promise<Notification> {
  return db().getRepository(Notification).findOneByOrFail({ id });
}

async function waitForRow(id: number, predicate: (row: Notification) => boolean, timeoutMs = 30_000): Promise<Notification> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const row = await rowOf(id);
    if (predicate(row)) return row;
    if (Date.now() > until) throw new Error(`notification ${id} stayed ${row.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const admin = { id: 1, role: 'admin' as const };

describe('the notification worker', () => {
  it('delivers each notification once, to its recipient, with its subject and an absolute link', async () => {
    const inputs: NotificationInput[] = [
      { kind: 'activation', toEmail: 'ana@example.org', data: { firstName: 'Ana', link: '/activate?token=t1' }, dedupeKey: 'e2e:activation' },
      { kind: 'password_reset', toEmail: 'bo@example.org', data: { firstName: 'Bo', link: '/reset-password?token=t2' }, dedupeKey: 'e2e:reset' },
      { kind: 'staff_invitation', toEmail: 'cy@example.org', data: { firstName: 'Cy', role: 'doctor', link: '/admin/invitation?token=t3' }, dedupeKey: 'e2e:invite' },
      {
        kind: 'visit_booked', toEmail: 'dr.lind@example.org',
        data: { firstName: 'Eva', doctorName: 'Dr. Lind', patientName: 'Ana Ek', startsAt: '2026-12-08T09:00:00.000Z', where: 'Room 2', appointmentId: 4, forRole: 'doctor' },
        dedupeKey: 'e2e:visit',
      },
      { kind: 'season_greeting', toEmail: 'fia@example.org', data: { firstName: 'Fia', occasion: 'new_year' }, dedupeKey: 'e2e:season' },
    ];
    const ids = await notify(...inputs);
    // The same notification written again (same dedupe key) is not a second mail.
    await notify(inputs[0]);
    await sink.waitFor(() => ids.every((id) => receivedFor(id).length > 0));
    await new Promise((r) => setTimeout(r, 500));

    const expectations = [
      ['ana@example.org', 'Activate your account', 'https://clinic.example.org/activate?token=t1'],
      ['bo@example.org', 'Reset your password', 'https://clinic.example.org/reset-password?token=t2'],
      ['cy@example.org', 'invited', 'https://clinic.example.org/admin/invitation?token=t3'],
      ['dr.lind@example.org', 'Visit booked', 'https://clinic.example.org/admin'],
      ['fia@example.org', 'Happy New Year', null],
    ] as const;
    ids.forEach((id, i) => {
      const [to, subject, link] = expectations[i];
      const mails = receivedFor(id);
      expect(mails).toHaveLength(1);
      expect(mails[0].to).toBe(to);
      expect(mails[0].subject).toContain(subject);
      expect(mails[0].messageId).toBe(`<notification-${id}@clinic.example.org>`);
      if (link) {
        expect(mails[0].text).toContain(link);
        expect(mails[0].html).toContain(`href="${link}"`);
      }
    });
    const rows = await Promise.all(ids.map(rowOf));
    expect(rows.map((r) => [r.status, r.attempts])).toEqual(ids.map(() => ['sent', 1]));
    expect(await db().getRepository(Notification).countBy({ dedupeKey: 'e2e:activation' })).toBe(1);

    const log = await listRecentMail(admin, 10);
    expect(log.find((m) => m.id === ids[0])).toMatchObject({ to: 'ana@example.org', status: 'sent', attempts: 1, kind: 'activation' });
  });

  it('delivers on the third try when the mail server answers 451 twice', async () => {
    sink.answer = (mail, offer) => (mail.to === 'greylisted@example.org' && offer <= 2 ? 451 : null);
    const [id] = await notify({ kind: 'welcome', toEmail: 'greylisted@example.org', data: { firstName: 'Gus' }, dedupeKey: 'e2e:greylisted' });
    await sink.waitFor(() => receivedFor(id).length > 0);
    const row = await waitForRow(id, (r) => r.status === 'sent');
    expect(sink.offered.get(`<notification-${id}@clinic.example.org>`)).toBe(3);
    expect(receivedFor(id)).toHaveLength(1);
    expect(row.attempts).toBe(3);
    expect(row.lastError).toBeNull();
  });

  it('marks a permanently refused mail failed, lists it for admins, and sends it when an admin retries', async () => {
    let mailboxExists = false;
    sink.answer = (mail) => (mail.to === 'nobody@example.org' && !mailboxExists ? 550 : null);
    const [id] = await notify({ kind: 'account_blocked', toEmail: 'nobody@example.org', data: { firstName: 'Ned' }, dedupeKey: 'e2e:refused' });

    const failed = await waitForRow(id, (r) => r.status === 'failed');
    expect(failed.attempts).toBe(3); // the first try and MAIL_RETRY_LIMIT=2 retries
    expect(failed.lastError).toContain('550');
    expect(receivedFor(id)).toHaveLength(0);

    const listed = await listFailedDeliveries(admin);
    expect(listed.map((m) => m.id)).toContain(id);
    expect(listed.find((m) => m.id === id)).toMatchObject({ to: 'nobody@example.org', status: 'failed', attempts: 3 });

    await expect(retryDelivery({ id: 9, role: 'doctor' }, id)).rejects.toMatchObject({ status: 403 });
    mailboxExists = true;
    await retryDelivery(admin, id);
    await expect(retryDelivery(admin, id)).rejects.toMatchObject({ status: 409 });
    await sink.waitFor(() => receivedFor(id).length > 0);
    const sent = await waitForRow(id, (r) => r.status === 'sent');
    expect(sent.attempts).toBe(4);
    expect(receivedFor(id)).toHaveLength(1);
    expect(await db().getRepository(AuditEvent).countBy({ action: 'notification.retry', recordId: String(id), outcome: 'success' })).toBe(1);
    // The doctor's refused retry and the second click are kept as attempts, not as retries.
    expect(await db().getRepository(AuditEvent).countBy({ action: 'notification.retry', recordId: String(id), outcome: 'denied' })).toBe(1);
    expect(await db().getRepository(AuditEvent).countBy({ action: 'notification.retry', recordId: String(id), outcome: 'failed' })).toBe(1);
    await expect(retryDelivery(admin, 999_999)).rejects.toMatchObject({ status: 404 });
  });

  it('sends a reminder once when the reminder job runs twice', async () => {
    sink.answer = () => null;
    const { user: patient } = await makeUser('patient', { email: 'remind.me@example.org', firstName: 'Rut' });
    const diagnostic = await makeDiagnostic({ name: 'Ultrasound' });
    const now = clock.now();
    const startsAt = new Date(Math.ceil((now.getTime() + 3 * 3600_000) / 900_000) * 900_000);
    const appointment = await db().getRepository(Appointment).save(db().getRepository(Appointment).create({
      patientId: patient.id, kind: 'diagnostic', diagnosticId: diagnostic.id, status: 'scheduled',
      startsAt, endsAt: new Date(startsAt.getTime() + 30 * 60_000), patientNote: 'sharp pain in the left knee',
    }));

    expect(await queueReminders(now)).toBeGreaterThanOrEqual(1);
    expect(await queueReminders(new Date(now.getTime() + 15 * 60_000))).toBeGreaterThanOrEqual(1);

    const key = `reminder:appointment:${appointment.id}:${startsAt.toISOString()}`;
    const row = await db().getRepository(Notification).findOneByOrFail({ dedupeKey: key });
    await sink.waitFor(() => receivedFor(row.id).length > 0);
    await new Promise((r) => setTimeout(r, 1000));
    const mails = sink.received.filter((m) => m.to === 'remind.me@example.org');
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toContain('Reminder: Ultrasound');
    expect(mails[0].text).not.toContain('knee');
    expect(await db().getRepository(Notification).countBy({ kind: 'appointment_reminder', toEmail: 'remind.me@example.org' })).toBe(1);
  });

  describe('reminders of appointments that changed before their mail went out', () => {
    /** A scheduled diagnostic `hours` from now (on a quarter hour), for a new patient. */
    async function appointmentIn(hours: number, email: string) {
      const { user: patient } = await makeUser('patient', { email, firstName: 'Pia' });
      const diagnostic = await makeDiagnostic();
      const startsAt = new Date(Math.ceil((clock.now().getTime() + hours * 3600_000) / 900_000) * 900_000);
      return db().getRepository(Appointment).save(db().getRepository(Appointment).create({
        patientId: patient.id, kind: 'diagnostic', diagnosticId: diagnostic.id, status: 'scheduled',
        startsAt, endsAt: new Date(startsAt.getTime() + 30 * 60_000),
      }));
    }

    async function reminderOf(appointment: Appointment): Promise<Notification> {
      return db().getRepository(Notification).findOneByOrFail({ dedupeKey: `reminder:appointment:${appointment.id}:${appointment.startsAt!.toISOString()}` });
    }

    async function waitForJob(notificationId: number, done: (state: string | undefined) => boolean): Promise<void> {
      const until = Date.now() + 30_000;
      for (;;) {
        const job = await worker.queue.boss.getJobById(QUEUES.deliver, deliveryJobId(notificationId));
        if (done(job?.state)) return;
        if (Date.now() > until) throw new Error(`delivery job of notification ${notificationId} stayed ${job?.state}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }

    it('sends no reminder for an appointment cancelled while the mail server was down, but sends the cancellation and the other reminders', { timeout: 60_000 }, async () => {
      let smtpDown = true;
      const patients = ['cancelled.soon@example.org', 'still.booked@example.org', 'moved.later@example.org'];
      sink.answer = (mail) => (smtpDown && patients.includes(mail.to) ? 451 : null);
      const cancelled = await appointmentIn(5, patients[0]);
      const kept = await appointmentIn(6, patients[1]);
      const moved = await appointmentIn(7, patients[2]);
      await queueReminders(clock.now());
      const [toCancel, toKeep, toMove] = await Promise.all([cancelled, kept, moved].map(reminderOf));
      // Each reminder was offered and refused: the queue holds it for a retry.
      await Promise.all([toCancel, toKeep, toMove].map((r) => waitForRow(r.id, (row) => row.lastError !== null)));

      const { actor: operator } = await makeUser('operator', { firstName: 'Anna', lastName: 'Berg' });
      await cancelAppointment(operator, cancelled.id, { reason: 'device maintenance' });
      expect((await rowOf(toCancel.id)).status).toBe('skipped');
      // A start that moves (a later reschedule) makes the old reminder stale too; the worker checks at delivery.
      await db().getRepository(Appointment).update({ id: moved.id }, {
        startsAt: new Date(moved.startsAt!.getTime() + 3600_000), endsAt: new Date(moved.endsAt!.getTime() + 3600_000),
      });
      // A try that read its row before those changes and is still at the mail server cannot be
      // called back (nor could it in production): let it end, refused, before the server recovers.
      await Promise.all([toCancel, toMove].map((r) => waitForJob(r.id, (state) => state !== 'active')));
      smtpDown = false;

      const cancellation = await db().getRepository(Notification).findOneByOrFail({ dedupeKey: `cancelled:appointment:${cancelled.id}:patient` });
      await sink.waitFor(() => receivedFor(cancellation.id).length > 0 && receivedFor(toKeep.id).length > 0);
      expect(receivedFor(cancellation.id)[0].text).toContain('cancelled by the clinic (Anna Berg, operator).');
      await Promise.all([toCancel, toMove].map((r) => waitForJob(r.id, (state) => state === 'completed')));
      await new Promise((r) => setTimeout(r, 500));

      expect(receivedFor(toCancel.id)).toHaveLength(0);
      expect(receivedFor(toMove.id)).toHaveLength(0);
      expect(sink.received.filter((m) => m.to === patients[0]).map((m) => m.subject)).toEqual([expect.stringContaining('Cancelled: Scan')]);
      expect(receivedFor(toKeep.id)).toHaveLength(1);
      // Every try counted on the row was one the mail server refused: none came after the recovery.
      for (const r of [toCancel, toMove]) {
        const row = await rowOf(r.id);
        expect(row.status).toBe('skipped');
        expect(row.attempts).toBe(sink.offered.get(`<notification-${r.id}@clinic.example.org>`));
      }
      expect((await rowOf(toKeep.id)).status).toBe('sent');

      const log = await listRecentMail(admin, 50);
      expect(log.find((m) => m.id === toCancel.id)).toMatchObject({ status: 'skipped', kind: 'appointment_reminder' });
      await expect(retryDelivery(admin, toCancel.id)).rejects.toMatchObject({ status: 409 });
    });

    it('sends no reminder when an admin retries a failed one after its appointment was cancelled', { timeout: 60_000 }, async () => {
      sink.answer = (mail) => (mail.to === 'gone.away@example.org' && mail.subject.startsWith('Reminder') ? 550 : null);
      const appointment = await appointmentIn(8, 'gone.away@example.org');
      await queueReminders(clock.now());
      const reminder = await reminderOf(appointment);
      await waitForRow(reminder.id, (r) => r.status === 'failed');

      const { actor: operator } = await makeUser('operator');
      await cancelAppointment(operator, appointment.id);
      // A failed delivery keeps its history; the admin's retry is what the worker must catch.
      expect((await rowOf(reminder.id)).status).toBe('failed');
      sink.answer = () => null;
      await retryDelivery(admin, reminder.id);
      const row = await waitForRow(reminder.id, (r) => r.status === 'skipped');
      await waitForJob(reminder.id, (state) => state === 'completed');
      expect(row.attempts).toBe(3);
      expect(receivedFor(reminder.id)).toHaveLength(0);
    });
  });
});
