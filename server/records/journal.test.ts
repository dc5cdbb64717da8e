import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/support/db.js';
import { actorFor, countRows, makeClinic, makeUser } from '../../test/support/people.js';
import { overrideConfig } from '../config.js';
import { db } from '../db/data-source.js';
import { AuditEvent, JournalEntry, Notification } from '../db/entities/index.js';
import { localChanges, type ChangeEvent } from '../live/changes.js';
import { clock } from '../shared/clock.js';
import { Forbidden, Invalid, NotFound } from '../shared/errors.js';
import * as records from './index.js';
import { addJournalEntry, getJournalEntry, listJournal } from './journal.js';

useTestDatabase();

let clinic: Awaited<ReturnType<typeof makeClinic>>;
beforeAll(async () => {
  clinic = await makeClinic();
});
afterEach(() => clock.reset());

const entry = (patientId: number, extra: Record<string, unknown> = {}) => ({
  patientId, diagnosis: 'Migraine', description: 'Recurring headaches, worse in the morning.', plan: 'Sleep diary for 2 weeks', ...extra,
});

describe('adding journal entries', () => {
  it('lets a doctor add an entry in their own name, with its audit row, mail and live event', async () => {
    const events: ChangeEvent[] = [];
    const listen = (e: ChangeEvent) => events.push(e);
    localChanges.emitter.on('change', listen);
    const added = await addJournalEntry(clinic.as.doctor, entry(clinic.patient.id));
    localChanges.emitter.off('change', listen);

    expect(added).toMatchObject({ patientId: clinic.patient.id, diagnosis: 'Migraine', author: { id: clinic.doctor.id }, recordedBy: { id: clinic.doctor.id } });
    const row = await db().getRepository(JournalEntry).findOneByOrFail({ id: added.id });
    expect(row).toMatchObject({ authorId: clinic.doctor.id, recordedById: clinic.doctor.id, plan: 'Sleep diary for 2 weeks' });
    const audit = await db().getRepository(AuditEvent).findOneByOrFail({ resource: 'journalEntry', recordId: String(added.id) });
    expect(audit).toMatchObject({ action: 'create', actorId: clinic.doctor.id, patientId: clinic.patient.id, outcome: 'success' });
    const mail = await db().getRepository(Notification).findOneByOrFail({ dedupeKey: `journal_entry_added:${added.id}` });
    expect(mail).toMatchObject({ kind: 'journal_entry_added', toEmail: clinic.patient.email, recipientUserId: clinic.patient.id });
    // No medical detail travels in the mail's data.
    expect(JSON.stringify(mail.data)).not.toMatch(/Migraine|headache|diary/i);
    expect(events).toContainEqual(expect.objectContaining({ resource: 'journalEntry', id: added.id, action: 'created', patientId: clinic.patient.id }));
  });

  it('records both the doctor and the admin when an admin writes on a doctor\'s behalf', async () => {
    for (const who of [clinic.as.admin, clinic.as.superuser]) {
      const added = await addJournalEntry(who, entry(clinic.patient.id, { onBehalfOfDoctorId: clinic.doctor.id }));
      const row = await db().getRepository(JournalEntry).findOneByOrFail({ id: added.id });
      expect(row.authorId).toBe(clinic.doctor.id);
      expect(row.recordedById).toBe(who.id);
    }
  });

  it('refuses an admin entry that names no doctor, or a doctor who is blocked, inactive or not a doctor', async () => {
    const blocked = await makeUser('doctor', { isBlocked: true });
    const inactive = await makeUser('doctor', { isActive: false });
    const before = await countRows('journal_entries');
    await expect(addJournalEntry(clinic.as.admin, entry(clinic.patient.id))).rejects.toMatchObject({ fields: { onBehalfOfDoctorId: expect.any(String) } });
    for (const id of [blocked.id, inactive.id, clinic.pharmacist.id, 999_999]) {
      await expect(addJournalEntry(clinic.as.admin, entry(clinic.patient.id, { onBehalfOfDoctorId: id }))).rejects.toBeInstanceOf(Invalid);
    }
    expect(await countRows('journal_entries')).toBe(before);
  });

  it('refuses a doctor writing in another doctor\'s name', async () => {
    const colleague = await makeUser('doctor');
    const before = await countRows('journal_entries');
    await expect(addJournalEntry(clinic.as.doctor, entry(clinic.patient.id, { onBehalfOfDoctorId: colleague.id }))).rejects.toBeInstanceOf(Forbidden);
    expect(await countRows('journal_entries')).toBe(before);
  });

  it('refuses operators, pharmacists and patients, writing nothing', async () => {
    const before = await countRows('journal_entries');
    const notifications = await countRows('notifications');
    for (const who of [clinic.as.operator, clinic.as.pharmacist, clinic.as.patient]) {
      await expect(addJournalEntry(who, entry(clinic.patient.id, { onBehalfOfDoctorId: clinic.doctor.id }))).rejects.toBeInstanceOf(Forbidden);
    }
    expect(await countRows('journal_entries')).toBe(before);
    expect(await countRows('notifications')).toBe(notifications);
  });

  it('refuses an entry about someone who is not a patient', async () => {
    await expect(addJournalEntry(clinic.as.doctor, entry(clinic.operator.id))).rejects.toMatchObject({ status: 400, fields: { patientId: expect.any(String) } });
    await expect(addJournalEntry(clinic.as.doctor, entry(424_242))).rejects.toBeInstanceOf(Invalid);
  });

  it('says field by field what is missing', async () => {
    await expect(addJournalEntry(clinic.as.doctor, { patientId: clinic.patient.id, diagnosis: '  ', description: '' }))
      .rejects.toMatchObject({ fields: { diagnosis: expect.any(String), description: expect.any(String) } });
  });

  it('refuses control characters: none in the diagnosis, line breaks only in the description', async () => {
    await expect(addJournalEntry(clinic.as.doctor, { patientId: clinic.patient.id, diagnosis: 'Flu\nA', description: 'x' }))
      .rejects.toMatchObject({ fields: { diagnosis: expect.any(String) } });
    await expect(addJournalEntry(clinic.as.doctor, { patientId: clinic.patient.id, diagnosis: 'Flu', description: 'x\u001b[31m' }))
      .rejects.toMatchObject({ fields: { description: expect.any(String) } });
    const kept = await addJournalEntry(clinic.as.doctor, { patientId: clinic.patient.id, diagnosis: 'Flu', description: 'Fever.\nRest.' });
    expect((kept as { description: string }).description).toBe('Fever.\nRest.');
  });

  it('adds a correction as a new entry pointing at an entry of the same patient only', async () => {
    const original = await addJournalEntry(clinic.as.doctor, entry(clinic.patient.id));
    const other = await addJournalEntry(clinic.as.doctor, entry(clinic.otherPatient.id));
    const correction = await addJournalEntry(clinic.as.doctor, entry(clinic.patient.id, { diagnosis: 'Tension headache', correctsId: original.id }));
    expect(correction.correctsId).toBe(original.id);
    expect((await db().getRepository(JournalEntry).findOneByOrFail({ id: original.id })).diagnosis).toBe('Migraine');
    const audit = await db().getRepository(AuditEvent).findOneByOrFail({ resource: 'journalEntry', recordId: String(correction.id) });
    expect(audit.action).toBe('correct');

    const before = await countRows('journal_entries');
    await expect(addJournalEntry(clinic.as.doctor, entry(clinic.patient.id, { correctsId: other.id }))).rejects.toMatchObject({ fields: { correctsId: expect.any(String) } });
    expect(await countRows('journal_entries')).toBe(before);
  });

  it('offers no way to change or remove an entry', () => {
    const names = Object.keys(records);
    expect(names.filter((n) => /update|edit|delete|remove/i.test(n))).toEqual([]);
  });
});

describe('reading the journal', () => {
  let patient: Awaited<ReturnType<typeof makeUser>>;
  let ids: number[];
  beforeAll(async () => {
    patient = await makeUser('patient', { firstName: 'Nguyễn', lastName: 'Thị Hương' });
    ids = [];
    const start = Date.parse('2026-03-01T10:00:00Z');
    for (let i = 0; i < 5; i++) {
      clock.set(new Date(start + i * 86_400_000));
      const e = await addJournalEntry(clinic.as.doctor, entry(patient.id, { diagnosis: `Visit ${i}` }));
      ids.push(e.id);
    }
    clock.reset();
  });

  it('lists a patient\'s entries newest first, paged, with author and patient names for staff', async () => {
    const page = await listJournal(clinic.as.doctor, { patientId: patient.id, page: 1, perPage: 2 });
    expect(page.total).toBe(5);
    expect(page.items.map((e) => e.id)).toEqual([ids[4], ids[3]]);
    expect(page.items[0]).toMatchObject({ author: { id: clinic.doctor.id, firstName: clinic.doctor.firstName }, patient: { id: patient.id, firstName: 'Nguyễn' }, description: expect.any(String) });
    const second = await listJournal(clinic.as.doctor, { patientId: patient.id, page: 3, perPage: 2 });
    expect(second.items.map((e) => e.id)).toEqual([ids[0]]);
    const oldest = await listJournal(clinic.as.doctor, { patientId: patient.id, sort: 'createdAt', perPage: 1 });
    expect(oldest.items[0].id).toBe(ids[0]);
  });

  it('refuses a sort key that is not on the allow-list', async () => {
    await expect(listJournal(clinic.as.doctor, { sort: 'description' as 'diagnosis' })).rejects.toMatchObject({ fields: { sort: expect.any(String) } });
  });

  it('filters by author and by time', async () => {
    const byOther = await listJournal(clinic.as.admin, { patientId: patient.id, authorId: clinic.pharmacist.id });
    expect(byOther.total).toBe(0);
    const ranged = await listJournal(clinic.as.admin, { patientId: patient.id, from: new Date('2026-03-02T00:00:00Z'), to: new Date('2026-03-04T00:00:00Z') });
    expect(ranged.items.map((e) => e.diagnosis)).toEqual(['Visit 2', 'Visit 1']);
    const days = await listJournal(clinic.as.admin, { patientId: patient.id, from: '2026-03-02', to: '2026-03-03' });
    expect(days.items.map((e) => e.diagnosis)).toEqual(['Visit 2', 'Visit 1']);
  });

  it('refuses impossible days in the time filters instead of rolling them over', async () => {
    for (const bad of ['2026-02-30', '2026-03-02T10:00', 'soon', '']) {
      const err = await listJournal(clinic.as.admin, { to: bad }).then(() => null, (e: unknown) => e);
      expect(err, bad).toBeInstanceOf(Invalid);
      expect((err as Invalid).fields).toHaveProperty('to');
    }
  });

  it('shows a patient their own entries only, and answers "not found" for anyone else\'s', async () => {
    const own = await listJournal(actorFor(patient), {});
    expect(own.total).toBe(5);
    expect(own.items[0]).not.toHaveProperty('patient');
    expect(own.items[0]).toHaveProperty('description');
    const prying = await listJournal(actorFor(patient), { patientId: clinic.patient.id });
    expect(prying.total).toBe(0);
    await expect(getJournalEntry(actorFor(clinic.otherPatient), ids[0])).rejects.toBeInstanceOf(NotFound);
    await expect(getJournalEntry(actorFor(patient), ids[0])).resolves.toMatchObject({ id: ids[0] });
  });

  it('shows a pharmacist the diagnosis only, never the description or plan', async () => {
    const page = await listJournal(clinic.as.pharmacist, { patientId: patient.id });
    expect(page.total).toBe(5);
    for (const e of page.items) {
      expect(Object.keys(e).sort()).toEqual(['author', 'createdAt', 'diagnosis', 'id', 'patient', 'patientId']);
    }
    const one = await getJournalEntry(clinic.as.pharmacist, ids[1]);
    expect(one).not.toHaveProperty('description');
    expect(one).not.toHaveProperty('plan');
  });

  it('keeps operators out of the journal', async () => {
    await expect(listJournal(clinic.as.operator, {})).rejects.toBeInstanceOf(Forbidden);
    await expect(getJournalEntry(clinic.as.operator, ids[0])).rejects.toBeInstanceOf(Forbidden);
  });

  it('answers "not found" for an id that does not exist', async () => {
    await expect(getJournalEntry(clinic.as.doctor, 987_654)).rejects.toBeInstanceOf(NotFound);
  });

  it('audits every staff read once, naming the patient, and not a patient\'s own reads', async () => {
    const audits = db().getRepository(AuditEvent);
    const reads = () => audits.countBy({ action: 'read', resource: 'journalEntry', patientId: patient.id });
    const before = await reads();
    await listJournal(clinic.as.doctor, { patientId: patient.id });
    await getJournalEntry(clinic.as.pharmacist, ids[2]);
    expect(await reads()).toBe(before + 2);
    const latest = await audits.findOneOrFail({ where: { action: 'read', resource: 'journalEntry', recordId: String(ids[2]) }, order: { id: 'DESC' } });
    expect(latest).toMatchObject({ actorId: clinic.pharmacist.id, actorRole: 'pharmacist', patientId: patient.id });

    await listJournal(actorFor(patient), {});
    await getJournalEntry(actorFor(patient), ids[0]);
    expect(await reads()).toBe(before + 2);
  });

  it('names every patient whose entries a staff list across patients showed, once each', async () => {
    const other = await makeUser('patient');
    await addJournalEntry(clinic.as.doctor, entry(other.id, { diagnosis: 'Sprain' }));
    const audits = db().getRepository(AuditEvent);
    const readsOf = (patientId: number) => audits.countBy({ action: 'read', resource: 'journalEntry', patientId });
    const before = [await readsOf(patient.id), await readsOf(other.id)];
    const page = await listJournal(clinic.as.doctor, { perPage: 100 });
    const shown = new Set(page.items.map((e) => e.patientId));
    expect(shown.has(patient.id) && shown.has(other.id)).toBe(true);
    expect([await readsOf(patient.id), await readsOf(other.id)]).toEqual([before[0] + 1, before[1] + 1]);
    const latest = await audits.findOneOrFail({ where: { action: 'read', resource: 'journalEntry', patientId: other.id }, order: { id: 'DESC' } });
    expect(latest).toMatchObject({ actorId: clinic.doctor.id, actorRole: 'doctor', outcome: 'success' });
  });

  it('does not audit staff reads when the clinic has turned that off', async () => {
    overrideConfig({ auditStaffReads: false });
    try {
      const before = await countRows('audit_events');
      await listJournal(clinic.as.doctor, { patientId: patient.id });
      expect(await countRows('audit_events')).toBe(before);
    } finally {
      overrideConfig({ auditStaffReads: true });
    }
  });
});
