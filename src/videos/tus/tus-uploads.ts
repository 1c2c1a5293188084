import { FileStore } from '@tus/file-store';
import { MemoryLocker, Server, type Upload } from '@tus/server';
import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Request as ExpressRequest } from 'express';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { User } from '../../account/user.entity.js';
import { Errno, Success, type ErrnoEntry } from '../../common/errno.js';
import { ErrnoError } from '../../common/errno.error.js';
import { AppConfig } from '../../config/app-config.js';
import { KvStore } from '../../infra/kv.store.js';
import { RedisService } from '../../infra/redis.service.js';
import { DESCRIPTION_MAX, TITLE_MAX } from '../video-upload.interceptor.js';
import { VideoIngest } from '../video-ingest.js';
import { videoView, VideosService } from '../videos.service.js';
import { RedisLocker } from './redis-locker.js';

export const TUS_PATH = '/api/videos/tus';
const EXPIRES_MS = 24 * 60 * 60_000;
const SWEEP_EVERY_MS = 60 * 60_000;
/** How long the video id of a finished upload can be asked for (GET /api/videos/tus/:id). */
const RESULT_TTL_MS = EXPIRES_MS;

/** A tus answer in the API's shape: `{errno, msg}` as JSON, with the protocol's HTTP status. */
class TusRefusal extends Error {
  constructor(
    readonly status_code: number,
    readonly entry: ErrnoEntry,
  ) {
    super(entry.en);
  }

  get body(): string {
    return JSON.stringify({ errno: this.entry.errno, msg: this.entry.zh });
  }
}

type TusRequest = Parameters<NonNullable<ConstructorParameters<typeof Server>[0]['onIncomingRequest']>>[0];

/** The logged-in account of a tus request (the route's guard has checked the session). */
function ownerOf(request: TusRequest): User {
  const user = (request.runtime?.node?.req as ExpressRequest | undefined)?.user as User | undefined;
  if (!user) throw new TusRefusal(401, Errno.LoginRequired);
  return user;
}

/**
 * Resumable uploads (the tus protocol) at /api/videos/tus: the parts land in DATA_DIR/tus
 * (@tus/file-store); on completion the file takes the same path as video_upload (VideoIngest: content check, sha256, cap, storage; then the
 * row and processing) and the final PATCH answers `{errno: 0, video}`. Locks are in
 * Redis when configured, so a transfer started on one instance can be finished on another.
 */
@Injectable()
export class TusUploads implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(TusUploads.name);
  readonly server: Server;
  private readonly store: FileStore;
  private sweepTimer?: NodeJS.Timeout;

  constructor(
    config: AppConfig,
    redis: RedisService,
    private readonly ingest: VideoIngest,
    private readonly videos: VideosService,
    private readonly kv: KvStore,
  ) {
    // Parts stay on local disk even with STORAGE=s3 (see docs/decisions.md); the finished file goes to storage.
    this.store = new FileStore({ directory: join(config.dataDir, 'tus'), expirationPeriodInMilliseconds: EXPIRES_MS });
    this.server = new Server({
      path: TUS_PATH,
      datastore: this.store,
      maxSize: config.uploadMaxBytes,
      relativeLocation: true,
      respectForwardedHeaders: config.trustProxy,
      locker: redis.client ? new RedisLocker(redis.client) : new MemoryLocker(),
      namingFunction: () => randomBytes(16).toString('hex'),
      onIncomingRequest: (request, id) => this.checkOwner(request, id),
      onUploadCreate: (request, upload) => this.create(request, upload),
      onUploadFinish: (request, upload) => this.finish(request, upload),
      onResponseError: (_request, error) => this.refusal(error),
    });
  }

  onModuleInit(): void {
    const sweep = () =>
      void this.server.cleanUpExpiredUploads().then(
        (count) => count && this.logger.log(`Removed ${count} expired partial upload(s)`),
        (error: Error) => this.logger.warn(`tus clean-up: ${error.message}`),
      );
    sweep();
    this.sweepTimer = setInterval(sweep, SWEEP_EVERY_MS).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweepTimer);
  }

  /** The video a finished upload became, for a client that lost the final answer. */
  async result(uploadId: string): Promise<string | undefined> {
    return this.kv.get<string>(`tus-video:${uploadId}`);
  }

  private async checkOwner(request: TusRequest, id: string): Promise<void> {
    const user = ownerOf(request);
    if (!id) return;
    const upload = await this.store.getUpload(id).catch(() => null);
    if (upload && upload.metadata?.owner !== String(user.uid)) throw new TusRefusal(403, Errno.NotVideoOwner);
  }

  private create(request: TusRequest, upload: Upload): Promise<{ metadata: Upload['metadata'] }> {
    const user = ownerOf(request);
    const title = upload.metadata?.title ?? undefined;
    const description = upload.metadata?.description ?? undefined;
    if ((title && [...title].length > TITLE_MAX) || (description && [...description].length > DESCRIPTION_MAX)) {
      throw new TusRefusal(400, Errno.BadRequest);
    }
    return Promise.resolve({ metadata: { ...upload.metadata, owner: String(user.uid) } });
  }

  /** The same path as video_upload: content check, sha256, storage, row, processing. */
  private async finish(request: TusRequest, upload: Upload) {
    const user = ownerOf(request);
    try {
      const file = await this.ingest.ingest(this.store.read(upload.id));
      const metadata = upload.metadata ?? {};
      const video = await this.videos.create(user.uid, {
        ...file,
        title: metadata.title?.trim() || undefined,
        description: metadata.description?.trim() || undefined,
        filename: metadata.filename ?? metadata.name ?? '',
      });
      await this.kv.set(`tus-video:${upload.id}`, video.id, RESULT_TTL_MS);
      const body = JSON.stringify({ errno: 0, msg: Success.Uploaded.zh, video: videoView(video) });
      return { status_code: 200, headers: { 'Content-Type': 'application/json; charset=utf-8', 'X-Video-Id': video.id }, body };
    } catch (error) {
      if (error instanceof ErrnoError) throw new TusRefusal(error.errno === Errno.UnsupportedVideo.errno ? 415 : 400, error.entry);
      throw error;
    } finally {
      // The parts are no longer needed, whatever became of them.
      await this.store.remove(upload.id).catch(() => undefined);
    }
  }

  /** tus's own refusals (413 over the cap, 404 unknown upload, …) in the API's JSON shape. */
  private refusal(error: Error | { status_code: number; body: string }): { status_code: number; body: string } {
    if (error instanceof TusRefusal) return { status_code: error.status_code, body: error.body };
    const status = 'status_code' in error ? error.status_code : 500;
    const entry =
      status === 413
        ? Errno.VideoTooLarge
        : status === 404 || status === 410
          ? Errno.VideoNotFound
          : status >= 500
            ? Errno.Internal
            : Errno.BadRequest;
    if (status >= 500) this.logger.error(`tus: ${'message' in error ? error.message : error.body}`);
    return new TusRefusal(status, entry);
  }
}
