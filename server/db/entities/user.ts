import {
  BaseEntity, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, OneToOne,
  PrimaryGeneratedColumn, UpdateDateColumn, type Relation,
} from 'typeorm';
import { GENDERS, ROLES, type Gender, type Role } from '../../access/roles.js';
import { datetime, decimalToNumber } from '../columns.js';
import type { DoctorProfile } from './doctor-profile.js';

@Entity({ name: 'users' })
/**
 * The panel's patient and staff lists are scoped by role and sorted by last
 * name or creation, then id. Each sort index carries the other columns a
 * list filters by (last name, creation, e-mail), so a filtered list walks
 * one index in order and tests the filter there, without reading rows. The
 * blocked/active filters lead their own indexes (not the role): for an
 * unfiltered list MariaDB would otherwise prefer the narrower index and sort.
 * An e-mail prefix matching few patients is read from (role, email) with the
 * sort keys beside it, then sorted.
 */
@Index('idx_users_role_last_name', ['role', 'lastName', 'id', 'createdAt', 'email'])
@Index('idx_users_created_at', ['createdAt'])
@Index('idx_users_role_email', ['role', 'email', 'createdAt', 'lastName'])
@Index('idx_users_role_created', ['role', 'createdAt', 'id', 'lastName', 'email'])
@Index('idx_users_blocked_role_created', ['isBlocked', 'role', 'createdAt'])
@Index('idx_users_blocked_role_last_name', ['isBlocked', 'role', 'lastName'])
@Index('idx_users_active_role_created', ['isActive', 'role', 'createdAt'])
@Index('idx_users_active_role_last_name', ['isActive', 'role', 'lastName'])
export class User extends BaseEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id: number;

  /** Stored lower-cased and trimmed, so the unique index is case-insensitive on every driver. */
  @Index('uq_users_email', { unique: true })
  @Column({ type: 'varchar', length: 254 })
  email: string;

  /** argon2id. Never selected unless asked for by name. */
  @Column({ type: 'varchar', length: 255, nullable: true, select: false })
  passwordHash: string | null;

  @Column({ type: 'simple-enum', enum: ROLES })
  role: Role;

  @Column({ type: 'varchar', length: 100 })
  firstName: string;

  @Column({ type: 'varchar', length: 100 })
  lastName: string;

  /** E.164, e.g. +46701234567. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  phone: string | null;

  /** YYYY-MM-DD. */
  @Column({ type: 'date', nullable: true })
  dateOfBirth: string | null;

  @Column({ type: 'simple-enum', enum: GENDERS, nullable: true })
  gender: Gender | null;

  @Column({ type: 'smallint', nullable: true })
  heightCm: number | null;

  @Column({ type: 'decimal', precision: 5, scale: 1, nullable: true, transformer: decimalToNumber })
  weightKg: number | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  addressStreet: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  addressHouse: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  addressCity: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  addressRegion: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  addressCountry: string | null;

  @Column({ type: 'boolean', default: false })
  isActive: boolean;

  @Column({ type: 'boolean', default: false })
  isBlocked: boolean;

  @Column({ ...datetime, nullable: true })
  blockedAt: Date | null;

  @Column({ type: 'int', nullable: true })
  blockedById: number | null;

  @ManyToOne('User', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'blockedById' })
  blockedBy: Relation<User> | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  blockedReason: string | null;

  @Column({ ...datetime, nullable: true })
  lastLoginAt: Date | null;

  /**
   * Bumped on block, password change and role change. A session remembers the
   * epoch it was made in; a different one means the session is over (rule 11).
   */
  @Column({ type: 'int', default: 0 })
  sessionEpoch: number;

  @CreateDateColumn(datetime)
  createdAt: Date;

  @UpdateDateColumn(datetime)
  updatedAt: Date;

  @OneToOne('DoctorProfile', (p: DoctorProfile) => p.user)
  doctorProfile?: Relation<DoctorProfile> | null;
}
