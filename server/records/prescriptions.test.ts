import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/support/db.js';
import { actorFor, countRows, makeClinic, makeUser } from '../../test/support/people.js';
import { db } from '../db/data-source.js';
import { AuditEvent, Notification, Prescription } from '../db/entities/index.js';
import { clock } from '../shared/clock.js';
import { Forbidden, Invalid, NotFound } from '../shared/errors.js';
import { addJournalEntry } from './journal.js';
import { addPrescription, getPrescription, listPrescriptions } from './prescriptions.js';

useTestDatabase();

let clinic: Awaited<ReturnType<typeof makeClinic>>;
beforeAll(async () => {
  clinic = await makeClinic();
});

const rx = (patientId: number, extra: Record<string, unknown> = {}) => ({
  patientId, medication: 'Amoxicillin', dosage: '500 mg three times daily', instructions: 'For 7 days, with food.', ...extra,
});

describe('adding prescriptions', () => {
  it('lets a pharmacist prescribe in their own name, with audit row, mail without medical details, and nothing else', async () => {
    const entry = await addJournalEntry(clinic.as.doctor, { patientId: clinic.patient.id, diagnosis: 'Otitis media', description: 'Ear pain' });
    const added = await addPrescription(clinic.as.pharmacist, rx(clinic.patient.id, { journalEntryId: entry.id }));
    expect(added).toMatchObject({ journalEntryId: entry.id, author: { id: clinic.pharmacist.id }, recordedBy: { id: clinic.pharmacist.id } });
    const audit = await db().getRepository(AuditEvent).findOneByOrFail({ resource: 'prescription', recordId: String(added.id) });
    expect(audit).toMatchObject({ action: 'create', actorId: clinic.pharmacist.id, patientId: clinic.patient.id });
    const mail = await db().getRepository(Notification).findOneByOrFail({ dedupeKey: `prescription_added:${added.id}` });
    expect(mail).toMatchObject({ kind: 'prescription_added', toEmail: clinic.patient.email });
    expect(JSON.stringify(mail.data)).not.toMatch(/amoxicillin|500 mg/i);
  });

  it('records both the pharmacist and the admin when an admin writes on a pharmacist\'s behalf', async () => {
    const added = await addPrescription(clinic.as.admin, rx(clinic.patient.id, { onBehalfOfPharmacistId: clinic.pharmacist.id }));
    const row = await db().getRepository(Prescription).findOneByOrFail({ id: added.id });
    expect([row.authorId, row.recordedById]).toEqual([clinic.pharmacist.id, clinic.admin.id]);
  });

  it('refuses doctors, operators and patients, and admins who name no active pharmacist, writing nothing', async () => {
    const blocked = await makeUser('pharmacist', { isBlocked: true });
    const before = await countRows('prescriptions');
    for (const who of [clinic.as.doctor, clinic.as.operator, clinic.as.patient]) {
      await expect(addPrescription(who, rx(clinic.patient.id))).rejects.toBeInstanceOf(Forbidden);
    }
    await expect(addPrescription(clinic.as.admin, rx(clinic.patient.id))).rejects.toMatchObject({ fields: { onBehalfOfPharmacistId: expect.any(String) } });
    for (const id of [blocked.id, clinic.doctor.id]) {
      await expect(addPrescription(clinic.as.superuser, rx(clinic.patient.id, { onBehalfOfPharmacistId: id }))).rejects.toBeInstanceOf(Invalid);
    }
    expect(await countRows('prescriptions')).toBe(before);
  });

  it('refuses a link to another patient\'s journal entry', async () => {
    const foreign = await addJournalEntry(clinic.as.doctor, { patientId: clinic.otherPatient.id, diagnosis: 'Asthma', description: 'Wheezing' });
    const before = await countRows('prescriptions');
    await expect(addPrescription(clinic.as.pharmacist, rx(clinic.patient.id, { journalEntryId: foreign.id })))
      .rejects.toMatchObject({ fields: { journalEntryId: expect.any(String) } });
    expect(await countRows('prescriptions')).toBe(before);
  });
});

describe('reading prescriptions', () => {
  it('lists newest first with author and patient for staff, and only their own for a patient', async () => {
    const patient = await makeUser('patient', { firstName: 'Chidinma', lastName: 'Okonkwo' });
    const made: number[] = [];
    for (let i = 0; i < 3; i++) {
      clock.set(new Date(Date.parse('2026-05-01T09:00:00Z') + i * 3_600_000));
      made.push((await addPrescription(clinic.as.pharmacist, rx(patient.id, { medication: `Med ${i}` }))).id);
    }
    clock.reset();
    const staff = await listPrescriptions(clinic.as.doctor, { patientId: patient.id });
    expect(staff.items.map((p) => p.id)).toEqual([...made].reverse());
    expect(staff.items[0]).toMatchObject({ author: { id: clinic.pharmacist.id }, patient: { id: patient.id, lastName: 'Okonkwo' } });
    const own = await listPrescriptions(actorFor(patient), { perPage: 2 });
    expect(own).toMatchObject({ total: 3, page: 1, perPage: 2 });
    expect(own.items[0]).not.toHaveProperty('patient');
    expect((await listPrescriptions(actorFor(clinic.otherPatient), { patientId: patient.id })).total).toBe(0);
    await expect(getPrescription(actorFor(clinic.otherPatient), made[0])).rejects.toBeInstanceOf(NotFound);
    await expect(getPrescription(actorFor(patient), made[0])).resolves.toMatchObject({ medication: 'Med 0' });
  });

  it('keeps operators out and audits staff reads with the patient named', async () => {
    const added = await addPrescription(clinic.as.pharmacist, rx(clinic.patient.id));
    await expect(listPrescriptions(clinic.as.operator, {})).rejects.toBeInstanceOf(Forbidden);
    await expect(getPrescription(clinic.as.operator, added.id)).rejects.toBeInstanceOf(Forbidden);
    const before = await db().getRepository(AuditEvent).countBy({ action: 'read', resource: 'prescription', patientId: clinic.patient.id });
    await getPrescription(clinic.as.admin, added.id);
    await listPrescriptions(clinic.as.superuser, { patientId: clinic.patient.id });
    expect(await db().getRepository(AuditEvent).countBy({ action: 'read', resource: 'prescription', patientId: clinic.patient.id })).toBe(before + 2);
    // A list across patients names each patient it showed.
    await listPrescriptions(clinic.as.doctor, { perPage: 100 });
    expect(await db().getRepository(AuditEvent).countBy({ action: 'read', resource: 'prescription', patientId: clinic.patient.id })).toBe(before + 3);
  });
});
