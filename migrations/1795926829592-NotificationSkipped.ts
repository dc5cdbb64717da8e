import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Adds the `skipped` delivery status (a reminder of an appointment that was
 * cancelled or moved before its mail went out). A value appended to an ENUM
 * is a metadata change in MariaDB (instant), so the status indexes stay; the
 * generator would drop and rebuild them.
 */
export class NotificationSkipped1795926829592 implements MigrationInterface {
    name = 'NotificationSkipped1795926829592'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE \`notifications\` CHANGE \`status\` \`status\` enum ('pending', 'queued', 'sent', 'failed', 'skipped') NOT NULL DEFAULT 'pending'`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        // The older code knows no `skipped`: keep such rows from ever being sent
        // (a `failed` row could be retried), and say what they were.
        await queryRunner.query(`UPDATE \`notifications\` SET \`status\` = 'sent', \`lastError\` = 'skipped: never sent' WHERE \`status\` = 'skipped'`);
        await queryRunner.query(`ALTER TABLE \`notifications\` CHANGE \`status\` \`status\` enum ('pending', 'queued', 'sent', 'failed') NOT NULL DEFAULT 'pending'`);
    }

}
