import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import busboy from 'busboy';
import type { Request } from 'express';
import type { Readable } from 'node:stream';
import { catchError, mergeMap, type Observable } from 'rxjs';
import { asError } from '../common/as-error.js';
import { Errno } from '../common/errno.js';
import { ErrnoError } from '../common/errno.error.js';
import { randomToken } from '../infra/random-token.js';
import { StorageService } from '../infra/storage/storage.service.js';
import type { SessionUser } from '../session/session-user.js';
import { GROW_STEP, UploadSpace, type SpaceClaim } from './quota/upload-space.js';
import { UPLOAD_STAGE_BYTES, VideoIngest, type IngestedFile } from './video-ingest.js';
import { DESCRIPTION_MAX, isValidVideoText, isVisibility, TITLE_MAX, type Visibility } from './video.rules.js';

export const UPLOAD_FIELD = 'video';

/** What the interceptor hands to the controller: a complete, accepted file already in storage. */
export interface ReceivedUpload extends IngestedFile {
  /** As sent: `title` and `description` fields (already checked for length), the file's name. */
  title?: string;
  description?: string;
  /** As sent (checked); absent: DEFAULT_VISIBILITY. */
  visibility?: Visibility;
  filename: string;
}

const codePoints = (value: string) => [...value].length;

const LIMITS = { files: 1, fields: 10, parts: 20, fieldNameSize: 100, fieldSize: 4 * DESCRIPTION_MAX + 1 };
/** The most a body carries besides its file: fields, and each part's headers (busboy reads at most 16 KiB) and boundary. */
const MULTIPART_OVERHEAD_MAX = LIMITS.fields * (LIMITS.fieldNameSize + LIMITS.fieldSize) + LIMITS.parts * (16 * 1024 + 100);

/** The body's length when the client declared it (not chunked). */
function declaredLength(request: Request): number | undefined {
  const header = request.headers['content-length'];
  if (request.headers['transfer-encoding'] !== undefined || header === undefined || !/^\d{1,16}$/.test(header)) return undefined;
  return Number(header);
}

/**
 * Streams the multipart body of `video_upload` straight into storage through VideoIngest (sha256,
 * content check, size cap). Text fields are checked as they arrive (9000). Any failure, or a
 * client that goes away, leaves no file behind. Runs after the guards, so no body is read
 * without a login. The owner's free space is held before the body is read and the hold given
 * back before the answer (UploadSpace): the new row counts in the usage by then.
 */
@Injectable()
export class VideoUploadInterceptor implements NestInterceptor {
  constructor(
    private readonly storage: StorageService,
    private readonly ingest: VideoIngest,
    private readonly space: UploadSpace,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<Request & { upload?: ReceivedUpload }>();
    const claim = await this.claimSpace(request);
    try {
      request.upload = await this.receive(request, claim);
    } catch (error) {
      await claim?.release();
      throw error;
    }
    const release = async () => claim?.release();
    return next.handle().pipe(
      mergeMap(async (value: unknown) => {
        await release();
        return value;
      }),
      catchError(async (error: unknown) => {
        await release();
        throw error;
      }),
    );
  }

  /**
   * Holds the owner's space before any byte of the body is read: 2007 at once when the declared
   * length, less what besides the file a body may carry, is more than is free. Without a
   * length, a first step; the hold then grows ahead of the bytes (VideoIngest).
   */
  private async claimSpace(request: Request): Promise<SpaceClaim | undefined> {
    if (!request.is('multipart/form-data')) return undefined;
    const { uid } = request.user as SessionUser;
    const key = `upload:${randomToken(8, 'hex')}`;
    const length = declaredLength(request);
    if (length === undefined) return this.space.claim(uid, key, 1, GROW_STEP);
    return this.space.claim(uid, key, Math.max(1, length - MULTIPART_OVERHEAD_MAX), length);
  }

  private receive(request: Request, claim: SpaceClaim | undefined): Promise<ReceivedUpload> {
    if (!request.is('multipart/form-data')) return Promise.reject(new ErrnoError(Errno.NoVideoFile));
    let parser: busboy.Busboy;
    let fromQuery: Pick<ReceivedUpload, 'title' | 'description' | 'visibility'>;
    try {
      fromQuery = this.queryFields(request);
      parser = busboy({
        headers: request.headers,
        defParamCharset: 'utf8',
        highWaterMark: UPLOAD_STAGE_BYTES,
        fileHwm: UPLOAD_STAGE_BYTES,
        limits: LIMITS,
      });
    } catch (error) {
      // A title too long in the query, or a multipart header without a usable boundary.
      return Promise.reject(error instanceof ErrnoError ? error : new ErrnoError(Errno.BadRequest));
    }

    return new Promise<ReceivedUpload>((resolve, reject) => {
      const fields: Record<string, string> = {};
      let file:
        { stream: Readable; filename: string; stored: Promise<Omit<ReceivedUpload, 'title' | 'description' | 'filename'>> } | undefined;
      let settled = false;

      /** `serverFault`: storage failed (a full disk, S3 down): 9999 and logged, not the client's 9000. */
      const fail = (error: unknown, serverFault = false) => {
        if (settled) return;
        settled = true;
        request.unpipe(parser);
        parser.removeAllListeners();
        parser.on('error', () => undefined);
        if (file) {
          file.stream.destroy(asError(error));
          // Stored already (a bad field came after the file): remove it.
          file.stored.then((stored) => this.storage.delete(stored.storageKey)).catch(() => undefined);
        }
        if (error instanceof ErrnoError) reject(error);
        else if (serverFault) reject(asError(error));
        else reject(new ErrnoError(Errno.BadRequest));
      };

      parser.on('field', (name, value, info) => {
        if (info.nameTruncated || info.valueTruncated) return fail(new ErrnoError(Errno.BadRequest));
        if (name === 'title' && codePoints(value.trim()) > TITLE_MAX) return fail(new ErrnoError(Errno.BadRequest));
        if (name === 'description' && codePoints(value.trim()) > DESCRIPTION_MAX) return fail(new ErrnoError(Errno.BadRequest));
        if ((name === 'title' || name === 'description') && !isValidVideoText(name, value)) return fail(new ErrnoError(Errno.BadRequest));
        if (name === 'title' || name === 'description') fields[name] = value.trim();
        if (name === 'visibility') {
          if (!isVisibility(value.trim())) return fail(new ErrnoError(Errno.BadRequest));
          fields.visibility = value.trim();
        }
      });

      parser.on('file', (name, stream, info) => {
        if (name !== UPLOAD_FIELD) {
          stream.resume();
          return fail(new ErrnoError(Errno.BadRequest));
        }
        const stored = this.ingest.ingest(stream, claim);
        file = { stream, filename: info.filename ?? '', stored };
        stored.catch((error: unknown) => fail(error, true));
      });

      parser.on('filesLimit', () => fail(new ErrnoError(Errno.BadRequest)));
      parser.on('fieldsLimit', () => fail(new ErrnoError(Errno.BadRequest)));
      parser.on('partsLimit', () => fail(new ErrnoError(Errno.BadRequest)));
      parser.on('error', (error: unknown) => fail(error));
      parser.on('close', () => {
        if (settled) return;
        if (!file) return fail(new ErrnoError(Errno.NoVideoFile));
        const { filename } = file;
        file.stored.then(
          (stored) => {
            if (settled) return;
            settled = true;
            resolve({ ...stored, ...fromQuery, ...fields, filename });
          },
          (error: unknown) => fail(error, true),
        );
      });
      // A client gone half-way: the stream never ends by itself.
      request.on('close', () => {
        if (!request.complete) fail(new ErrnoError(Errno.BadRequest));
      });
      request.pipe(parser);
    });
  }

  /** `title` / `description` may also come in the query (the body wins); checked like the fields. */
  private queryFields(request: Request): Pick<ReceivedUpload, 'title' | 'description' | 'visibility'> {
    const result: Pick<ReceivedUpload, 'title' | 'description' | 'visibility'> = {};
    const visibility = request.query.visibility;
    if (visibility !== undefined) {
      if (typeof visibility !== 'string' || !isVisibility(visibility.trim())) throw new ErrnoError(Errno.BadRequest);
      result.visibility = visibility.trim() as Visibility;
    }
    for (const [name, max] of [
      ['title', TITLE_MAX],
      ['description', DESCRIPTION_MAX],
    ] as const) {
      const value = request.query[name];
      if (value === undefined) continue;
      if (typeof value !== 'string' || codePoints(value.trim()) > max) throw new ErrnoError(Errno.BadRequest);
      if (!isValidVideoText(name, value)) throw new ErrnoError(Errno.BadRequest);
      result[name] = value.trim();
    }
    return result;
  }
}
