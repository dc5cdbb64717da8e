import { BaseEntity, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { datetime } from '../columns.js';

@Entity({ name: 'login_attempts' })
@Index('idx_login_attempts_email_ip_at', ['email', 'ip', 'at'])
@Index('idx_login_attempts_ip_at', ['ip', 'at'])
@Index('idx_login_attempts_at', ['at'])
export class LoginAttempt extends BaseEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id: number;

  @CreateDateColumn(datetime)
  at: Date;

  /** As typed, lower-cased; may name no account. */
  @Column({ type: 'varchar', length: 254 })
  email: string;

  @Column({ type: 'varchar', length: 45 })
  ip: string;

  @Column({ type: 'varchar', length: 400, nullable: true })
  userAgent: string | null;

  @Column({ type: 'boolean' })
  success: boolean;

  /** ok, bad_credentials, inactive, blocked, locked, wrong_door. */
  @Column({ type: 'varchar', length: 40 })
  reason: string;

  /** Which door: portal or panel. */
  @Column({ type: 'varchar', length: 10, default: 'portal' })
  channel: string;
}
