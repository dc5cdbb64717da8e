import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import type { config } from '../../server/config.js';

/**
 * Every test file gets its own fresh database: a temporary SQLite file, or a
 * throw-away MariaDB database when TEST_DATABASE_URL (or DATABASE_URL) names
 * a MariaDB server. Nothing of ours is mocked.
 */
export function testDatabaseKind(): 'mariadb' | 'sqlite' {
  return baseMariaDbUrl() ? 'mariadb' : 'sqlite';
}

function baseMariaDbUrl(): string | undefined {
  const url = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  return url && /^(mysql|mariadb):\/\//.test(url) ? url : undefined;
}

export async function createTestDatabase(prefix = 'qhealth_t'): Promise<{ database: ReturnType<typeof config>['database']; drop: () => Promise<void> }> {
  const base = baseMariaDbUrl();
  if (base) {
    const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = await mysql.createConnection(base);
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await admin.end();
    const url = new URL(base);
    url.pathname = `/${name}`;
    return {
      database: { kind: 'mariadb', url: url.toString() },
      drop: async () => {
        const c = await mysql.createConnection(base);
        await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
        await c.end();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  return {
    database: { kind: 'sqlite', path: path.join(dir, 'test.sqlite') },
    drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

