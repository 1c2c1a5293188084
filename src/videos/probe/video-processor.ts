import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import PQueue from 'p-queue';
import { Repository } from 'typeorm';
import { AppConfig } from '../../config/app-config.js';
import { StorageService } from '../storage/storage.service.js';
import { Video } from '../video.entity.js';
import { MediaError, MediaTools } from './media-tools.js';

export const coverKeyOf = (videoId: string) => `covers/${videoId}.jpg`;

/**
 * After an upload: probe duration, size and codec, extract a cover from about 1 s in, and move the
 * video to `ready` (or `failed`, when it cannot be decoded; it stays downloadable). Work is queued
 * with a small concurrency; videos left in `processing` by a stop are taken up again at start.
 */
@Injectable()
export class VideoProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(VideoProcessor.name);
  private readonly queue: PQueue;
  private readonly stopping = new AbortController();

  constructor(
    @InjectRepository(Video) private readonly videos: Repository<Video>,
    private readonly storage: StorageService,
    private readonly tools: MediaTools,
    config: AppConfig,
  ) {
    this.queue = new PQueue({ concurrency: config.processingConcurrency });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.storage.sweepPartials();
    const pending = await this.videos.find({ where: { status: 'processing' }, select: { id: true }, order: { seq: 'ASC' } });
    if (pending.length) this.logger.log(`Resuming processing of ${pending.length} video(s)`);
    for (const { id } of pending) this.enqueue(id);
  }

  enqueue(videoId: string): void {
    void this.queue.add(() => this.process(videoId)).catch((error: Error) => this.logger.error(`processing ${videoId}: ${error.message}`));
  }

  /** Resolves when nothing is queued or running (tests wait on it). */
  idle(): Promise<void> {
    return this.queue.onIdle();
  }

  async onApplicationShutdown(): Promise<void> {
    this.queue.clear();
    this.stopping.abort();
    await this.queue.onIdle();
  }

  private async process(videoId: string): Promise<void> {
    if (this.stopping.signal.aborted) return;
    const video = await this.videos.findOneBy({ id: videoId });
    if (!video || video.status !== 'processing') return;
    if (!(await this.tools.available())) return this.fail(video, 'ffmpeg is not installed on the server');
    if (!(await this.storage.stat(video.storageKey))) return this.fail(video, 'the stored file is missing');
    const local = await this.localCopy(video.storageKey);
    try {
      const path = local.path;
      const info = await this.tools.probe(path, this.stopping.signal);
      const coverKey = await this.makeCover(video, path, info.duration);
      const { affected } = await this.videos.update({ id: video.id, status: 'processing' }, { ...info, coverKey, status: 'ready' });
      // Deleted while we worked: the cover must not outlive it.
      if (!affected) await this.storage.delete(coverKey);
    } catch (error) {
      if (this.stopping.signal.aborted) return; // stays `processing`; resumed at the next start
      if (!(error instanceof MediaError)) throw error;
      await this.fail(video, error.message);
    } finally {
      await local.release();
    }
  }

  /** The file on local disk for ffprobe and ffmpeg: in place, or downloaded (S3) and removed after. */
  private async localCopy(key: string): Promise<{ path: string; release: () => Promise<void> }> {
    const path = this.storage.localPath(key);
    if (path) return { path, release: () => Promise.resolve() };
    const dir = await mkdtemp(join(tmpdir(), 'ps-probe-'));
    const release = () => rm(dir, { recursive: true, force: true });
    try {
      const file = join(dir, 'video');
      await pipeline(await this.storage.openRead(key), createWriteStream(file));
      return { path: file, release };
    } catch (error) {
      await release();
      throw error;
    }
  }

  private async makeCover(video: Video, path: string, duration: number | null): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'ps-cover-'));
    const file = join(dir, `${randomBytes(6).toString('hex')}.jpg`);
    try {
      // About 1 s in; the first frame of a shorter clip (or when seeking found no frame).
      await this.tools.cover(path, duration !== null && duration > 1 ? 1 : 0, file, this.stopping.signal);
      if (!(await stat(file).catch(() => null))?.size) await this.tools.cover(path, 0, file, this.stopping.signal);
      if (!(await stat(file).catch(() => null))?.size) throw new MediaError('the video has no frame to show');
      const key = coverKeyOf(video.id);
      await this.storage.save(key, createReadStream(file));
      return key;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private async fail(video: Video, reason: string): Promise<void> {
    this.logger.warn(`Video ${video.id} failed processing: ${reason}`);
    await this.videos.update({ id: video.id, status: 'processing' }, { status: 'failed', failure: reason });
  }
}
