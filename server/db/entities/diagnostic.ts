import {
  BaseEntity, BeforeInsert, BeforeUpdate, Column, CreateDateColumn, Entity, Index,
  PrimaryGeneratedColumn, UpdateDateColumn,
} from 'typeorm';
import { datetime } from '../columns.js';

export function diagnosticNameKey(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLocaleLowerCase('en');
}

@Entity({ name: 'diagnostics' })
@Index('idx_diagnostics_active_name', ['isActive', 'name'])
export class Diagnostic extends BaseEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id: number;

  @Column({ type: 'varchar', length: 120 })
  name: string;

  /** Trimmed, lower-cased name: the database's unique guard for SPEC §2. */
  @Index('uq_diagnostics_name_key', { unique: true })
  @Column({ type: 'varchar', length: 120 })
  nameKey: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'smallint', default: 30 })
  durationMinutes: number;

  @Column({ type: 'boolean', default: true })
  isActive: boolean;

  @CreateDateColumn(datetime)
  createdAt: Date;

  @UpdateDateColumn(datetime)
  updatedAt: Date;

  @BeforeInsert()
  @BeforeUpdate()
  keepNameKey() {
    if (this.name !== undefined) {
      this.name = this.name.trim().replace(/\s+/g, ' ');
      this.nameKey = diagnosticNameKey(this.name);
    }
  }
}
