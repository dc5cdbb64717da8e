import { MigrationInterface, QueryRunner } from "typeorm";

export class Initial1795906738172 implements MigrationInterface {
    name = 'Initial1795906738172'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE \`appointments\` (\`id\` int NOT NULL AUTO_INCREMENT, \`patientId\` int NOT NULL, \`kind\` enum ('diagnostic', 'visit') NOT NULL, \`diagnosticId\` int NULL, \`doctorId\` int NULL, \`startsAt\` datetime(6) NULL, \`endsAt\` datetime(6) NULL, \`status\` enum ('requested', 'scheduled', 'cancelled', 'completed') NOT NULL, \`patientNote\` varchar(2000) NULL, \`bookedById\` int NULL, \`bookedAt\` datetime(6) NULL, \`cancelledById\` int NULL, \`cancelledAt\` datetime(6) NULL, \`cancelReason\` varchar(500) NULL, \`createdAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updatedAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX \`idx_appointments_created\` (\`createdAt\`), INDEX \`idx_appointments_starts\` (\`startsAt\`), INDEX \`idx_appointments_status_created\` (\`status\`, \`createdAt\`), INDEX \`idx_appointments_status_starts\` (\`status\`, \`startsAt\`), INDEX \`idx_appointments_diagnostic_starts\` (\`diagnosticId\`, \`startsAt\`), INDEX \`idx_appointments_doctor_starts\` (\`doctorId\`, \`startsAt\`), INDEX \`idx_appointments_patient_starts\` (\`patientId\`, \`startsAt\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`appointment_slots\` (\`resourceKey\` varchar(40) NOT NULL, \`cellStart\` datetime(6) NOT NULL, \`appointmentId\` int NOT NULL, INDEX \`idx_appointment_slots_appointment\` (\`appointmentId\`), PRIMARY KEY (\`resourceKey\`, \`cellStart\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`audit_events\` (\`id\` int NOT NULL AUTO_INCREMENT, \`at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`actorId\` int NULL, \`actorRole\` varchar(20) NULL, \`action\` varchar(60) NOT NULL, \`resource\` varchar(40) NOT NULL, \`recordId\` varchar(40) NULL, \`patientId\` int NULL, \`changes\` text NULL, \`ip\` varchar(45) NULL, \`userAgent\` varchar(400) NULL, \`requestId\` varchar(64) NULL, \`outcome\` enum ('success', 'denied', 'failed') NOT NULL DEFAULT 'success', INDEX \`idx_audit_action_at\` (\`action\`, \`at\`), INDEX \`idx_audit_resource_record\` (\`resource\`, \`recordId\`), INDEX \`idx_audit_patient_at\` (\`patientId\`, \`at\`), INDEX \`idx_audit_actor_at\` (\`actorId\`, \`at\`), INDEX \`idx_audit_at\` (\`at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`diagnostics\` (\`id\` int NOT NULL AUTO_INCREMENT, \`name\` varchar(120) NOT NULL, \`nameKey\` varchar(120) NOT NULL, \`description\` text NULL, \`durationMinutes\` smallint NOT NULL DEFAULT '30', \`isActive\` tinyint NOT NULL DEFAULT 1, \`createdAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updatedAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), UNIQUE INDEX \`uq_diagnostics_name_key\` (\`nameKey\`), INDEX \`idx_diagnostics_active_name\` (\`isActive\`, \`name\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`doctor_profiles\` (\`userId\` int NOT NULL, \`specialty\` varchar(100) NOT NULL, \`acceptingBookings\` tinyint NOT NULL DEFAULT 1, \`visitMinutes\` smallint NOT NULL DEFAULT '30', INDEX \`idx_doctor_profiles_specialty\` (\`specialty\`), PRIMARY KEY (\`userId\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`journal_entries\` (\`id\` int NOT NULL AUTO_INCREMENT, \`patientId\` int NOT NULL, \`authorId\` int NOT NULL, \`recordedById\` int NOT NULL, \`diagnosis\` varchar(500) NOT NULL, \`description\` text NOT NULL, \`plan\` text NULL, \`correctsId\` int NULL, \`createdAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX \`idx_journal_created\` (\`createdAt\`), INDEX \`idx_journal_author_created\` (\`authorId\`, \`createdAt\`), INDEX \`idx_journal_patient_created\` (\`patientId\`, \`createdAt\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`login_attempts\` (\`id\` int NOT NULL AUTO_INCREMENT, \`at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`email\` varchar(254) NOT NULL, \`ip\` varchar(45) NOT NULL, \`userAgent\` varchar(400) NULL, \`success\` tinyint NOT NULL, \`reason\` varchar(40) NOT NULL, \`channel\` varchar(10) NOT NULL DEFAULT 'portal', INDEX \`idx_login_attempts_at\` (\`at\`), INDEX \`idx_login_attempts_ip_at\` (\`ip\`, \`at\`), INDEX \`idx_login_attempts_email_ip_at\` (\`email\`, \`ip\`, \`at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`notifications\` (\`id\` int NOT NULL AUTO_INCREMENT, \`kind\` varchar(60) NOT NULL, \`recipientUserId\` int NULL, \`toEmail\` varchar(254) NOT NULL, \`data\` text NOT NULL, \`dedupeKey\` varchar(191) NOT NULL, \`status\` enum ('pending', 'queued', 'sent', 'failed') NOT NULL DEFAULT 'pending', \`attempts\` smallint NOT NULL DEFAULT '0', \`lastError\` varchar(1000) NULL, \`createdAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`queuedAt\` datetime(6) NULL, \`sentAt\` datetime(6) NULL, UNIQUE INDEX \`uq_notifications_dedupe\` (\`dedupeKey\`), INDEX \`idx_notifications_created\` (\`createdAt\`), INDEX \`idx_notifications_status_id\` (\`status\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`one_time_tokens\` (\`id\` int NOT NULL AUTO_INCREMENT, \`purpose\` enum ('activation', 'password_reset', 'email_change', 'invitation') NOT NULL, \`userId\` int NOT NULL, \`tokenHash\` varchar(64) NOT NULL, \`newEmail\` varchar(254) NULL, \`expiresAt\` datetime(6) NOT NULL, \`usedAt\` datetime(6) NULL, \`createdAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), UNIQUE INDEX \`uq_tokens_hash\` (\`tokenHash\`), INDEX \`idx_tokens_expires\` (\`expiresAt\`), INDEX \`idx_tokens_user_purpose\` (\`userId\`, \`purpose\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`prescriptions\` (\`id\` int NOT NULL AUTO_INCREMENT, \`patientId\` int NOT NULL, \`authorId\` int NOT NULL, \`recordedById\` int NOT NULL, \`medication\` varchar(200) NOT NULL, \`dosage\` varchar(200) NOT NULL, \`instructions\` text NOT NULL, \`journalEntryId\` int NULL, \`createdAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX \`idx_prescriptions_created\` (\`createdAt\`), INDEX \`idx_prescriptions_author_created\` (\`authorId\`, \`createdAt\`), INDEX \`idx_prescriptions_patient_created\` (\`patientId\`, \`createdAt\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`sessions\` (\`sid\` varchar(128) NOT NULL, \`userId\` int NULL, \`data\` text NOT NULL, \`expiresAt\` datetime(6) NOT NULL, INDEX \`idx_sessions_user\` (\`userId\`), INDEX \`idx_sessions_expires\` (\`expiresAt\`), PRIMARY KEY (\`sid\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`users\` (\`id\` int NOT NULL AUTO_INCREMENT, \`email\` varchar(254) NOT NULL, \`passwordHash\` varchar(255) NULL, \`role\` enum ('superuser', 'admin', 'doctor', 'operator', 'pharmacist', 'patient') NOT NULL, \`firstName\` varchar(100) NOT NULL, \`lastName\` varchar(100) NOT NULL, \`phone\` varchar(16) NULL, \`dateOfBirth\` date NULL, \`gender\` enum ('female', 'male', 'other', 'unspecified') NULL, \`heightCm\` smallint NULL, \`weightKg\` decimal(5,1) NULL, \`addressStreet\` varchar(200) NULL, \`addressHouse\` varchar(20) NULL, \`addressCity\` varchar(100) NULL, \`addressRegion\` varchar(100) NULL, \`addressCountry\` varchar(100) NULL, \`isActive\` tinyint NOT NULL DEFAULT 0, \`isBlocked\` tinyint NOT NULL DEFAULT 0, \`blockedAt\` datetime(6) NULL, \`blockedById\` int NULL, \`blockedReason\` varchar(500) NULL, \`lastLoginAt\` datetime(6) NULL, \`sessionEpoch\` int NOT NULL DEFAULT '0', \`createdAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updatedAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), UNIQUE INDEX \`uq_users_email\` (\`email\`), INDEX \`idx_users_created_at\` (\`createdAt\`), INDEX \`idx_users_role_last_name\` (\`role\`, \`lastName\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`ALTER TABLE \`appointments\` ADD CONSTRAINT \`FK_13c2e57cb81b44f062ba24df57d\` FOREIGN KEY (\`patientId\`) REFERENCES \`users\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE \`appointments\` ADD CONSTRAINT \`FK_df5411e94392b671c109e8520d5\` FOREIGN KEY (\`diagnosticId\`) REFERENCES \`diagnostics\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE \`appointments\` ADD CONSTRAINT \`FK_0c1af27b469cb8dca420c160d65\` FOREIGN KEY (\`doctorId\`) REFERENCES \`users\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE \`appointments\` ADD CONSTRAINT \`FK_eb81d7333ed70607231a85f71d3\` FOREIGN KEY (\`bookedById\`) REFERENCES \`users\`(\`id\`) ON DELETE SET NULL ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE \`appointments\` ADD CONSTRAINT \`FK_d03b8b3c36dd9407fd2604870a2\` FOREIGN KEY (\`cancelledById\`) REFERENCES \`users\`(\`id\`) ON DELETE SET NULL ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE \`appointment_slots\` ADD CONSTRAINT \`FK_690c72fd720f41dd96ecc009b18\` FOREIGN KEY (\`appointmentId\`) REFERENCES \`appointments\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE \`doctor_profiles\` ADD CONSTRAINT \`FK_a798afca9436b00dac80f911a83\` FOREIGN KEY (\`userId\`) REFERENCES \`users\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE \`journal_entries\` ADD CONSTRAINT \`FK_ed75842f8b663378d93e1fc5abc\` FOREIGN KEY (\`patientId\`) REFERENCES \`users\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE \`journal_entries\` ADD CONSTRAINT \`FK_ab68ec2482c2710e759304da104\` FOREIGN KEY (\`authorId\`) REFERENCES \`users\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE \`journal_entries\` ADD CONSTRAINT \`FK_db5e8be5fe3a69ec820d590b9fc\` FOREIGN KEY (\`recordedById\`) REFERENCES \`users\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE \`journal_entries\` ADD CONSTRAINT \`FK_cc83689e4764458ebb785fd1525\` FOREIGN KEY (\`correctsId\`) REFERENCES \`journal_entries\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE \`one_time_tokens\` ADD CONSTRAINT \`FK_c050f9d5e8a16e1a30a98c7257f\` FOREIGN KEY (\`userId\`) REFERENCES \`users\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE \`prescriptions\` ADD CONSTRAINT \`FK_51f48335657278b20348dde416c\` FOREIGN KEY (\`patientId\`) REFERENCES \`users\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE \`prescriptions\` ADD CONSTRAINT \`FK_f9a0d4bb6b5f0de9303491f76c7\` FOREIGN KEY (\`authorId\`) REFERENCES \`users\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE \`prescriptions\` ADD CONSTRAINT \`FK_6b6fd5fbe8e3fa7ddd191660b4a\` FOREIGN KEY (\`recordedById\`) REFERENCES \`users\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE \`prescriptions\` ADD CONSTRAINT \`FK_8836b39459b728220eb65afec27\` FOREIGN KEY (\`journalEntryId\`) REFERENCES \`journal_entries\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE \`users\` ADD CONSTRAINT \`FK_e06bbbd613dc83fb539072df8ff\` FOREIGN KEY (\`blockedById\`) REFERENCES \`users\`(\`id\`) ON DELETE SET NULL ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE \`users\` DROP FOREIGN KEY \`FK_e06bbbd613dc83fb539072df8ff\``);
        await queryRunner.query(`ALTER TABLE \`prescriptions\` DROP FOREIGN KEY \`FK_8836b39459b728220eb65afec27\``);
        await queryRunner.query(`ALTER TABLE \`prescriptions\` DROP FOREIGN KEY \`FK_6b6fd5fbe8e3fa7ddd191660b4a\``);
        await queryRunner.query(`ALTER TABLE \`prescriptions\` DROP FOREIGN KEY \`FK_f9a0d4bb6b5f0de9303491f76c7\``);
        await queryRunner.query(`ALTER TABLE \`prescriptions\` DROP FOREIGN KEY \`FK_51f48335657278b20348dde416c\``);
        await queryRunner.query(`ALTER TABLE \`one_time_tokens\` DROP FOREIGN KEY \`FK_c050f9d5e8a16e1a30a98c7257f\``);
        await queryRunner.query(`ALTER TABLE \`journal_entries\` DROP FOREIGN KEY \`FK_cc83689e4764458ebb785fd1525\``);
        await queryRunner.query(`ALTER TABLE \`journal_entries\` DROP FOREIGN KEY \`FK_db5e8be5fe3a69ec820d590b9fc\``);
        await queryRunner.query(`ALTER TABLE \`journal_entries\` DROP FOREIGN KEY \`FK_ab68ec2482c2710e759304da104\``);
        await queryRunner.query(`ALTER TABLE \`journal_entries\` DROP FOREIGN KEY \`FK_ed75842f8b663378d93e1fc5abc\``);
        await queryRunner.query(`ALTER TABLE \`doctor_profiles\` DROP FOREIGN KEY \`FK_a798afca9436b00dac80f911a83\``);
        await queryRunner.query(`ALTER TABLE \`appointment_slots\` DROP FOREIGN KEY \`FK_690c72fd720f41dd96ecc009b18\``);
        await queryRunner.query(`ALTER TABLE \`appointments\` DROP FOREIGN KEY \`FK_d03b8b3c36dd9407fd2604870a2\``);
        await queryRunner.query(`ALTER TABLE \`appointments\` DROP FOREIGN KEY \`FK_eb81d7333ed70607231a85f71d3\``);
        await queryRunner.query(`ALTER TABLE \`appointments\` DROP FOREIGN KEY \`FK_0c1af27b469cb8dca420c160d65\``);
        await queryRunner.query(`ALTER TABLE \`appointments\` DROP FOREIGN KEY \`FK_df5411e94392b671c109e8520d5\``);
        await queryRunner.query(`ALTER TABLE \`appointments\` DROP FOREIGN KEY \`FK_13c2e57cb81b44f062ba24df57d\``);
        await queryRunner.query(`DROP INDEX \`idx_users_role_last_name\` ON \`users\``);
        await queryRunner.query(`DROP INDEX \`idx_users_created_at\` ON \`users\``);
        await queryRunner.query(`DROP INDEX \`uq_users_email\` ON \`users\``);
        await queryRunner.query(`DROP TABLE \`users\``);
        await queryRunner.query(`DROP INDEX \`idx_sessions_expires\` ON \`sessions\``);
        await queryRunner.query(`DROP INDEX \`idx_sessions_user\` ON \`sessions\``);
        await queryRunner.query(`DROP TABLE \`sessions\``);
        await queryRunner.query(`DROP INDEX \`idx_prescriptions_patient_created\` ON \`prescriptions\``);
        await queryRunner.query(`DROP INDEX \`idx_prescriptions_author_created\` ON \`prescriptions\``);
        await queryRunner.query(`DROP INDEX \`idx_prescriptions_created\` ON \`prescriptions\``);
        await queryRunner.query(`DROP TABLE \`prescriptions\``);
        await queryRunner.query(`DROP INDEX \`idx_tokens_user_purpose\` ON \`one_time_tokens\``);
        await queryRunner.query(`DROP INDEX \`idx_tokens_expires\` ON \`one_time_tokens\``);
        await queryRunner.query(`DROP INDEX \`uq_tokens_hash\` ON \`one_time_tokens\``);
        await queryRunner.query(`DROP TABLE \`one_time_tokens\``);
        await queryRunner.query(`DROP INDEX \`idx_notifications_status_id\` ON \`notifications\``);
        await queryRunner.query(`DROP INDEX \`idx_notifications_created\` ON \`notifications\``);
        await queryRunner.query(`DROP INDEX \`uq_notifications_dedupe\` ON \`notifications\``);
        await queryRunner.query(`DROP TABLE \`notifications\``);
        await queryRunner.query(`DROP INDEX \`idx_login_attempts_email_ip_at\` ON \`login_attempts\``);
        await queryRunner.query(`DROP INDEX \`idx_login_attempts_ip_at\` ON \`login_attempts\``);
        await queryRunner.query(`DROP INDEX \`idx_login_attempts_at\` ON \`login_attempts\``);
        await queryRunner.query(`DROP TABLE \`login_attempts\``);
        await queryRunner.query(`DROP INDEX \`idx_journal_patient_created\` ON \`journal_entries\``);
        await queryRunner.query(`DROP INDEX \`idx_journal_author_created\` ON \`journal_entries\``);
        await queryRunner.query(`DROP INDEX \`idx_journal_created\` ON \`journal_entries\``);
        await queryRunner.query(`DROP TABLE \`journal_entries\``);
        await queryRunner.query(`DROP INDEX \`idx_doctor_profiles_specialty\` ON \`doctor_profiles\``);
        await queryRunner.query(`DROP TABLE \`doctor_profiles\``);
        await queryRunner.query(`DROP INDEX \`idx_diagnostics_active_name\` ON \`diagnostics\``);
        await queryRunner.query(`DROP INDEX \`uq_diagnostics_name_key\` ON \`diagnostics\``);
        await queryRunner.query(`DROP TABLE \`diagnostics\``);
        await queryRunner.query(`DROP INDEX \`idx_audit_at\` ON \`audit_events\``);
        await queryRunner.query(`DROP INDEX \`idx_audit_actor_at\` ON \`audit_events\``);
        await queryRunner.query(`DROP INDEX \`idx_audit_patient_at\` ON \`audit_events\``);
        await queryRunner.query(`DROP INDEX \`idx_audit_resource_record\` ON \`audit_events\``);
        await queryRunner.query(`DROP INDEX \`idx_audit_action_at\` ON \`audit_events\``);
        await queryRunner.query(`DROP TABLE \`audit_events\``);
        await queryRunner.query(`DROP INDEX \`idx_appointment_slots_appointment\` ON \`appointment_slots\``);
        await queryRunner.query(`DROP TABLE \`appointment_slots\``);
        await queryRunner.query(`DROP INDEX \`idx_appointments_patient_starts\` ON \`appointments\``);
        await queryRunner.query(`DROP INDEX \`idx_appointments_doctor_starts\` ON \`appointments\``);
        await queryRunner.query(`DROP INDEX \`idx_appointments_diagnostic_starts\` ON \`appointments\``);
        await queryRunner.query(`DROP INDEX \`idx_appointments_status_starts\` ON \`appointments\``);
        await queryRunner.query(`DROP INDEX \`idx_appointments_status_created\` ON \`appointments\``);
        await queryRunner.query(`DROP INDEX \`idx_appointments_starts\` ON \`appointments\``);
        await queryRunner.query(`DROP INDEX \`idx_appointments_created\` ON \`appointments\``);
        await queryRunner.query(`DROP TABLE \`appointments\``);
    }

}
