import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, Repository, type EntityManager } from 'typeorm';
import type { PurgeEntry } from '../infra/storage/storage-purge.js';
import { OwnerVideos, type OwnerUsage } from './owner-videos.js';
import { isVideoId, type Visibility } from './video.rules.js';
import type { ProcessingStage, Video, VideoStatus } from './video.entity.js';
import { Video as VideoEntity } from './video.entity.js';

/** What a finished run writes on its row. */
export type RunResult = Pick<Video, 'duration' | 'width' | 'height' | 'codec' | 'renditionKey' | 'coverKey' | 'renditionBytes'>;

/**
 * Every query on `videos`, by name. A run's writes apply only while the row is `processing`
 * under that run (`run` null: whatever run it has), so a superseded job changes nothing.
 */
@Injectable()
export class VideoRepository implements OwnerVideos {
  constructor(@InjectRepository(VideoEntity) private readonly videos: Repository<Video>) {}

  /** Null for an id of any other form, without a query. */
  findById(id: string): Promise<Video | null> {
    return isVideoId(id) ? this.videos.findOneBy({ id }) : Promise.resolve(null);
  }

  /** True, false, or throws when the database cannot tell. */
  exists(id: string): Promise<boolean> {
    return this.videos.existsBy({ id });
  }

  build(fields: Omit<Video, 'seq'>): Video {
    return this.videos.create(fields);
  }

  async insert(video: Video): Promise<void> {
    await this.videos.insert(video);
  }

  /** Newest first, by IDX_videos_uid_seq, of the given visibilities. */
  async listByOwner(uid: number, visibilities: Visibility[], page: number, pageSize: number): Promise<{ total: number; videos: Video[] }> {
    const [videos, total] = await this.videos.findAndCount({
      where: { uid, visibility: In(visibilities) },
      order: { seq: 'DESC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    return { total, videos };
  }

  /** Public videos only: the count a space shows to others (the owner's own figures are `usageOf`). */
  countByOwner(uid: number): Promise<number> {
    return this.videos.countBy({ uid, visibility: 'public' });
  }

  async update(id: string, fields: Partial<Pick<Video, 'title' | 'description' | 'visibility'>>): Promise<void> {
    await this.videos.update({ id }, fields);
  }

  async usageOf(uids: number[]): Promise<Map<number, OwnerUsage>> {
    const usage = new Map<number, OwnerUsage>();
    if (!uids.length) return usage;
    const rows = await this.videos
      .createQueryBuilder('v')
      .select('v.uid', 'uid')
      .addSelect('COUNT(*)', 'videoCount')
      .addSelect('COALESCE(SUM(v.size + v.rendition_bytes), 0)', 'storageUsed')
      .where({ uid: In(uids) })
      .groupBy('v.uid')
      .getRawMany<{ uid: string | number; videoCount: string | number; storageUsed: string | number }>();
    for (const row of rows) usage.set(Number(row.uid), { videoCount: Number(row.videoCount), storageUsed: Number(row.storageUsed) });
    return usage;
  }

  async removeAllOf(uid: number, manager: EntityManager): Promise<PurgeEntry[]> {
    const videos = manager.getRepository(VideoEntity);
    const rows = await videos.find({ where: { uid }, select: { id: true, storageKey: true, coverKey: true, renditionKey: true } });
    const entries: PurgeEntry[] = [];
    for (const row of rows) {
      entries.push({ key: row.storageKey, prefix: false });
      if (row.coverKey && !row.coverKey.startsWith('renditions/')) entries.push({ key: row.coverKey, prefix: false });
      if (row.renditionKey) entries.push({ key: row.renditionKey, prefix: true });
    }
    await videos.delete({ uid });
    return entries;
  }

  /** The oldest rows in `processing` (IDX_videos_status), with their runs. */
  findProcessing(limit: number): Promise<Pick<Video, 'id' | 'run'>[]> {
    return this.videos.find({ where: { status: 'processing' }, select: { id: true, run: true }, order: { seq: 'ASC' }, take: limit });
  }

  /** Gives a `processing` row from before runs existed its run, unless something else just did. */
  async assignRun(id: string, run: string): Promise<boolean> {
    const { affected } = await this.videos.update({ id, run: IsNull(), status: 'processing' }, { run });
    return !!affected;
  }

  /** Starts a new run on a row still in `from` (reprocess); false when it changed meanwhile. */
  async startRun(id: string, from: VideoStatus, run: string): Promise<boolean> {
    const { affected } = await this.videos.update(
      { id, status: from },
      { status: 'processing', run, stage: null, percent: null, failure: null },
    );
    return !!affected;
  }

  async reportProgress(id: string, run: string | null, stage: ProcessingStage, percent: number): Promise<void> {
    await this.videos.update({ id, run: run ?? undefined, status: 'processing' }, { stage, percent });
  }

  /** Ends the run `ready`; false when the run was superseded (deleted, reprocessed, finished elsewhere). */
  async finishRun(id: string, run: string | null, result: RunResult): Promise<boolean> {
    const { affected } = await this.videos.update(
      { id, run: run ?? undefined, status: 'processing' },
      { ...result, status: 'ready', stage: null, percent: null, failure: null },
    );
    return !!affected;
  }

  async failRun(id: string, run: string | null, reason: string): Promise<void> {
    await this.videos.update(
      { id, run: run ?? undefined, status: 'processing' },
      { status: 'failed', failure: reason, stage: null, percent: null },
    );
  }

  /** The keys that name stored files (for the orphan sweep); null when no row has the id. */
  keysOf(id: string): Promise<Pick<Video, 'id' | 'coverKey' | 'renditionKey'> | null> {
    return isVideoId(id)
      ? this.videos.findOne({ where: { id }, select: { id: true, coverKey: true, renditionKey: true } })
      : Promise.resolve(null);
  }

  async remove(id: string): Promise<void> {
    await this.videos.delete({ id });
  }
}
