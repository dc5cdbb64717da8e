import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { config, type Config } from '../config.js';
import { sqliteAppendOnlyTriggers } from './append-only.js';
import { ENTITIES } from './entities/index.js';
import { MIGRATIONS } from '../../migrations/index.js';

export function dataSourceOptions(database: Config['database']): DataSourceOptions {
  if (database.kind === 'mariadb') {
    return {
      type: 'mariadb',
      url: database.url,
      timezone: 'Z',
      charset: 'utf8mb4_unicode_ci',
      entities: ENTITIES,
      migrations: MIGRATIONS,
      migrationsTableName: 'schema_migrations',
      synchronize: false,
      extra: { connectionLimit: config().databasePoolSize },
      // Refused statements (a lost race for a slot, an append-only trigger) are
      // expected outcomes that services turn into typed errors; the HTTP error
      // handler logs what is really unexpected. LOG_LEVEL=debug shows every query.
      logging: config().logLevel === 'debug' ? 'all' : false,
    };
  }
  return {
    type: 'better-sqlite3',
    database: database.path,
    entities: ENTITIES,
    // The embedded database takes its schema from the same entities the
    // MariaDB migrations were generated from; triggers are added after.
    synchronize: false,
    prepareDatabase: (db: { pragma(s: string): unknown }) => {
      db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 5000');
      db.pragma('synchronous = NORMAL');
    },
    logging: config().logLevel === 'debug' ? 'all' : false,
  };
}

/** Brings the schema up to date: migrations on MariaDB, entity sync plus triggers on SQLite. */
export async function migrate(ds: DataSource): Promise<void> {
  if (ds.options.type === 'mariadb') {
    // Several web and worker instances may start at once: one migrates, the
    // others wait on the named lock and then find nothing pending.
    const runner = ds.createQueryRunner();
    try {
      await runner.query("SELECT GET_LOCK('qhealth_migrations', 120)");
      await ds.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query("SELECT RELEASE_LOCK('qhealth_migrations')").catch(() => undefined);
      await runner.release();
    }
    return;
  }
  // Column collations name MariaDB's (utf8mb4_bin); SQLite compares text byte
  // by byte already and knows no such names.
  for (const entity of ds.entityMetadatas) for (const column of entity.columns) column.collation = undefined;
  await ds.synchronize();
  for (const sql of sqliteAppendOnlyTriggers()) await ds.query(sql);
}

let current: DataSource | undefined;

export async function openDatabase(database: Config['database'] = config().database): Promise<DataSource> {
  if (database.kind === 'sqlite' && database.path !== ':memory:') {
    fs.mkdirSync(path.dirname(path.resolve(database.path)), { recursive: true });
  }
  const ds = new DataSource(dataSourceOptions(database));
  await ds.initialize();
  await migrate(ds);
  current = ds;
  return ds;
}

/** The open data source. */
export function db(): DataSource {
  if (!current) throw new Error('database is not open: call openDatabase() at start-up');
  return current;
}

export async function closeDatabase(): Promise<void> {
  const ds = current;
  current = undefined;
  if (ds?.isInitialized) await ds.destroy();
}

export function isMariaDb(ds: DataSource = db()): boolean {
  return ds.options.type === 'mariadb';
}
