import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { Errno } from '../common/errno.js';
import { ErrnoError } from '../common/errno.error.js';
import { coverJpeg } from '../infra/images.js';
import { randomToken } from '../infra/random-token.js';
import { StoragePurger } from '../infra/storage/storage-purge.js';
import { StorageService } from '../infra/storage/storage.service.js';
import { VideoPipeline } from './processing/video-pipeline.js';
import type { Video } from './video.entity.js';
import { VideoRepository } from './video.repository.js';
import { actsForOwner, type Viewer } from './video.rules.js';
import { VideosService } from './videos.service.js';

/** The longest side of a cover made from an uploaded image. */
const COVER_MAX_SIDE = 1280;

/** What the owner chose: a second of the video, or an image. */
export type CoverChoice = { at: string } | { image: Buffer };

/** A version of the cover for its URL: a new cover is a new URL (`cover_url`), so no cache shows the old one. */
export const coverVersion = (coverKey: string) => createHash('sha256').update(coverKey).digest('hex').slice(0, 8);

/**
 * Covers chosen by the owner (or an admin): the frame at a second of the web MP4 (2006 until
 * processing made it; 9000 outside the video), or an uploaded image re-encoded by sharp (3001;
 * 3002 is the upload's). Stored under a new key (`covers/<id>-<8 hex>.jpg`, which the orphan sweep
 * knows) and swapped in with a compare-and-set; the cover it replaces goes to the purge job unless
 * it belongs to the rendition set. A reprocess makes the cover at 1 s again.
 */
@Injectable()
export class VideoCovers {
  constructor(
    private readonly videos: VideosService,
    private readonly rows: VideoRepository,
    private readonly storage: StorageService,
    private readonly pipeline: VideoPipeline,
    private readonly purger: StoragePurger,
  ) {}

  async set(viewer: NonNullable<Viewer>, id: string, choice: CoverChoice): Promise<Video> {
    const { video, viewer: who } = await this.videos.access(id, viewer);
    if (!actsForOwner(video, who)) throw new ErrnoError(Errno.NotVideoOwner);
    const jpeg = 'image' in choice ? await coverJpeg(choice.image, COVER_MAX_SIDE) : await this.frame(video, choice.at);
    const key = `covers/${video.id}-${randomToken(4, 'hex')}.jpg`;
    await this.storage.save(key, Readable.from([jpeg]));
    if (!(await this.rows.swapCover(video.id, video.coverKey, key))) {
      // Deleted, reprocessed or given another cover meanwhile: this one is nobody's.
      await this.storage.delete(key);
      throw new ErrnoError(Errno.VideoNotFound);
    }
    if (video.coverKey?.startsWith('covers/')) {
      await this.purger.enqueue([{ key: video.coverKey, prefix: false }]);
      this.purger.kick();
    }
    return { ...video, coverKey: key };
  }

  private async frame(video: Video, at: string): Promise<Buffer> {
    const seconds = /^\d{1,6}(\.\d{1,3})?$/.test(at) ? Number(at) : NaN;
    if (video.status !== 'ready' || !video.renditionKey) throw new ErrnoError(Errno.CoverNotReady);
    if (!(seconds >= 0) || (video.duration !== null && seconds > video.duration)) throw new ErrnoError(Errno.BadRequest);
    const frame = await this.pipeline.frameAt(video, seconds).catch(() => null);
    if (!frame) throw new ErrnoError(Errno.BadRequest);
    return frame;
  }
}
