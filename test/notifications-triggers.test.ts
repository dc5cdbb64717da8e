import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, makeDiagnostic, makeUser, MONDAY_MORNING, TUESDAY } from '../server/appointments/test-fixtures.js';
import { cancelAppointment } from '../server/appointments/cancel.js';
import { requestDiagnostic } from '../server/appointments/request.js';
import { scheduleRequest } from '../server/appointments/schedule.js';
import { config, overrideConfig } from '../server/config.js';
import { blockUser, unblockUser } from '../server/users/blocking.js';
import { activateAccount, registerPatient } from '../server/users/registration.js';
import { startWorker, type RunningWorker } from '../server/notifications/worker-loop.js';
import { clock } from '../server/shared/clock.js';
import { db } from '../server/db/data-source.js';
import { Notification } from '../server/db/entities/notification.js';
import { createQueueDatabase, startSmtpSink, type QueueDatabase, type ReceivedMail, type SmtpSink } from './notifications-support.js';
import { useTestDatabase } from './support/db.js';

/**
 * Real triggers: the services of the other features write the outbox rows in
 * their transactions; the worker delivers them. Each mail arrives once, to
 * the right person, with a working absolute link and no medical details.
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
    worker: { ...c.worker, outboxPollMs: 100 },
  });
  worker = await startWorker({ schedule: false });
}, 90_000);

afterAll(async () => {
  clock.reset();
  await worker?.stop();
  await sink?.close();
  await queueDb?.drop();
}, 60_000);

async function mailTo(to: string, subject: string): Promise<ReceivedMail> {
  const matching = () => sink.received.filter((m) => m.to === to && m.subject.includes(subject));
  await sink.waitFor(() => matching().length > 0);
  await new Promise((r) => setTimeout(r, 300));
  expect(matching()).toHaveLength(1);
  return matching()[0];
}

describe('mail caused by the services', () => {
  it('sends the activation link on registration, and the welcome once the link is opened', async () => {
    await registerPatient({ email: 'Mira.Holm@Example.org', password: 'a quiet harbour at dawn', firstName: 'Mira', lastName: 'Holm', dateOfBirth: '1988-04-02' });
    const activation = await mailTo('mira.holm@example.org', 'Activate your account');
    const link = /https:\/\/clinic\.example\.org\/activate\?token=(\S+)/.exec(activation.text);
    expect(link).not.toBeNull();
    // Once the mail is out, the outbox row no longer holds a usable token.
    const [row] = await db().getRepository(Notification).findBy({ kind: 'activation', toEmail: 'mira.holm@example.org' });
    expect(row.status).toBe('sent');
    expect(JSON.stringify(row.data)).not.toContain(link![1]);
    expect(row.data.link).toBe('/activate?token=redacted');
    await activateAccount(decodeURIComponent(link![1]));
    const welcome = await mailTo('mira.holm@example.org', 'Your account is active');
    expect(welcome.text).toContain('Hello Mira,');
  });

  it('tells the patient of the request, the booking and the cancellation, without their note', async () => {
    clock.set(MONDAY_MORNING);
    const { user: patient, actor: patientActor } = await makeUser('patient', { email: 'otto@example.org', firstName: 'Otto' });
    const { actor: operator } = await makeUser('operator', { firstName: 'Anna', lastName: 'Berg' });
    const diagnostic = await makeDiagnostic({ name: 'Echocardiogram' });

    const request = await requestDiagnostic(patientActor, { diagnosticId: diagnostic.id, note: 'shortness of breath when climbing stairs' });
    const received = await mailTo(patient.email, 'We received your request');
    expect(received.text).toContain('Echocardiogram');

    await scheduleRequest(operator, request.id, { startsAt: at(TUESDAY, '10:00').toISOString() });
    const booked = await mailTo(patient.email, 'Booked: Echocardiogram');
    expect(booked.text).toContain('10:00');
    expect(booked.text).toContain('https://clinic.example.org/appointments');

    await cancelAppointment(operator, request.id, { reason: 'device maintenance' });
    const cancelled = await mailTo(patient.email, 'Cancelled: Echocardiogram');
    expect(cancelled.text).toContain('was cancelled by the clinic (Anna Berg, operator).');
    expect(cancelled.text).not.toContain('maintenance');

    for (const mail of [received, booked, cancelled]) {
      expect(mail.text).not.toContain('breath');
      expect(mail.html).not.toContain('breath');
    }
    clock.reset();
  });

  it('tells a user that their account was blocked and unblocked', async () => {
    const { user } = await makeUser('patient', { email: 'blocked.user@example.org' });
    const { actor: admin } = await makeUser('admin');
    await blockUser(admin, user.id, 'Repeated no-shows');
    const blocked = await mailTo('blocked.user@example.org', 'blocked');
    expect(blocked.text).not.toContain('no-shows');
    await unblockUser(admin, user.id);
    await mailTo('blocked.user@example.org', 'unblocked');
  });
});
