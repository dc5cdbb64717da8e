/**
 * Bulk inserts shared by the demo seed and the scale generator: multi-row
 * INSERT statements in chunks, the same SQL on MariaDB and SQLite. Seeding
 * goes around the entities on purpose: per-row ORM saves would take hours at
 * scale, and the services would date their audit events and mail "now" and
 * leave the mail pending; activity.ts writes that trail as the history left it.
 */
export type Cell = string | number | null;
export type Row = Record<string, Cell>;

export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/**
 * UTC 'YYYY-MM-DD HH:MM:SS.SSS': how TypeORM stores datetimes on SQLite, and
 * a literal MariaDB's DATETIME takes as is (the connection runs in UTC).
 */
export function sqlDate(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

/** Keeps every statement under SQLite's 32,766 bound variables. */
export function rowsPerStatement(columns: number, wanted: number): number {
  return Math.max(1, Math.min(wanted, Math.floor(32_000 / columns)));
}

/** Inserts rows (objects sharing the first row's keys) in multi-row statements. */
export async function insertRows(q: Queryable, table: string, rows: Row[], wantedPerStatement = 1000): Promise<number> {
  if (rows.length === 0) return 0;
  const columns = Object.keys(rows[0]);
  const perStatement = rowsPerStatement(columns.length, wantedPerStatement);
  const head = `INSERT INTO \`${table}\` (${columns.map((c) => `\`${c}\``).join(', ')}) VALUES `;
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    const params: Cell[] = [];
    for (const row of chunk) for (const c of columns) params.push(row[c] ?? null);
    await q.query(head + chunk.map(() => tuple).join(', '), params);
  }
  return rows.length;
}

/** The next free id of a table; seeds give their rows explicit ids so they can link them without reading back. */
export async function nextId(q: Queryable, table: string): Promise<number> {
  const [row] = (await q.query(`SELECT COALESCE(MAX(id), 0) AS m FROM \`${table}\``)) as { m: number | string }[];
  return Number(row.m) + 1;
}

/** A small seeded PRNG (mulberry32): the same demo clinic on every run. */
export class Dice {
  private state: number;

  constructor(seed = 20_261_128) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(0, 9));
    return s;
  }
}
