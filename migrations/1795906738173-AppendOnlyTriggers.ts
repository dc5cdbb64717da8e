import type { MigrationInterface, QueryRunner } from 'typeorm';
import { mariadbAppendOnlyTriggers } from '../server/db/append-only.js';

/** SPEC rule 7 in the database: UPDATE and DELETE on append-only tables are refused. */
export class AppendOnlyTriggers1795906738173 implements MigrationInterface {
  name = 'AppendOnlyTriggers1795906738173';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const sql of mariadbAppendOnlyTriggers().up) await queryRunner.query(sql);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const sql of mariadbAppendOnlyTriggers().down) await queryRunner.query(sql);
  }
}
