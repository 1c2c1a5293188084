import { bigintAsNumber } from '../database/bigint-as-number.js';
import { Column, Entity, Index, IsNull, PrimaryGeneratedColumn } from 'typeorm';

@Entity('users')
export class User {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  /** Public id of a personal space: 10 random digits, unique, never reused. */
  @Index('UQ_users_uid', { unique: true })
  @Column({ type: 'bigint', transformer: bigintAsNumber })
  uid!: number;

  @Column({ type: 'varchar', length: 20 })
  username!: string;

  /**
   * Always in canonical form (`canonicalEmail`: NFC, lower case); the unique index is what keeps
   * one account per email. It compares bytes: SQLite's BINARY, and `utf8mb4_bin` on MariaDB/MySQL
   * (set by migration 1766000000000, not here: SQLite knows no such collation).
   */
  @Index('UQ_users_email', { unique: true })
  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash!: string;

  /** Set by the service, to the second: the same on SQLite and MySQL, with no dialect default. */
  @Column({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;

  @Column({ type: 'varchar', length: 200, default: '' })
  bio!: string;

  /** Changes with every avatar: part of its stored keys and of its URL (null: no avatar). */
  @Column({ name: 'avatar_version', type: 'varchar', length: 16, nullable: true, default: null })
  avatarVersion!: string | null;

  /** Set by an admin: the account cannot log in (1012) and has no sessions. */
  @Column({ type: 'boolean', default: false })
  disabled!: boolean;

  /** Bytes this account may store; null: USER_QUOTA_BYTES. */
  @Column({ name: 'storage_quota', type: 'bigint', nullable: true, default: null, transformer: bigintAsNumber })
  storageQuota!: number | null;

  /**
   * Set when the account was deleted: the row stays as a tombstone holding only its uid (so that
   * no uid is issued twice); its email, name, hash and avatar are cleared.
   */
  @Column({ name: 'deleted_at', type: 'datetime', nullable: true, default: null })
  deletedAt!: Date | null;
}

/** Live accounts: a deleted one is a tombstone that only keeps its uid. */
export const LIVE = { deletedAt: IsNull() } as const;
