import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/support/db.js';
import { db } from './data-source.js';
import { AuditEvent, JournalEntry, Prescription, User } from './entities/index.js';

useTestDatabase();

async function people() {
  const users = db().getRepository(User);
  const patient = await users.save(users.create({ email: `p${Date.now()}@x.test`, role: 'patient', firstName: 'Åsa', lastName: "O'Neil", isActive: true }));
  const doctor = await users.save(users.create({ email: `d${Date.now()}@x.test`, role: 'doctor', firstName: 'Zoë', lastName: 'Ng', isActive: true }));
  return { patient, doctor };
}

describe('append-only tables, refused by the database itself', () => {
  it('refuses UPDATE and DELETE on journal entries', async () => {
    const { patient, doctor } = await people();
    const repo = db().getRepository(JournalEntry);
    const entry = await repo.save(repo.create({
      patientId: patient.id, authorId: doctor.id, recordedById: doctor.id,
      diagnosis: 'Migraine', description: 'Recurring headaches', plan: 'Rest',
    }));
    await expect(db().query('UPDATE journal_entries SET diagnosis = ? WHERE id = ?', ['Changed', entry.id])).rejects.toThrow(/append-only/);
    await expect(db().query('DELETE FROM journal_entries WHERE id = ?', [entry.id])).rejects.toThrow(/append-only/);
    const again = await repo.findOneByOrFail({ id: entry.id });
    expect(again.diagnosis).toBe('Migraine');
  });

  it('refuses UPDATE and DELETE on prescriptions and audit events', async () => {
    const { patient, doctor } = await people();
    const rx = await db().getRepository(Prescription).save({
      patientId: patient.id, authorId: doctor.id, recordedById: doctor.id,
      medication: 'Ibuprofen', dosage: '400 mg', instructions: 'Twice daily',
    });
    await expect(db().query('UPDATE prescriptions SET dosage = ? WHERE id = ?', ['800 mg', rx.id])).rejects.toThrow(/append-only/);
    await expect(db().query('DELETE FROM prescriptions WHERE id = ?', [rx.id])).rejects.toThrow(/append-only/);
    const audit = await db().getRepository(AuditEvent).save({ action: 'test', resource: 'test', actorRole: 'system' });
    await expect(db().query('DELETE FROM audit_events WHERE id = ?', [audit.id])).rejects.toThrow(/append-only/);
    expect(await db().getRepository(Prescription).countBy({ id: rx.id })).toBe(1);
  });
});
