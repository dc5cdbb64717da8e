import { MigrationInterface, QueryRunner } from "typeorm";

export class UserRoleEmailIndex1795927110430 implements MigrationInterface {
    name = 'UserRoleEmailIndex1795927110430'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE INDEX \`idx_users_role_email\` ON \`users\` (\`role\`, \`email\`, \`createdAt\`, \`lastName\`)`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX \`idx_users_role_email\` ON \`users\``);
    }

}
