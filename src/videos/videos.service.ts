import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { Errno } from '../common/errno.js';
import { ErrnoError } from '../common/errno.error.js';
import { Clock } from '../infra/clock.js';
import { VideoPipeline } from './processing/video-pipeline.js';
import { VideoProcessor } from './processing/video-processor.js';
import { StorageService } from '../infra/storage/storage.service.js';
import type { ReceivedUpload } from './video-upload.interceptor.js';
import { newRun, type Video } from './video.entity.js';
import { VideoRepository } from './video.repository.js';
import type { ListCursor, ListQuery } from './video-list.js';
import { AppConfig } from '../config/app-config.js';
import { AdminCheck } from '../session/admin-check.js';
import { actsForOwner, defaultTitle, isValidVideoText, isVideoId, isVisibility, listedFor, mayView, type Viewer } from './video.rules.js';

export interface VideoChange {
  title?: string;
  description?: string;
  visibility?: string;
}

const ORPHAN_AGE_MS = 60 * 60_000;
/** The API's interval that removes stored files no row names. */
export const ORPHAN_SWEEP = 'orphan-sweep';

@Injectable()
export class VideosService implements OnApplicationBootstrap {
  private readonly logger = new Logger(VideosService.name);

  constructor(
    private readonly videos: VideoRepository,
    private readonly storage: StorageService,
    private readonly processor: VideoProcessor,
    private readonly pipeline: VideoPipeline,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly admins: AdminCheck,
  ) {}

  onApplicationBootstrap(): void {
    void this.sweepOrphansLogged();
  }

  /** At start, then once per ORPHAN_AGE_MS. */
  @Interval(ORPHAN_SWEEP, ORPHAN_AGE_MS)
  async sweepOrphansLogged(): Promise<void> {
    await this.sweepOrphans().catch((error: Error) => this.logger.warn(`orphan sweep: ${error.message}`));
  }

  /** Records a complete upload (it becomes visible now) and queues its processing; a failed insert removes the file. */
  async create(uid: number, upload: ReceivedUpload): Promise<Video> {
    const video = this.videos.build({
      id: upload.id,
      uid,
      title: upload.title || defaultTitle(upload.filename),
      description: upload.description ?? '',
      visibility: upload.visibility ?? this.config.defaultVisibility,
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
      run: newRun(),
      renditionKey: null,
      renditionBytes: 0,
      stage: null,
      percent: null,
      createdAt: new Date(Math.floor(this.clock.now() / 1000) * 1000),
    });
    try {
      await this.videos.insert(video);
    } catch (error) {
      // A lost connection can hide a committed insert: remove the file only when the row is
      // surely absent. Never a row without its file; a file without a row is swept later.
      const recorded = await this.videos.exists(video.id).catch(() => undefined);
      if (recorded === false) await this.storage.delete(upload.storageKey);
      if (recorded !== true) {
        if (recorded === undefined)
          this.logger.warn(`Upload ${video.id}: insert failed and the database cannot tell; file kept for the sweep`);
        throw error;
      }
    }
    await this.processor.submit(video.id, video.run!);
    return video;
  }

  /**
   * Runs processing again (owner only): 2008 at once when the original cannot be read as a video
   * at all, else a new run is queued (the current renditions play until the new ones replace
   * them). A video already processing is answered as it is.
   */
  async reprocess(viewer: NonNullable<Viewer>, id: string): Promise<Video> {
    const video = await this.view(id, viewer);
    if (video.uid !== viewer.uid) throw new ErrnoError(Errno.NotVideoOwner);
    if (video.status === 'processing') return video;
    if ((await this.pipeline.canDecode(video)) === false) throw new ErrnoError(Errno.CannotProcess);
    const run = newRun();
    if (await this.videos.startRun(video.id, video.status, run)) await this.processor.submit(video.id, run);
    return this.get(id);
  }

  /** Sorted, searched and paged (`ListQuery`): everything to the owner and admins, public videos to anyone else (`listedFor`). */
  async list(uid: number, viewer: Viewer, query: ListQuery): Promise<{ total: number; videos: Video[]; next: ListCursor | null }> {
    return this.videos.listByOwner(uid, listedFor(uid, await this.confirmed(viewer, uid)), query);
  }

  /**
   * A video as `viewer` may see it: 2004 for an id that names none and for a private video of
   * someone else, alike (`mayView`). Every read path (detail, stream, cover, renditions) comes here.
   */
  async view(id: string, viewer: Viewer): Promise<Video> {
    return (await this.access(id, viewer)).video;
  }

  /** The video (as `view`) and the viewer with an admin role confirmed (`confirmed`), for what acts on it. */
  async access(id: string, viewer: Viewer): Promise<{ video: Video; viewer: Viewer }> {
    const video = await this.get(id);
    const who = await this.confirmed(viewer, video.uid);
    if (!mayView(video, who)) throw new ErrnoError(Errno.VideoNotFound);
    return { video, viewer: who };
  }

  /**
   * The viewer, with the admin role of its session confirmed against the account as it is now
   * (AdminCheck) where it would reach someone else's videos: a session keeps the role of its login.
   * Only sessions that claim the role pay for the look-up.
   */
  async confirmed(viewer: Viewer, ownerUid: number): Promise<Viewer> {
    if (viewer?.role !== 'admin' || viewer.uid === ownerUid) return viewer;
    return (await this.admins.isAdmin(viewer)) ? viewer : { ...viewer, role: 'user' };
  }

  /** Title, description, visibility (each optional): 2004 unseen, 2005 not the owner (or an admin), 9000 a bad value. */
  async edit(viewer: NonNullable<Viewer>, id: string, change: VideoChange): Promise<Video> {
    const { video, viewer: who } = await this.access(id, viewer);
    if (!actsForOwner(video, who)) throw new ErrnoError(Errno.NotVideoOwner);
    const fields: Partial<Pick<Video, 'title' | 'description' | 'visibility'>> = {};
    if (change.title !== undefined) {
      if (!change.title.trim() || !isValidVideoText('title', change.title)) throw new ErrnoError(Errno.BadRequest);
      fields.title = change.title.trim();
    }
    if (change.description !== undefined) {
      if (!isValidVideoText('description', change.description)) throw new ErrnoError(Errno.BadRequest);
      fields.description = change.description.trim();
    }
    if (change.visibility !== undefined) {
      if (!isVisibility(change.visibility)) throw new ErrnoError(Errno.BadRequest);
      fields.visibility = change.visibility;
    }
    if (Object.keys(fields).length) await this.videos.update(video.id, fields);
    return { ...video, ...fields };
  }

  /**
   * Removes stored files that no row names (an upload cut off between its file and its row by a
   * database failure; renditions of an attempt that lost a race or whose worker died while
   * storing them), once they are an hour old so that no upload or run in flight is touched.
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
    const attempts = new Map<string, number>();
    for (const { key, modifiedAt } of await this.storage.list('renditions/')) {
      const attempt = key.split('/').slice(0, 3).join('/');
      attempts.set(attempt, Math.max(attempts.get(attempt) ?? 0, modifiedAt.getTime()));
    }
    for (const [attempt, newest] of attempts) {
      if (Date.now() - newest < ORPHAN_AGE_MS) continue;
      const id = attempt.split('/')[1];
      const row = await this.videos.keysOf(id);
      if (row?.renditionKey === attempt) continue;
      await this.storage.deletePrefix(attempt);
      swept++;
    }
    if (swept) this.logger.log(`Swept ${swept} stored file(s) or rendition set(s) without a video`);
    return swept;
  }

  /** A video file belongs to its row; a v1 cover only when it is the row's current one. */
  private async isNamed(prefix: string, key: string): Promise<boolean> {
    const id = prefix === 'covers/' ? key.replace(/^covers\//, '').replace(/(-[0-9a-f]{8})?\.jpg$/, '') : key.slice(prefix.length);
    if (!isVideoId(id)) return false;
    const row = await this.videos.keysOf(id);
    return row !== null && (prefix === 'videos/' || row.coverKey === key);
  }

  /** 2004 for any id that names no video, whatever its form. */
  async get(id: string): Promise<Video> {
    const video = await this.videos.findById(id);
    if (!video) throw new ErrnoError(Errno.VideoNotFound);
    return video;
  }

  /** Owner or an admin (else 2005). The row goes first (what users see), then every stored byte. */
  async delete(viewer: NonNullable<Viewer>, id: string): Promise<void> {
    const { video, viewer: who } = await this.access(id, viewer);
    if (!actsForOwner(video, who)) throw new ErrnoError(Errno.NotVideoOwner);
    await this.videos.remove(video.id);
    // Renditions still being made are removed by their run, whose status change now finds no row.
    const results = await Promise.allSettled([
      this.storage.delete(video.storageKey),
      ...(video.coverKey && !video.coverKey.startsWith('renditions/') ? [this.storage.delete(video.coverKey)] : []),
      ...(video.renditionKey ? [this.storage.deletePrefix(video.renditionKey)] : []),
    ]);
    for (const result of results) {
      // The row is gone, so nobody can reach these bytes; the orphan is logged for the operator.
      if (result.status === 'rejected') this.logger.error(`Video ${video.id} deleted but a file stayed: ${String(result.reason)}`);
    }
  }
}
