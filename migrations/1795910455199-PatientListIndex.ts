import { MigrationInterface, QueryRunner } from "typeorm";

export class PatientListIndex1795910455199 implements MigrationInterface {
    name = 'PatientListIndex1795910455199'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE INDEX \`idx_users_role_created\` ON \`users\` (\`role\`, \`createdAt\`)`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX \`idx_users_role_created\` ON \`users\``);
    }

}
