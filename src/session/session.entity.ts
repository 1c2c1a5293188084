import { bigintAsNumber } from '../database/bigint-as-number.js';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** An express-session record, for the database session store. */
@Entity('sessions')
export class SessionRecord {
  @PrimaryColumn({ type: 'varchar', length: 128 })
  sid!: string;

  /** Epoch milliseconds; the index serves the sweep of expired sessions. */
  @Index('IDX_sessions_expires_at')
  @Column({ name: 'expires_at', type: 'bigint', transformer: bigintAsNumber })
  expiresAt!: number;

  @Column({ type: 'text' })
  data!: string;

  /** The logged-in account's uid (null before a login): an account's sessions are found by it. */
  @Index('IDX_sessions_user_uid')
  @Column({ name: 'user_uid', type: 'bigint', nullable: true, default: null, transformer: bigintAsNumber })
  userUid!: number | null;
}
