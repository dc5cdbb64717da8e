/**
 * SPEC rule 7: journal entries, prescriptions and audit events are never
 * changed or removed, by any path. The database itself refuses.
 */
export const APPEND_ONLY_TABLES = ['journal_entries', 'prescriptions', 'audit_events'] as const;

export function mariadbAppendOnlyTriggers(): { up: string[]; down: string[] } {
  const up: string[] = [];
  const down: string[] = [];
  for (const table of APPEND_ONLY_TABLES) {
    for (const op of ['UPDATE', 'DELETE'] as const) {
      const name = `trg_${table}_no_${op.toLowerCase()}`;
      up.push(
        `CREATE TRIGGER \`${name}\` BEFORE ${op} ON \`${table}\` FOR EACH ROW ` +
          `SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '${table} is append-only: ${op} refused'`,
      );
      down.push(`DROP TRIGGER IF EXISTS \`${name}\``);
    }
  }
  return { up, down };
}

export function sqliteAppendOnlyTriggers(): string[] {
  const statements: string[] = [];
  for (const table of APPEND_ONLY_TABLES) {
    for (const op of ['UPDATE', 'DELETE'] as const) {
      statements.push(
        `CREATE TRIGGER IF NOT EXISTS "trg_${table}_no_${op.toLowerCase()}" BEFORE ${op} ON "${table}" ` +
          `BEGIN SELECT RAISE(ABORT, '${table} is append-only: ${op} refused'); END`,
      );
    }
  }
  return statements;
}
