import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * diagnostics.nameKey compared byte for byte (utf8mb4_bin), as SQLite does:
 * the database default (utf8mb4_unicode_ci) also equated "Röntgen" and
 * "Rontgen", which SPEC §2 treats as two names. Written by hand: TypeORM's
 * generator does not compare column collations. Keys that were unique under
 * the looser collation stay unique under the stricter one.
 */
export class DiagnosticNameKeyBinary1795918159241 implements MigrationInterface {
    name = 'DiagnosticNameKeyBinary1795918159241'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE \`diagnostics\` MODIFY \`nameKey\` varchar(120) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE \`diagnostics\` MODIFY \`nameKey\` varchar(120) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL`);
    }

}
