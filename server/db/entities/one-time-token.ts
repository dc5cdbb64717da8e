import {
  BaseEntity, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne,
  PrimaryGeneratedColumn, type Relation,
} from 'typeorm';
import { datetime } from '../columns.js';
import type { User } from './user.js';

export const TOKEN_PURPOSES = ['activation', 'password_reset', 'email_change', 'invitation'] as const;
export type TokenPurpose = (typeof TOKEN_PURPOSES)[number];

/** Only the SHA-256 of the token is stored; the token itself exists in the mail alone. */
@Entity({ name: 'one_time_tokens' })
@Index('idx_tokens_user_purpose', ['userId', 'purpose'])
@Index('idx_tokens_expires', ['expiresAt'])
export class OneTimeToken extends BaseEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id: number;

  @Column({ type: 'simple-enum', enum: TOKEN_PURPOSES })
  purpose: TokenPurpose;

  @Column({ type: 'int' })
  userId: number;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'userId' })
  user: Relation<User>;

  @Index('uq_tokens_hash', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  tokenHash: string;

  /** For an email change: the new address. */
  @Column({ type: 'varchar', length: 254, nullable: true })
  newEmail: string | null;

  @Column({ ...datetime })
  expiresAt: Date;

  @Column({ ...datetime, nullable: true })
  usedAt: Date | null;

  @CreateDateColumn(datetime)
  createdAt: Date;
}
