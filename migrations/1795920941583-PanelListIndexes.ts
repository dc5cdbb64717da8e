import { MigrationInterface, QueryRunner } from "typeorm";

export class PanelListIndexes1795920941583 implements MigrationInterface {
    name = 'PanelListIndexes1795920941583'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX \`idx_users_role_created\` ON \`users\``);
        await queryRunner.query(`DROP INDEX \`idx_users_role_last_name\` ON \`users\``);
        await queryRunner.query(`CREATE INDEX \`idx_appointments_status_diagnostic_created\` ON \`appointments\` (\`status\`, \`diagnosticId\`, \`createdAt\`)`);
        await queryRunner.query(`CREATE INDEX \`idx_audit_outcome_at\` ON \`audit_events\` (\`outcome\`, \`at\`)`);
        await queryRunner.query(`CREATE INDEX \`idx_audit_resource_at\` ON \`audit_events\` (\`resource\`, \`at\`)`);
        await queryRunner.query(`CREATE INDEX \`idx_notifications_to_created\` ON \`notifications\` (\`toEmail\`, \`createdAt\`)`);
        await queryRunner.query(`CREATE INDEX \`idx_notifications_status_created\` ON \`notifications\` (\`status\`, \`createdAt\`)`);
        await queryRunner.query(`CREATE INDEX \`idx_users_active_role_last_name\` ON \`users\` (\`isActive\`, \`role\`, \`lastName\`)`);
        await queryRunner.query(`CREATE INDEX \`idx_users_active_role_created\` ON \`users\` (\`isActive\`, \`role\`, \`createdAt\`)`);
        await queryRunner.query(`CREATE INDEX \`idx_users_blocked_role_last_name\` ON \`users\` (\`isBlocked\`, \`role\`, \`lastName\`)`);
        await queryRunner.query(`CREATE INDEX \`idx_users_blocked_role_created\` ON \`users\` (\`isBlocked\`, \`role\`, \`createdAt\`)`);
        await queryRunner.query(`CREATE INDEX \`idx_users_role_created\` ON \`users\` (\`role\`, \`createdAt\`, \`id\`, \`lastName\`, \`email\`)`);
        await queryRunner.query(`CREATE INDEX \`idx_users_role_last_name\` ON \`users\` (\`role\`, \`lastName\`, \`id\`, \`createdAt\`, \`email\`)`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX \`idx_users_role_last_name\` ON \`users\``);
        await queryRunner.query(`DROP INDEX \`idx_users_role_created\` ON \`users\``);
        await queryRunner.query(`DROP INDEX \`idx_users_blocked_role_created\` ON \`users\``);
        await queryRunner.query(`DROP INDEX \`idx_users_blocked_role_last_name\` ON \`users\``);
        await queryRunner.query(`DROP INDEX \`idx_users_active_role_created\` ON \`users\``);
        await queryRunner.query(`DROP INDEX \`idx_users_active_role_last_name\` ON \`users\``);
        await queryRunner.query(`DROP INDEX \`idx_notifications_status_created\` ON \`notifications\``);
        await queryRunner.query(`DROP INDEX \`idx_notifications_to_created\` ON \`notifications\``);
        await queryRunner.query(`DROP INDEX \`idx_audit_resource_at\` ON \`audit_events\``);
        await queryRunner.query(`DROP INDEX \`idx_audit_outcome_at\` ON \`audit_events\``);
        await queryRunner.query(`DROP INDEX \`idx_appointments_status_diagnostic_created\` ON \`appointments\``);
        await queryRunner.query(`CREATE INDEX \`idx_users_role_last_name\` ON \`users\` (\`role\`, \`lastName\`)`);
        await queryRunner.query(`CREATE INDEX \`idx_users_role_created\` ON \`users\` (\`role\`, \`createdAt\`)`);
    }

}
