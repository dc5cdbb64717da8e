import { DataSource } from 'typeorm';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDatabaseKind } from '../../test/support/db.js';
import { APPEND_ONLY_TABLES } from './append-only.js';
import { dataSourceOptions, migrate } from './data-source.js';

const entityTables = (ds: DataSource) => ds.entityMetadatas.map((m) => m.tableName).sort();
const triggerNames = APPEND_ONLY_TABLES.flatMap((t) => [`trg_${t}_no_delete`, `trg_${t}_no_update`]).sort();

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
}, 60_000);

async function freshDataSource(): Promise<DataSource> {
  const created = await createTestDatabase();
  const ds = new DataSource(dataSourceOptions(created.database));
  await ds.initialize();
  cleanups.push(async () => {
    if (ds.isInitialized) await ds.destroy();
    await created.drop();
  });
  return ds;
}

// The production schema is the migrations; this proves they and the entities
// agree, the check `npm run migration:generate` makes before writing a file.
describe.skipIf(testDatabaseKind() !== 'mariadb')('MariaDB migrations (needs TEST_DATABASE_URL=mysql://…)', () => {
  it('leave nothing for "migration:generate" to add on a fresh database', async () => {
    const ds = await freshDataSource();
    await migrate(ds);
    const pending = await ds.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('create every entity table and the append-only triggers', async () => {
    const ds = await freshDataSource();
    await migrate(ds);
    const tables = await ds.query('SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()');
    expect(tables.map((t: { name: string }) => t.name).filter((n: string) => n !== 'schema_migrations').sort()).toEqual(entityTables(ds));
    const triggers = await ds.query('SELECT TRIGGER_NAME AS name FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()');
    expect(triggers.map((t: { name: string }) => t.name).sort()).toEqual(triggerNames);
    // Running them a second time (another instance starting) changes nothing.
    await migrate(ds);
    expect((await ds.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
  });
});

describe.skipIf(testDatabaseKind() !== 'sqlite')('the embedded SQLite schema', () => {
  it('has every entity table and the append-only triggers, and nothing left to synchronize', async () => {
    const ds = await freshDataSource();
    await migrate(ds);
    const tables = await ds.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
    expect(tables.map((t: { name: string }) => t.name).sort()).toEqual(entityTables(ds));
    const triggers = await ds.query("SELECT name FROM sqlite_master WHERE type = 'trigger'");
    expect(triggers.map((t: { name: string }) => t.name).sort()).toEqual(triggerNames);
    expect((await ds.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
    // A restart over an existing file keeps it as it is.
    await migrate(ds);
    expect((await ds.query("SELECT name FROM sqlite_master WHERE type = 'trigger'")).length).toBe(triggerNames.length);
  });
});
