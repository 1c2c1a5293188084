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

/**
 * A new key for each cover made: two instances that race on one video each write their own, and
 * the one whose status change loses deletes only its own.
 */
export const newCoverKey = (videoId: string) => `covers/${videoId}-${randomBytes(4).toString('hex')}.jpg`;

/** The video id a cover key belongs to. */
export const videoIdOfCover = (key: string) => key.replace(/^covers\//, '').replace(/(-[0-9a-f]{8})?\.jpg$/, '');

/** How often rows left in `processing` (a backlog, a dead instance's work) are looked for. */
const CATCH_UP_EVERY_MS = 5 * 60_000;

/**
 * After an upload: probe duration, size and codec, extract a cover from about 1 s in, and move the
 * video to `ready` (or `failed`, when it cannot be decoded; it stays downloadable). Work runs with
 * a small concurrency. The database is the queue: at most PROCESSING_QUEUE_LIMIT videos are held
 * in memory, and when uploads outrun processing the rest wait as `processing` rows, taken up in
 * upload order once the queue drains (and at start, and every few minutes).
 */
@Injectable()
export class VideoProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(VideoProcessor.name);
  private readonly queue: PQueue;
  private readonly limit: number;
  private readonly stopping = new AbortController();
  /** Queued or running here. */
  private readonly held = new Set<string>();
  /** Some `processing` rows may not be held: look for them when the queue drains. */
  private behind = false;
  private catchingUp: Promise<void> | null = null;
  /** Videos processed, and how many had been when the database was last looked at. */
  private done = 0;
  private doneAtLastLook = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    @InjectRepository(Video) private readonly videos: Repository<Video>,
    private readonly storage: StorageService,
    private readonly tools: MediaTools,
    config: AppConfig,
  ) {
    this.queue = new PQueue({ concurrency: config.processingConcurrency });
    this.limit = config.processingQueueLimit;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.storage.sweepPartials();
    await this.catchUp();
    if (this.held.size) this.logger.log(`Resuming processing of ${this.held.size}${this.behind ? '+' : ''} video(s)`);
    this.timer = setInterval(() => void this.catchUp(), CATCH_UP_EVERY_MS);
    this.timer.unref();
  }

  enqueue(videoId: string): void {
    if (this.held.size >= this.limit) {
      this.behind = true;
      return;
    }
    this.hold(videoId);
  }

  /** Resolves when nothing is queued or running, and nothing waits in the database that can be taken up. */
  async idle(): Promise<void> {
    for (;;) {
      await this.catchingUp;
      await this.queue.onIdle();
      if (this.catchingUp) continue;
      if (!this.behind || this.done === this.doneAtLastLook) return;
      await this.catchUp();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.queue.clear();
    this.stopping.abort();
    await this.catchingUp;
    await this.queue.onIdle();
  }

  private hold(videoId: string): void {
    if (this.held.has(videoId) || this.stopping.signal.aborted) return;
    this.held.add(videoId);
    this.queue
      .add(async () => {
        await this.process(videoId);
        this.done++;
      })
      .catch((error: Error) => this.logger.error(`processing ${videoId}: ${error.message}`))
      .finally(() => {
        this.held.delete(videoId);
        // Only after progress: rows that keep failing (storage away) wait for the periodic look.
        if (this.behind && this.queue.size === 0 && this.done > this.doneAtLastLook) void this.catchUp();
      });
  }

  /** Takes up the oldest `processing` rows that are not held yet, up to the limit. */
  private catchUp(): Promise<void> {
    this.catchingUp ??= this.lookForWork().finally(() => (this.catchingUp = null));
    return this.catchingUp;
  }

  private async lookForWork(): Promise<void> {
    const room = this.limit - this.held.size;
    if (room <= 0 || this.stopping.signal.aborted) return;
    this.behind = false;
    this.doneAtLastLook = this.done;
    try {
      // Rows held here come back too, hence `limit` rather than `room`.
      const rows = await this.videos.find({
        where: { status: 'processing' },
        select: { id: true },
        order: { seq: 'ASC' },
        take: this.limit,
      });
      for (const { id } of rows.filter(({ id }) => !this.held.has(id)).slice(0, room)) this.hold(id);
      if (rows.length === this.limit) this.behind = true;
    } catch (error) {
      this.behind = true;
      this.logger.error(`looking for videos to process: ${(error as Error).message}`);
    }
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
      // Deleted, or finished by another instance, while we worked: this run's cover goes.
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
      const key = newCoverKey(video.id);
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
