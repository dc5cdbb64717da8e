import { MigrationInterface, QueryRunner } from "typeorm";

export class AppointmentKindIndex1795909422020 implements MigrationInterface {
    name = 'AppointmentKindIndex1795909422020'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE INDEX \`idx_appointments_kind_starts\` ON \`appointments\` (\`kind\`, \`startsAt\`)`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX \`idx_appointments_kind_starts\` ON \`appointments\``);
    }

}
