import {
  BaseEntity, BeforeInsert, BeforeUpdate, Column, CreateDateColumn, Entity, Index,
  PrimaryGeneratedColumn, UpdateDateColumn,
} from 'typeorm';
import { datetime } from '../columns.js';

/**
 * What makes two diagnostic names the same (SPEC §2: unique case-insensitively
 * after trimming): spaces trimmed and collapsed, lower case, and one Unicode
 * form (NFC), so "é" typed as one character or as "e" plus an accent is the
 * same letter. Accents themselves count: "Röntgen" and "Rontgen" differ.
 */
export function diagnosticNameKey(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLocaleLowerCase('en').normalize('NFC');
}

@Entity({ name: 'diagnostics' })
@Index('idx_diagnostics_active_name', ['isActive', 'name'])
export class Diagnostic extends BaseEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id: number;

  @Column({ type: 'varchar', length: 120 })
  name: string;

  /**
   * diagnosticNameKey(name): the database's unique guard for SPEC §2. Compared
   * byte for byte on both engines (utf8mb4_bin on MariaDB, whose default
   * collation would also equate "ö" and "o"; SQLite's own BINARY), so both
   * refuse exactly the names the service calls the same.
   */
  @Index('uq_diagnostics_name_key', { unique: true })
  @Column({ type: 'varchar', length: 120, collation: 'utf8mb4_bin' })
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
