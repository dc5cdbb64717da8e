import { describe, expect, it } from 'vitest';
import { testDatabaseKind, useTestDatabase } from '../../test/support/db.js';
import { db } from '../db/data-source.js';
import { AuditEvent } from '../db/entities/audit-event.js';
import { Diagnostic, diagnosticNameKey } from '../db/entities/diagnostic.js';
import { userActor } from '../access/actor.js';
import { makeUser } from '../appointments/test-fixtures.js';
import { requestDiagnostic } from '../appointments/index.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../shared/errors.js';
import { isUniqueViolation } from '../shared/unit-of-work.js';
import {
  createDiagnostic, getDiagnostic, listDiagnostics, removeDiagnostic, setDiagnosticActive, updateDiagnostic,
} from './index.js';

useTestDatabase();

const admin = async () => (await makeUser('admin')).actor;
const diagnosticsCount = () => db().getRepository(Diagnostic).count();

describe('the diagnostics catalogue', () => {
  it('creates a diagnostic with a tidy name, a default of 30 minutes, and an audit event', async () => {
    const actor = await admin();
    const created = await createDiagnostic(actor, { name: '  Chest   X-ray ', description: 'Two views' });
    expect(created).toMatchObject({ name: 'Chest X-ray', durationMinutes: 30, isActive: true, description: 'Two views' });
    const audit = await db().getRepository(AuditEvent).findOneByOrFail({ action: 'diagnostic.create', recordId: String(created.id) });
    expect(audit.changes).toMatchObject({ name: { before: null, after: 'Chest X-ray' } });
  });

  it('refuses control characters in a name or description, but keeps line breaks in a description', async () => {
    const actor = await admin();
    const before = await diagnosticsCount();
    await expect(createDiagnostic(actor, { name: 'Scan\u0000x' })).rejects.toMatchObject({ status: 400, fields: { name: expect.any(String) } });
    await expect(createDiagnostic(actor, { name: 'Scan\nx' })).rejects.toMatchObject({ status: 400, fields: { name: expect.any(String) } });
    await expect(createDiagnostic(actor, { name: 'Scan z', description: 'a\u0007b' })).rejects.toMatchObject({ status: 400, fields: { description: expect.any(String) } });
    expect(await diagnosticsCount()).toBe(before);
    expect((await createDiagnostic(actor, { name: 'Scan z', description: 'Fast 6 hours.\r\n\tWater allowed.' })).description).toContain('\n\tWater');
  });

  it('refuses a lone surrogate in a name or description and an id sent as an array', async () => {
    const actor = await admin();
    const before = await diagnosticsCount();
    await expect(createDiagnostic(actor, { name: 'Scan \ud800' })).rejects.toMatchObject({ status: 400, fields: { name: expect.any(String) } });
    await expect(createDiagnostic(actor, { name: 'Scan y', description: '\udfffx' })).rejects.toMatchObject({ status: 400, fields: { description: expect.any(String) } });
    expect(await diagnosticsCount()).toBe(before);
    const scan = await createDiagnostic(actor, { name: 'Scan w' });
    await expect(getDiagnostic(actor, [scan.id] as never)).rejects.toBeInstanceOf(Invalid);
    await expect(updateDiagnostic(actor, true as never, { name: 'Renamed' })).rejects.toBeInstanceOf(Invalid);
  });

  it('refuses a name that differs only in case or spaces with 409 on the name field, leaving one row', async () => {
    const actor = await admin();
    await createDiagnostic(actor, { name: 'Blood panel' });
    const before = await diagnosticsCount();
    const err = await createDiagnostic(actor, { name: ' BLOOD  panel' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Conflict);
    expect((err as Conflict).fields?.name).toMatch(/already exists/);
    expect(await diagnosticsCount()).toBe(before);
  });

  it('refuses renaming onto another diagnostic\'s name but allows changing the case of its own', async () => {
    const actor = await admin();
    await createDiagnostic(actor, { name: 'ECG' });
    const holter = await createDiagnostic(actor, { name: 'Holter' });
    await expect(updateDiagnostic(actor, holter.id, { name: 'ecg' })).rejects.toMatchObject({ status: 409, fields: { name: expect.any(String) } });
    await expect(updateDiagnostic(actor, holter.id, { name: 'HOLTER', durationMinutes: 45 })).resolves.toMatchObject({ name: 'HOLTER', durationMinutes: 45 });
  });

  it('changes only the fields a patch names, and clears a description given as empty', async () => {
    const actor = await admin();
    const d = await createDiagnostic(actor, { name: 'Colonoscopy', description: 'Fasting required', durationMinutes: 60 });
    await expect(updateDiagnostic(actor, d.id, { durationMinutes: 45 })).resolves.toMatchObject({ description: 'Fasting required', durationMinutes: 45 });
    await expect(updateDiagnostic(actor, d.id, { description: '' })).resolves.toMatchObject({ description: null, durationMinutes: 45 });
    const audits = await db().getRepository(AuditEvent).find({ where: { action: 'diagnostic.update', recordId: String(d.id) }, order: { id: 'ASC' } });
    expect(audits.map((a) => Object.keys(a.changes ?? {}))).toEqual([['durationMinutes'], ['description']]);
  });

  it.each([[0], [3], [7], [485], [30.5]])('refuses a duration of %s minutes', async (minutes) => {
    const actor = await admin();
    const before = await diagnosticsCount();
    const err = await createDiagnostic(actor, { name: `Odd ${minutes}`, durationMinutes: minutes }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Invalid);
    expect((err as Invalid).fields?.durationMinutes).toBeTruthy();
    expect(await diagnosticsCount()).toBe(before);
  });

  it('lets only admins and the superuser change the catalogue', async () => {
    for (const role of ['doctor', 'operator', 'pharmacist', 'patient'] as const) {
      const { actor } = await makeUser(role);
      await expect(createDiagnostic(actor, { name: `By ${role}` })).rejects.toBeInstanceOf(Forbidden);
    }
    await expect(createDiagnostic((await makeUser('superuser')).actor, { name: 'By superuser' })).resolves.toBeTruthy();
  });

  it('shows patients only active diagnostics and hides inactive ones as not found', async () => {
    const actor = await admin();
    const gone = await createDiagnostic(actor, { name: 'Retired scan', isActive: false });
    const { actor: patient } = await makeUser('patient');
    const list = await listDiagnostics(patient, { perPage: 100 });
    expect(list.items.every((d) => d.isActive)).toBe(true);
    expect(list.items.some((d) => d.id === gone.id)).toBe(false);
    await expect(getDiagnostic(patient, gone.id)).rejects.toBeInstanceOf(NotFound);
    const staffList = await listDiagnostics((await makeUser('operator')).actor, { active: false, perPage: 100 });
    expect(staffList.items.map((d) => d.id)).toContain(gone.id);
  });

  it('searches by name, sorts from an allow-list and pages', async () => {
    const actor = await admin();
    await createDiagnostic(actor, { name: 'Skin biopsy', durationMinutes: 60 });
    await createDiagnostic(actor, { name: 'Skin prick test', durationMinutes: 20 });
    const page = await listDiagnostics(actor, { q: 'SKIN', sort: '-durationMinutes', perPage: 1 });
    expect(page).toMatchObject({ total: 2, page: 1, perPage: 1 });
    expect(page.items[0].name).toBe('Skin biopsy');
    await expect(listDiagnostics(actor, { sort: 'description' })).rejects.toBeInstanceOf(Invalid);
    expect((await listDiagnostics(actor, { q: '100%' })).total).toBe(0);
  });

  it('deletes a diagnostic nobody booked, but only deactivates one that is referenced', async () => {
    const actor = await admin();
    const unused = await createDiagnostic(actor, { name: 'Unused test' });
    await expect(removeDiagnostic(actor, unused.id)).resolves.toEqual({ outcome: 'deleted', id: unused.id });
    expect(await db().getRepository(Diagnostic).findOneBy({ id: unused.id })).toBeNull();

    const used = await createDiagnostic(actor, { name: 'Used test' });
    const patient = await makeUser('patient');
    await requestDiagnostic(userActor(patient.user), { diagnosticId: used.id });
    const result = await removeDiagnostic(actor, used.id);
    expect(result).toMatchObject({ outcome: 'deactivated', diagnostic: { id: used.id, isActive: false } });
    expect(await db().getRepository(Diagnostic).findOneBy({ id: used.id })).not.toBeNull();
    await expect(removeDiagnostic(actor, 424_242)).rejects.toBeInstanceOf(NotFound);
  });

  it('switches a diagnostic off and on, auditing each real change once', async () => {
    const actor = await admin();
    const d = await createDiagnostic(actor, { name: 'Spirometry' });
    await setDiagnosticActive(actor, d.id, false);
    await setDiagnosticActive(actor, d.id, false);
    await setDiagnosticActive(actor, d.id, true);
    expect(await db().getRepository(AuditEvent).countBy({ action: 'diagnostic.deactivate', recordId: String(d.id) })).toBe(1);
    expect(await db().getRepository(AuditEvent).countBy({ action: 'diagnostic.activate', recordId: String(d.id) })).toBe(1);
  });

  it.runIf(testDatabaseKind() === 'mariadb')('answers 409, not 500, when two admins create the same name at once', async () => {
    const actor = await admin();
    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => createDiagnostic(actor, { name: i % 2 ? 'Race scan' : 'RACE  SCAN' })));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(Conflict);
  });
});

// SPEC §2: unique case-insensitively after trimming. Accents are part of a
// name; only case, spaces and how an accent is typed are not. Both engines
// (run this file embedded and with DATABASE_URL=mysql://…) must agree.
describe(`diagnostic name uniqueness on ${testDatabaseKind() === 'mariadb' ? 'MariaDB' : 'SQLite'}`, () => {
  it('keeps names that differ only in accents apart, and refuses one that differs only in case or in how its accent is typed', async () => {
    const actor = await admin();
    const rontgen = await createDiagnostic(actor, { name: 'Röntgen knee' });
    await expect(createDiagnostic(actor, { name: 'Rontgen knee' })).resolves.toMatchObject({ name: 'Rontgen knee' });
    await expect(createDiagnostic(actor, { name: 'Röntgén knee' })).resolves.toMatchObject({ name: 'Röntgén knee' });
    const before = await diagnosticsCount();
    for (const same of [' RÖNTGEN  KNEE ', 'Ro\u0308ntgen knee']) {
      const err = await createDiagnostic(actor, { name: same }).catch((e: unknown) => e);
      expect(err, same).toBeInstanceOf(Conflict);
    }
    await expect(updateDiagnostic(actor, rontgen.id, { name: 'rontgen KNEE' })).rejects.toBeInstanceOf(Conflict);
    expect(await diagnosticsCount()).toBe(before);
  });

  it('has the database itself refuse a second row with the same key but take one whose key differs only in an accent', async () => {
    const repo = db().getRepository(Diagnostic);
    const row = (name: string, nameKey: string) => ({ name, nameKey, durationMinutes: 30, isActive: true });
    await repo.insert(row('Ångio', diagnosticNameKey('Ångio')));
    await expect(repo.insert(row('Angio', diagnosticNameKey('Angio')))).resolves.toBeTruthy();
    await expect(repo.insert(row('ÅNGIO', diagnosticNameKey('ÅNGIO')))).rejects.toSatisfy(isUniqueViolation);
    expect(await repo.countBy({ nameKey: 'ångio' })).toBe(1);
    expect(await repo.countBy({ nameKey: 'angio' })).toBe(1);
  });

  it('finds a name by its accented letters only, as it is stored', async () => {
    const actor = await admin();
    await createDiagnostic(actor, { name: 'Échographie' });
    await createDiagnostic(actor, { name: 'Echography' });
    expect((await listDiagnostics(actor, { q: 'ÉCHO', perPage: 100 })).items.map((d) => d.name)).toEqual(['Échographie']);
    expect((await listDiagnostics(actor, { q: 'echo', perPage: 100 })).items.map((d) => d.name)).toEqual(['Echography']);
  });
});

