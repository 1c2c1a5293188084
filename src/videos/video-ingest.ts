import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { Errno } from '../common/errno.js';
import { ErrnoError } from '../common/errno.error.js';
import { AppConfig } from '../config/app-config.js';
import { SNIFF_BYTES, sniffContainer } from './container.js';
import { Metrics } from '../infra/metrics.js';
import { randomToken } from '../infra/random-token.js';
import { StorageService } from '../infra/storage/storage.service.js';
import type { SpaceClaim } from './quota/upload-space.js';

/** A complete, accepted video file in storage (not yet a row). */
export interface IngestedFile {
  id: string;
  storageKey: string;
  size: number;
  sha256: string;
  mime: string;
}

const newVideoId = () => randomToken(10, 'hex');

/**
 * How many bytes each stage of an upload (the multipart parser, its file stream, this check) may
 * hold before it asks the one before it to wait. Node's default (16 KiB) is smaller than one
 * socket read (64 KiB), so every read stopped the whole chain until its disk write was done;
 * with room for a few reads, the socket is read while the disk writes, and the writes that wait
 * go out together (one writev). A few MiB per upload at most.
 */
export const UPLOAD_STAGE_BYTES = 1024 * 1024;

/**
 * The one way bytes become a stored video file, for both upload paths (multipart and tus):
 * streamed into storage under a new random key while a sha256 is computed, the first bytes
 * checked against the accepted containers (2002 at once) and the size held under
 * UPLOAD_MAX_BYTES (2003 the moment it is crossed). With a `claim`, no chunk goes on before the
 * owner's free space holds it (2007 the moment it does not). An empty stream is 2001. On any
 * failure the storage keeps nothing.
 */
@Injectable()
export class VideoIngest {
  constructor(
    private readonly storage: StorageService,
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {}

  async ingest(source: Readable, claim?: SpaceClaim): Promise<IngestedFile> {
    const id = newVideoId();
    const storageKey = `videos/${id}`;
    const max = this.config.uploadMaxBytes;
    const hash = createHash('sha256');
    let size = 0;
    let head: Buffer = Buffer.alloc(0);
    let mime: string | undefined;

    const sniff = () => {
      const container = sniffContainer(head);
      if (!container) throw new ErrnoError(Errno.UnsupportedVideo);
      mime = container.mime;
    };
    const inspect = new Transform({
      highWaterMark: UPLOAD_STAGE_BYTES,
      transform(chunk: Buffer, _encoding, callback) {
        try {
          size += chunk.length;
          if (size > max) throw new ErrnoError(Errno.VideoTooLarge);
          hash.update(chunk);
          if (!mime) {
            head = Buffer.concat([head, chunk.subarray(0, SNIFF_BYTES - head.length)]);
            if (head.length >= SNIFF_BYTES) sniff();
          }
          if (!claim || claim.covers(size)) return callback(null, chunk);
          claim.grow(size).then(
            () => callback(null, chunk),
            (error: Error) => callback(error),
          );
        } catch (error) {
          callback(error as Error);
        }
      },
      flush(callback) {
        try {
          if (size === 0) throw new ErrnoError(Errno.NoVideoFile); // an empty file input
          if (!mime) sniff();
          callback();
        } catch (error) {
          callback(error as Error);
        }
      },
    });
    source.on('error', (error) => inspect.destroy(error));
    const written = await this.storage.save(storageKey, source.pipe(inspect));
    this.metrics.countUpload(written);
    return { id, storageKey, size: written, sha256: hash.digest('hex'), mime: mime! };
  }
}
