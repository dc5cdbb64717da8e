import { BaseEntity, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { datetime } from '../columns.js';

export const AUDIT_OUTCOMES = ['success', 'denied', 'failed'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** What an audit event is about. The panel offers these as the resource filter's choices. */
export const AUDIT_RESOURCES = ['appointment', 'diagnostic', 'doctorProfile', 'journalEntry', 'notification', 'prescription', 'user'] as const;
export type AuditResource = (typeof AUDIT_RESOURCES)[number];

/**
 * Every action the trail records, as the services name them (the panel
 * offers them as the action filter's choices, matched whole, so the filter
 * and its index return a page in order). `create`, `correct` and `read` are
 * of journal entries and prescriptions.
 */
export const AUDIT_ACTIONS = [
  'appointment.request', 'appointment.schedule', 'appointment.book', 'appointment.cancel', 'appointment.withdraw', 'appointment.complete',
  'create', 'correct', 'read',
  'diagnostic.create', 'diagnostic.update', 'diagnostic.activate', 'diagnostic.deactivate', 'diagnostic.delete',
  'doctor.setAccepting',
  'notification.retry',
  'user.register', 'user.activate', 'user.resendActivation', 'user.invite', 'user.acceptInvitation', 'user.update',
  'user.emailChangeRequest', 'user.emailChange', 'user.passwordResetRequest', 'user.passwordReset', 'user.passwordChange',
  'user.block', 'user.unblock', 'user.grantAdmin', 'user.revokeAdmin', 'user.changeRole', 'user.delete',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
export type AuditChanges = Record<string, { before?: unknown; after?: unknown }>;

/**
 * Append-only (triggers refuse UPDATE and DELETE). No foreign keys: the trail
 * outlives the users and records it names. The panel lists it newest first:
 * each column it filters by has an index followed by the time.
 */
@Entity({ name: 'audit_events' })
@Index('idx_audit_at', ['at'])
@Index('idx_audit_actor_at', ['actorId', 'at'])
@Index('idx_audit_patient_at', ['patientId', 'at'])
@Index('idx_audit_resource_record', ['resource', 'recordId'])
@Index('idx_audit_action_at', ['action', 'at'])
@Index('idx_audit_resource_at', ['resource', 'at'])
@Index('idx_audit_outcome_at', ['outcome', 'at'])
export class AuditEvent extends BaseEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id: number;

  @CreateDateColumn(datetime)
  at: Date;

  @Column({ type: 'int', nullable: true })
  actorId: number | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  actorRole: string | null;

  @Column({ type: 'varchar', length: 60 })
  action: string;

  @Column({ type: 'varchar', length: 40 })
  resource: string;

  @Column({ type: 'varchar', length: 40, nullable: true })
  recordId: string | null;

  @Column({ type: 'int', nullable: true })
  patientId: number | null;

  /** Before/after of changed fields; secrets are never written here. */
  @Column({ type: 'simple-json', nullable: true })
  changes: AuditChanges | null;

  @Column({ type: 'varchar', length: 45, nullable: true })
  ip: string | null;

  @Column({ type: 'varchar', length: 400, nullable: true })
  userAgent: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  requestId: string | null;

  @Column({ type: 'simple-enum', enum: AUDIT_OUTCOMES, default: 'success' })
  outcome: AuditOutcome;
}
