import {
  BaseEntity, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne,
  PrimaryGeneratedColumn, type Relation,
} from 'typeorm';
import { datetime } from '../columns.js';
import type { User } from './user.js';

/** Append-only (SPEC rule 7): triggers refuse UPDATE and DELETE. */
@Entity({ name: 'journal_entries' })
@Index('idx_journal_patient_created', ['patientId', 'createdAt'])
@Index('idx_journal_author_created', ['authorId', 'createdAt'])
@Index('idx_journal_created', ['createdAt'])
export class JournalEntry extends BaseEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id: number;

  @Column({ type: 'int' })
  patientId: number;

  @ManyToOne('User', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'patientId' })
  patient: Relation<User>;

  /** The doctor responsible for the entry. */
  @Column({ type: 'int' })
  authorId: number;

  @ManyToOne('User', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'authorId' })
  author: Relation<User>;

  /** Who typed it: the doctor, or an admin writing on the doctor's behalf. */
  @Column({ type: 'int' })
  recordedById: number;

  @ManyToOne('User', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'recordedById' })
  recordedBy: Relation<User>;

  @Column({ type: 'varchar', length: 500 })
  diagnosis: string;

  @Column({ type: 'text' })
  description: string;

  @Column({ type: 'text', nullable: true })
  plan: string | null;

  @Column({ type: 'int', nullable: true })
  correctsId: number | null;

  @ManyToOne('JournalEntry', { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'correctsId' })
  corrects: Relation<JournalEntry> | null;

  @CreateDateColumn(datetime)
  createdAt: Date;
}
