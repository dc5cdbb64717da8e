import {
  BaseEntity, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne,
  PrimaryGeneratedColumn, UpdateDateColumn, type Relation,
} from 'typeorm';
import { datetime } from '../columns.js';
import type { Diagnostic } from './diagnostic.js';
import type { User } from './user.js';

export const APPOINTMENT_KINDS = ['diagnostic', 'visit'] as const;
export type AppointmentKind = (typeof APPOINTMENT_KINDS)[number];
export const APPOINTMENT_STATUSES = ['requested', 'scheduled', 'cancelled', 'completed'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

/**
 * A patient's request (no times yet) or a dated booking. Times are UTC.
 * Indexes serve the lists: each sort key the panel offers, and each filter
 * followed by the default sort (the requests list: status, then diagnostic,
 * then creation).
 */
@Entity({ name: 'appointments' })
@Index('idx_appointments_patient_starts', ['patientId', 'startsAt'])
@Index('idx_appointments_doctor_starts', ['doctorId', 'startsAt'])
@Index('idx_appointments_diagnostic_starts', ['diagnosticId', 'startsAt'])
@Index('idx_appointments_status_starts', ['status', 'startsAt'])
@Index('idx_appointments_status_created', ['status', 'createdAt'])
@Index('idx_appointments_status_diagnostic_created', ['status', 'diagnosticId', 'createdAt'])
@Index('idx_appointments_kind_starts', ['kind', 'startsAt'])
@Index('idx_appointments_starts', ['startsAt'])
@Index('idx_appointments_created', ['createdAt'])
export class Appointment extends BaseEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id: number;

  @Column({ type: 'int' })
  patientId: number;

  @ManyToOne('User', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'patientId' })
  patient: Relation<User>;

  @Column({ type: 'simple-enum', enum: APPOINTMENT_KINDS })
  kind: AppointmentKind;

  @Column({ type: 'int', nullable: true })
  diagnosticId: number | null;

  @ManyToOne('Diagnostic', { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'diagnosticId' })
  diagnostic: Relation<Diagnostic> | null;

  @Column({ type: 'int', nullable: true })
  doctorId: number | null;

  @ManyToOne('User', { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'doctorId' })
  doctor: Relation<User> | null;

  @Column({ ...datetime, nullable: true })
  startsAt: Date | null;

  @Column({ ...datetime, nullable: true })
  endsAt: Date | null;

  @Column({ type: 'simple-enum', enum: APPOINTMENT_STATUSES })
  status: AppointmentStatus;

  /** The patient's own words (symptoms). Never put in mail. */
  @Column({ type: 'varchar', length: 2000, nullable: true })
  patientNote: string | null;

  @Column({ type: 'int', nullable: true })
  bookedById: number | null;

  @ManyToOne('User', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'bookedById' })
  bookedBy: Relation<User> | null;

  @Column({ ...datetime, nullable: true })
  bookedAt: Date | null;

  @Column({ type: 'int', nullable: true })
  cancelledById: number | null;

  @ManyToOne('User', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'cancelledById' })
  cancelledBy: Relation<User> | null;

  @Column({ ...datetime, nullable: true })
  cancelledAt: Date | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  cancelReason: string | null;

  @CreateDateColumn(datetime)
  createdAt: Date;

  @UpdateDateColumn(datetime)
  updatedAt: Date;
}
