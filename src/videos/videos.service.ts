import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Errno } from '../common/errno.js';
import { ErrnoError } from '../common/errno.error.js';
import { Clock } from '../infra/clock.js';
import { videoIdOfCover, VideoProcessor } from './probe/video-processor.js';
import { StorageService } from './storage/storage.service.js';
import type { ReceivedUpload } from './video-upload.interceptor.js';
import { Video } from './video.entity.js';

export const PAGE_SIZE_MAX = 100;
const VIDEO_ID = /^[0-9a-f]{20}$/;
const ORPHAN_AGE_MS = 60 * 60_000;

/** The public form of a video (the contract's `video` object). */
export function videoView(video: Video) {
  return {
    id: video.id,
    uid: video.uid,
    title: video.title,
    description: video.description,
    size: video.size,
    mime: video.mime,
    sha256: video.sha256,
    duration: video.duration,
    width: video.width,
    height: video.height,
    codec: video.codec,
    status: video.status,
    created_at: video.createdAt.toISOString(),
    stream_url: `/api/videos/${video.id}/stream`,
    cover_url: video.coverKey ? `/api/videos/${video.id}/cover` : null,
  };
}

export type VideoView = ReturnType<typeof videoView>;

@Injectable()
export class VideosService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(VideosService.name);
  private sweepTimer?: NodeJS.Timeout;

  constructor(
    @InjectRepository(Video) private readonly videos: Repository<Video>,
    private readonly storage: StorageService,
    private readonly processor: VideoProcessor,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    const sweep = () => void this.sweepOrphans().catch((error: Error) => this.logger.warn(`orphan sweep: ${error.message}`));
    sweep();
    this.sweepTimer = setInterval(sweep, ORPHAN_AGE_MS).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweepTimer);
  }

  /** Records a complete upload (it becomes visible now) and queues its processing; a failed insert removes the file. */
  async create(uid: number, upload: ReceivedUpload): Promise<Video> {
    const video = this.videos.create({
      id: upload.id,
      uid,
      title: upload.title || defaultTitle(upload.filename),
      description: upload.description ?? '',
      size: upload.size,
      mime: upload.mime,
      sha256: upload.sha256,
      duration: null,
      width: null,
      height: null,
      codec: null,
      status: 'processing',
      failure: null,
      storageKey: upload.storageKey,
      coverKey: null,
      createdAt: new Date(Math.floor(this.clock.now() / 1000) * 1000),
    });
    try {
      await this.videos.insert(video);
    } catch (error) {
      // A lost connection can hide a committed insert: remove the file only when the row is
      // surely absent. Never a row without its file; a file without a row is swept later.
      const recorded = await this.videos.existsBy({ id: video.id }).catch(() => undefined);
      if (recorded === false) await this.storage.delete(upload.storageKey);
      if (recorded !== true) {
        if (recorded === undefined)
          this.logger.warn(`Upload ${video.id}: insert failed and the database cannot tell; file kept for the sweep`);
        throw error;
      }
    }
    this.processor.enqueue(video.id);
    return video;
  }

  /** Newest first, by IDX_videos_uid_seq. */
  async list(uid: number, page: number, pageSize: number): Promise<{ total: number; videos: Video[] }> {
    const [videos, total] = await this.videos.findAndCount({
      where: { uid },
      order: { seq: 'DESC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    return { total, videos };
  }

  /**
   * Removes stored videos and covers that no row names (an upload cut off between its file and its
   * row by a database failure), once they are an hour old so that no upload in flight is touched.
   */
  async sweepOrphans(): Promise<number> {
    let swept = 0;
    for (const prefix of ['videos/', 'covers/']) {
      for (const { key, modifiedAt } of await this.storage.list(prefix)) {
        if (Date.now() - modifiedAt.getTime() < ORPHAN_AGE_MS) continue;
        if (await this.isNamed(prefix, key)) continue;
        await this.storage.delete(key);
        swept++;
      }
    }
    if (swept) this.logger.log(`Swept ${swept} stored file(s) without a video`);
    return swept;
  }

  /** A video file belongs to its row; a cover only when it is the row's current one. */
  private async isNamed(prefix: string, key: string): Promise<boolean> {
    const id = prefix === 'covers/' ? videoIdOfCover(key) : key.slice(prefix.length);
    if (!VIDEO_ID.test(id)) return false;
    const row = await this.videos.findOne({ where: { id }, select: { id: true, coverKey: true } });
    return row !== null && (prefix === 'videos/' || row.coverKey === key);
  }

  countByUid(uid: number): Promise<number> {
    return this.videos.countBy({ uid });
  }

  /** 2004 for any id that names no video, whatever its form; `status` is the HTTP status to answer with. */
  async get(id: string, status = 200): Promise<Video> {
    const video = VIDEO_ID.test(id) ? await this.videos.findOneBy({ id }) : null;
    if (!video) throw new ErrnoError(Errno.VideoNotFound, status);
    return video;
  }

  /** Owner only (2005). The row goes first (what users see), then every stored byte. */
  async delete(uid: number, id: string): Promise<void> {
    const video = await this.get(id);
    if (video.uid !== uid) throw new ErrnoError(Errno.NotVideoOwner);
    await this.videos.delete({ id: video.id });
    // A cover still being made is removed by the processor, whose status change now finds no row.
    const keys = [video.storageKey, ...(video.coverKey ? [video.coverKey] : [])];
    const results = await Promise.allSettled(keys.map((key) => this.storage.delete(key)));
    for (const result of results) {
      // The row is gone, so nobody can reach these bytes; the orphan is logged for the operator.
      if (result.status === 'rejected') this.logger.error(`Video ${video.id} deleted but a file stayed: ${String(result.reason)}`);
    }
  }
}

/** The file's name without its extension, cut to the title limit. */
function defaultTitle(filename: string): string {
  const base = filename
    .replace(/^.*[\\/]/, '')
    .replace(/\.[^.]*$/, '')
    .trim();
  return [...(base || 'video')].slice(0, 80).join('');
}
