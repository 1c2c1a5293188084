import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { VideoCounts } from './video-counts.js';
import { isVideoId } from './video.rules.js';
import type { ProcessingStage, Video, VideoStatus } from './video.entity.js';
import { Video as VideoEntity } from './video.entity.js';

/** What a finished run writes on its row. */
export type RunResult = Pick<Video, 'duration' | 'width' | 'height' | 'codec' | 'renditionKey' | 'coverKey'>;

/**
 * Every query on `videos`, by name. A run's writes apply only while the row is `processing`
 * under that run (`run` null: whatever run it has), so a superseded job changes nothing.
 */
@Injectable()
export class VideoRepository implements VideoCounts {
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

  /** Newest first, by IDX_videos_uid_seq. */
  async listByOwner(uid: number, page: number, pageSize: number): Promise<{ total: number; videos: Video[] }> {
    const [videos, total] = await this.videos.findAndCount({
      where: { uid },
      order: { seq: 'DESC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    return { total, videos };
  }

  countByOwner(uid: number): Promise<number> {
    return this.videos.countBy({ uid });
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
