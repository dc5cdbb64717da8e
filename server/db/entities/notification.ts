import { BaseEntity, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { datetime } from '../columns.js';

/**
 * `skipped`: never to be sent because it no longer holds (a reminder of an
 * appointment that was cancelled or moved before its mail went out).
 */
export const NOTIFICATION_STATUSES = ['pending', 'queued', 'sent', 'failed', 'skipped'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/**
 * The outbox (SPEC §5): written in the same transaction as the change that
 * causes it; the worker relays it to the job queue and records delivery.
 * `data` holds only what the template needs: names, dates, links; never
 * medical details. No foreign key: an "account deleted" mail outlives the user.
 * (status, id) serves the relay; the panel's mail log, newest first, filters
 * by status or address: (status, createdAt), (toEmail, createdAt).
 */
@Entity({ name: 'notifications' })
@Index('idx_notifications_status_id', ['status', 'id'])
@Index('idx_notifications_created', ['createdAt'])
@Index('idx_notifications_status_created', ['status', 'createdAt'])
@Index('idx_notifications_to_created', ['toEmail', 'createdAt'])
export class Notification extends BaseEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id: number;

  @Column({ type: 'varchar', length: 60 })
  kind: string;

  @Column({ type: 'int', nullable: true })
  recipientUserId: number | null;

  @Column({ type: 'varchar', length: 254 })
  toEmail: string;

  @Column({ type: 'simple-json' })
  data: Record<string, unknown>;

  /** The same notification is never written twice (e.g. "reminder:appointment:42"). */
  @Index('uq_notifications_dedupe', { unique: true })
  @Column({ type: 'varchar', length: 191 })
  dedupeKey: string;

  @Column({ type: 'simple-enum', enum: NOTIFICATION_STATUSES, default: 'pending' })
  status: NotificationStatus;

  @Column({ type: 'smallint', default: 0 })
  attempts: number;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  lastError: string | null;

  @CreateDateColumn(datetime)
  createdAt: Date;

  @Column({ ...datetime, nullable: true })
  queuedAt: Date | null;

  @Column({ ...datetime, nullable: true })
  sentAt: Date | null;
}
