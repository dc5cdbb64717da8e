import {
  BaseEntity, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne,
  PrimaryGeneratedColumn, type Relation,
} from 'typeorm';
import { datetime } from '../columns.js';
import type { JournalEntry } from './journal-entry.js';
import type { User } from './user.js';

/** Append-only (SPEC rule 7): triggers refuse UPDATE and DELETE. */
@Entity({ name: 'prescriptions' })
@Index('idx_prescriptions_patient_created', ['patientId', 'createdAt'])
@Index('idx_prescriptions_author_created', ['authorId', 'createdAt'])
@Index('idx_prescriptions_created', ['createdAt'])
export class Prescription extends BaseEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id: number;

  @Column({ type: 'int' })
  patientId: number;

  @ManyToOne('User', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'patientId' })
  patient: Relation<User>;

  /** The pharmacist responsible. */
  @Column({ type: 'int' })
  authorId: number;

  @ManyToOne('User', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'authorId' })
  author: Relation<User>;

  /** Who typed it: the pharmacist, or an admin on the pharmacist's behalf. */
  @Column({ type: 'int' })
  recordedById: number;

  @ManyToOne('User', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'recordedById' })
  recordedBy: Relation<User>;

  @Column({ type: 'varchar', length: 200 })
  medication: string;

  @Column({ type: 'varchar', length: 200 })
  dosage: string;

  @Column({ type: 'text' })
  instructions: string;

  @Column({ type: 'int', nullable: true })
  journalEntryId: number | null;

  @ManyToOne('JournalEntry', { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'journalEntryId' })
  journalEntry: Relation<JournalEntry> | null;

  @CreateDateColumn(datetime)
  createdAt: Date;
}
