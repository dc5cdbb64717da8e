import { BaseEntity, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { datetime } from '../columns.js';
import type { Appointment } from './appointment.js';

/**
 * One row per 15-minute cell a scheduled appointment occupies, for each of its
 * doctor, diagnostic and patient ("doctor:7", "diagnostic:3", "patient:42").
 * The primary key (resourceKey, cellStart) is the database's own guard
 * against double booking (SPEC rule 2): two transactions that claim the same
 * cell cannot both commit, on any number of server processes. Starts are on
 * the 15-minute grid, so two appointments overlap exactly when they share a
 * cell. Rows are removed when the appointment is cancelled.
 */
@Entity({ name: 'appointment_slots' })
export class AppointmentSlot extends BaseEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  resourceKey: string;

  @PrimaryColumn({ ...datetime })
  cellStart: Date;

  @Index('idx_appointment_slots_appointment')
  @Column({ type: 'int' })
  appointmentId: number;

  @ManyToOne('Appointment', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'appointmentId' })
  appointment: Relation<Appointment>;
}
