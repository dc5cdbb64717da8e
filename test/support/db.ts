import { afterAll, beforeAll } from 'vitest';
import { overrideConfig } from '../../server/config.js';
import { closeDatabase, openDatabase } from '../../server/db/data-source.js';
import { createTestDatabase } from './databases.js';

export { createTestDatabase, testDatabaseKind } from './databases.js';

/** Opens a fresh database for this file before its tests and removes it after. */
export function useTestDatabase(): void {
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const created = await createTestDatabase();
    drop = created.drop;
    overrideConfig({ database: created.database });
    await openDatabase(created.database);
  }, 60_000);
  afterAll(async () => {
    await closeDatabase();
    await drop?.();
  }, 60_000);
}
