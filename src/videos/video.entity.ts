import { bigintAsNumber } from '../database/bigint-as-number.js';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TITLE_MAX, type Visibility } from './video.rules.js';
import { SEARCH_KEY_GROWTH } from '../common/search-text.js';
import { randomToken } from '../infra/random-token.js';

export type VideoStatus = 'processing' | 'ready' | 'failed';
/** A processing run's token: each upload and each reprocess starts a new one. */
export const newRun = () => randomToken(6, 'hex');

export type ProcessingStage = 'queued' | 'probe' | 'transcode' | 'package' | 'cover';

@Entity('videos')
@Index('IDX_videos_uid_seq', ['uid', 'seq'])
@Index('IDX_videos_status', ['status'])
@Index('IDX_videos_uid_views_seq', ['uid', 'views', 'seq'])
export class Video {
  /** Insertion order: "newest first" is `seq DESC` (the per-uid lists use IDX_videos_uid_seq). */
  @PrimaryGeneratedColumn({ type: 'integer' })
  seq!: number;

  /** The public id: 20 random lower-case hex digits (case-insensitive collations cannot confuse them). */
  @Index('UQ_videos_id', { unique: true })
  @Column({ type: 'varchar', length: 32 })
  id!: string;

  /** The owner's uid (public and never reused), so lists by uid need no join. */
  @Column({ type: 'bigint', transformer: bigintAsNumber })
  uid!: number;

  @Column({ type: 'varchar', length: 80 })
  title!: string;

  /** The title as a search compares it (`searchKey`); its grams are in `video_title_grams` (VideoRepository). */
  @Column({ name: 'title_key', type: 'varchar', length: TITLE_MAX * SEARCH_KEY_GROWTH, default: '' })
  titleKey!: string;

  @Column({ type: 'text' })
  description!: string;

  /** See video.rules.ts (`mayView`): the one rule every read path follows. */
  @Column({ type: 'varchar', length: 16, default: 'public' })
  visibility!: Visibility;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  size!: number;

  @Column({ type: 'varchar', length: 64 })
  mime!: string;

  @Column({ type: 'varchar', length: 64 })
  sha256!: string;

  @Column({ type: 'double', nullable: true, default: null })
  duration!: number | null;

  /** The displayed size (rotation applied). */
  @Column({ type: 'integer', nullable: true, default: null })
  width!: number | null;

  @Column({ type: 'integer', nullable: true, default: null })
  height!: number | null;

  @Column({ type: 'varchar', length: 32, nullable: true, default: null })
  codec!: string | null;

  @Column({ type: 'varchar', length: 16 })
  status!: VideoStatus;

  /** Why processing failed (for the log and the owner), never a path or a tool's raw output. */
  @Column({ type: 'varchar', length: 255, nullable: true, default: null })
  failure!: string | null;

  @Column({ name: 'storage_key', type: 'varchar', length: 128 })
  storageKey!: string;

  @Column({ name: 'cover_key', type: 'varchar', length: 128, nullable: true, default: null })
  coverKey!: string | null;

  /** The current processing run: a job for another run (superseded by a reprocess) changes nothing. */
  @Column({ type: 'varchar', length: 16, nullable: true, default: null })
  run!: string | null;

  /** Where this video's renditions live (`renditions/<id>/<attempt>`): the MP4, the HLS ladder and the cover. */
  @Column({ name: 'rendition_key', type: 'varchar', length: 128, nullable: true, default: null })
  renditionKey!: string | null;

  /** What the renditions take in storage (counted in the owner's storage_used with `size`). */
  @Column({ name: 'rendition_bytes', type: 'bigint', default: 0, transformer: bigintAsNumber })
  renditionBytes!: number;

  @Column({ type: 'varchar', length: 16, nullable: true, default: null })
  stage!: ProcessingStage | null;

  @Column({ type: 'integer', nullable: true, default: null })
  percent!: number | null;

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;

  /** Views flushed so far (ViewCounter adds in batches): may lag by up to one flush interval. */
  @Column({ type: 'integer', default: 0 })
  views!: number;
}
