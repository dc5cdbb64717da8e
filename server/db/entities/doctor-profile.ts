import { BaseEntity, Column, Entity, Index, JoinColumn, OneToOne, PrimaryColumn, type Relation } from 'typeorm';
import type { User } from './user.js';

@Entity({ name: 'doctor_profiles' })
export class DoctorProfile extends BaseEntity {
  @PrimaryColumn({ type: 'int' })
  userId: number;

  @OneToOne('User', (u: User) => u.doctorProfile, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'userId' })
  user: Relation<User>;

  @Index('idx_doctor_profiles_specialty')
  @Column({ type: 'varchar', length: 100 })
  specialty: string;

  /** The "block doctor" switch of SPEC §2: off means no new bookings. */
  @Column({ type: 'boolean', default: true })
  acceptingBookings: boolean;

  @Column({ type: 'smallint', default: 30 })
  visitMinutes: number;
}
