import { BaseEntity, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { datetime } from '../columns.js';

/** express-session rows for the embedded store (Redis holds them in production). */
@Entity({ name: 'sessions' })
export class Session extends BaseEntity {
  @PrimaryColumn({ type: 'varchar', length: 128 })
  sid: string;

  @Index('idx_sessions_user')
  @Column({ type: 'int', nullable: true })
  userId: number | null;

  @Column({ type: 'text' })
  data: string;

  @Index('idx_sessions_expires')
  @Column({ ...datetime })
  expiresAt: Date;
}
