import type { OutgoingHttpHeaders } from 'node:http';
import { FileStore } from '@tus/file-store';
import { EXPOSED_HEADERS, MemoryLocker, Server, TUS_RESUMABLE, type Upload } from '@tus/server';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import type { Request as ExpressRequest, Response as ExpressResponse } from 'express';
import { join } from 'node:path';
import { Errno, Success, type ErrnoEntry, type Language } from '../../common/errno.js';
import { answerLanguage, envelope, languageOf } from '../../common/http/envelope.js';
import { stopBodyAfterAnswer } from '../../common/http/stop-body.js';
import { ErrnoError } from '../../common/errno.error.js';
import { AppConfig } from '../../config/app-config.js';
import { KeyedLock } from '../../infra/keyed-lock.js';
import { KvStore } from '../../infra/kv.store.js';
import { randomToken } from '../../infra/random-token.js';
import { RedisService } from '../../infra/redis.service.js';
import type { SessionUser } from '../../session/session-user.js';
import { DESCRIPTION_MAX, isValidVideoText, isVisibility, TITLE_MAX, type Visibility } from '../video.rules.js';
import { VideoIngest } from '../video-ingest.js';
import { UploadSpace, type SpaceClaim } from '../quota/upload-space.js';
import { toVideoResponse } from '../video.response.js';
import { VideosService } from '../videos.service.js';
import { RedisLocker } from './redis-locker.js';

const TUS_PATH = '/api/videos/tus';
const EXPIRES_MS = 24 * 60 * 60_000;
const SWEEP_EVERY_MS = 60 * 60_000;
/** The API's interval that removes expired partial uploads. */
export const TUS_SWEEP = 'tus-sweep';
/** How long a finished upload is remembered (HEAD, a repeated final PATCH, GET /api/videos/tus/:id). */
const RESULT_TTL_MS = EXPIRES_MS;
const OCTET_STREAM = 'application/offset+octet-stream';
/** What namingFunction makes; anything else is left to tus (404). */
const UPLOAD_ID = /^[0-9a-f]{32}$/;
/** Metadata key, kept next to the parts, naming the video an upload is becoming. */
const PENDING_VIDEO = 'video';
/** An upload's key among its owner's space holds (UploadSpace). */
const holdOf = (uploadId: string) => `tus:${uploadId}`;
/** What @tus/server puts on each of its answers, for ours too. */
const PROTOCOL_HEADERS = { 'Tus-Resumable': TUS_RESUMABLE, 'Access-Control-Expose-Headers': EXPOSED_HEADERS };

/** What is kept of a finished upload: enough to answer HEAD and a repeated final PATCH. */
export interface FinishedUpload {
  uid: number;
  length: number;
  video: string;
}

/** A tus refusal: the protocol's HTTP status, and the API's envelope as the body. */
class TusRefusal extends Error {
  constructor(
    readonly status: number,
    readonly entry: ErrnoEntry,
  ) {
    super(entry.en);
  }

  /** As @tus/server takes it from onResponseError. */
  answer(language: Language): { status_code: number; body: string } {
    return { status_code: this.status, body: JSON.stringify(envelope(this.entry, language)) };
  }
}

/** The language of a tus request's answer (tus hands hooks a web Request wrapping ours). */
function languageOfTus(request: TusRequest): Language {
  const node = request.runtime?.node?.req as ExpressRequest | undefined;
  return node ? languageOf(node) : 'zh';
}

/** The HTTP status a domain refusal takes on the tus routes. */
function statusOf(entry: ErrnoEntry): number {
  if (entry === Errno.UnsupportedVideo) return 415;
  if (entry === Errno.StorageFull) return 413;
  if (entry === Errno.NotVideoOwner) return 403;
  if (entry === Errno.VideoNotFound) return 404;
  if (entry === Errno.LoginRequired) return 401;
  return 400;
}

type TusRequest = Parameters<NonNullable<ConstructorParameters<typeof Server>[0]['onIncomingRequest']>>[0];

/** A non-negative integer header, else undefined. */
function lengthHeader(request: TusRequest, name: string): number | undefined {
  const value = request.headers.get(name);
  return value !== null && /^\d{1,16}$/.test(value) ? Number(value) : undefined;
}

/** A claim renewed while its request runs, then left to lapse unless the next request claims it again. */
function renewWhileOpen(request: TusRequest, claim: SpaceClaim): void {
  const response = request.runtime?.node?.res as ExpressResponse | undefined;
  if (!response || response.closed) return claim.detach();
  response.once('close', () => claim.detach());
}

/** The logged-in account of a tus request (the route's guard has checked the session). */
function ownerOf(request: TusRequest): SessionUser {
  const user = (request.runtime?.node?.req as ExpressRequest | undefined)?.user as SessionUser | undefined;
  if (!user) throw new TusRefusal(401, Errno.LoginRequired);
  return user;
}

/**
 * express-session wraps `res.end` as `(chunk, encoding)`; srvx (under @tus/server) calls
 * `res.end(callback)`. Hand the callback to the response's own events instead.
 */
function acceptEndCallback(response: ExpressResponse): ExpressResponse {
  const end = response.end.bind(response) as (...args: unknown[]) => ExpressResponse;
  response.end = ((...args: unknown[]) => {
    const callback = args.find((arg) => typeof arg === 'function') as (() => void) | undefined;
    if (callback) {
      let called = false;
      const once = () => {
        if (called) return;
        called = true;
        callback();
      };
      response.once('finish', once).once('close', once);
    }
    return end(...args.filter((arg) => typeof arg !== 'function'));
  }) as ExpressResponse['end'];
  return response;
}

type HeaderArgument = OutgoingHttpHeaders | (string | string[] | number)[] | [string, string | string[]][];

/** Any form of writeHead's headers argument, as an object. */
function headersObject(headers: HeaderArgument | undefined): Record<string, string | string[] | number> {
  if (!headers) return {};
  if (!Array.isArray(headers)) return { ...(headers as Record<string, string | string[] | number>) };
  const pairs = Array.isArray(headers[0])
    ? (headers as [string, string][])
    : Array.from({ length: headers.length / 2 }, (_, i) => [headers[2 * i] as string, headers[2 * i + 1] as string] as const);
  return Object.fromEntries(pairs);
}

/**
 * @tus/server writes a few refusals itself as plain text, before any hook (412 without
 * Tus-Resumable, 400 for a malformed header): those get the API's envelope too. A refusal's
 * head waits for its (small) body, which keeps ours (already an envelope) or replaces tus's.
 */
function envelopePlainRefusals(
  response: ExpressResponse,
  language: Language,
  refusal: (error: { status_code: number; body: string }) => TusRefusal,
): ExpressResponse {
  const writeHead = response.writeHead.bind(response) as (status: number, headers: Record<string, unknown>) => ExpressResponse;
  const write = response.write.bind(response) as (...args: unknown[]) => boolean;
  const end = response.end.bind(response) as (...args: unknown[]) => ExpressResponse;
  let refused: { status: number; headers: Record<string, string | string[] | number>; chunks: Buffer[] } | undefined;
  response.writeHead = ((status: number, ...rest: unknown[]) => {
    if (typeof rest[0] === 'string') rest.shift(); // the status message: Node's own is right
    if (status < 400) return writeHead(status, headersObject(rest[0] as HeaderArgument | undefined));
    refused = { status, headers: headersObject(rest[0] as HeaderArgument | undefined), chunks: [] };
    return response;
  }) as ExpressResponse['writeHead'];
  response.write = ((chunk: unknown, ...args: unknown[]) => {
    if (!refused) return write(chunk, ...args);
    if (typeof chunk === 'string' || chunk instanceof Uint8Array) refused.chunks.push(Buffer.from(chunk));
    return true;
  }) as ExpressResponse['write'];
  response.end = ((...args: unknown[]) => {
    if (!refused) return end(...args);
    const [chunk] = args;
    if (typeof chunk === 'string' || chunk instanceof Uint8Array) refused.chunks.push(Buffer.from(chunk));
    const text = Buffer.concat(refused.chunks).toString();
    const body = text.startsWith('{"errno":') ? text : refusal({ status_code: refused.status, body: text }).answer(language).body;
    const headers = Object.fromEntries(Object.entries(refused.headers).filter(([name]) => !/^content-(type|length)$/i.test(name)));
    // Refused mid-body (over the quota): a half-close, not a reset, or the client may never read it.
    stopBodyAfterAnswer(response.req, response);
    writeHead(refused.status, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
    return end(body, ...args.filter((arg) => typeof arg === 'function'));
  }) as ExpressResponse['end'];
  return response;
}

/**
 * Resumable uploads (the tus protocol) at /api/videos/tus: the parts land in DATA_DIR/tus
 * (@tus/file-store); on completion the file takes the same path as video_upload (VideoIngest: content check, sha256, cap, storage; then the
 * row and processing) and the final PATCH answers `{errno: 0, video}`. Locks are in
 * Redis when configured, so a transfer started on one instance can be finished on another.
 *
 * A finished upload is remembered for RESULT_TTL_MS (KvStore `tus-video:<id>`): HEAD still
 * answers its full offset and a repeated final PATCH the same video, so that a client that lost
 * the final answer resumes into the video it made instead of starting a second one.
 *
 * Quota (UploadSpace): creation holds the owner's space for `Upload-Length` (2007, HTTP 413, when
 * it is not free); each PATCH holds it again before its bytes (a paused upload's hold lapses), a
 * length still deferred holding what the PATCH may bring; the hold is given back when the upload
 * becomes a row, is refused or terminated. A refused upload's parts are removed.
 */
@Injectable()
export class TusUploads implements OnModuleInit {
  private readonly logger = new Logger(TusUploads.name);
  readonly server: Server;
  private readonly store: FileStore;
  private readonly redisLocker?: RedisLocker;
  private readonly finishing = new KeyedLock();
  private readonly maxBytes: number;
  /** The space claim of each PATCH in flight on a deferred length: it bounds the body (maxSize). */
  private readonly patching = new WeakMap<TusRequest, SpaceClaim>();

  constructor(
    config: AppConfig,
    redis: RedisService,
    private readonly ingest: VideoIngest,
    private readonly videos: VideosService,
    private readonly kv: KvStore,
    private readonly space: UploadSpace,
  ) {
    this.maxBytes = config.uploadMaxBytes;
    // Parts stay on local disk even with STORAGE=s3 (see docs/decisions.md); the finished file goes to storage.
    this.store = new FileStore({ directory: join(config.dataDir, 'tus'), expirationPeriodInMilliseconds: EXPIRES_MS });
    this.redisLocker = redis.client ? new RedisLocker(redis.client) : undefined;
    this.server = new Server({
      path: TUS_PATH,
      datastore: this.store,
      maxSize: (request) => Math.min(this.maxBytes, this.patching.get(request)?.held ?? Infinity),
      relativeLocation: true,
      // With CORS_ORIGIN, a browser on those origins sends the cookie: it must read its own origin
      // back, never `*` (tus's default, which browsers refuse with credentials). Others get none.
      allowedOrigins: (origin) => config.corsOrigins.includes(origin),
      allowedCredentials: config.corsOrigins.length > 0,
      respectForwardedHeaders: config.trustProxy !== false,
      locker: this.redisLocker ?? new MemoryLocker(),
      namingFunction: () => randomToken(16, 'hex'),
      // A complete upload's parts may hold the pending video's id (see settle).
      disableTerminationForFinishedUploads: true,
      onIncomingRequest: (request, id) => this.checkOwner(request, id),
      onUploadCreate: (request, upload) => this.create(request, upload),
      onUploadFinish: (request, upload) => this.finish(upload, languageOfTus(request)),
      onResponseError: async (request, error) => (await this.refused(request, error)).answer(languageOfTus(request)),
    });
  }

  onModuleInit(): void {
    void this.sweepExpired();
  }

  /** At start, then hourly. */
  @Interval(TUS_SWEEP, SWEEP_EVERY_MS)
  async sweepExpired(): Promise<void> {
    await this.server.cleanUpExpiredUploads().then(
      (count) => count && this.logger.log(`Removed ${count} expired partial upload(s)`),
      (error: Error) => this.logger.warn(`tus clean-up: ${error.message}`),
    );
  }

  /**
   * One tus request. A finished upload's HEAD and PATCH are answered here (tus has forgotten its
   * parts); everything else goes to @tus/server.
   */
  async handle(request: ExpressRequest, response: ExpressResponse, uploadId?: string): Promise<void> {
    const { method } = request;
    const language = answerLanguage(request, response);
    if (request.headers['tus-resumable'] && (method === 'PATCH' || method === 'HEAD')) {
      try {
        // tus 1.0: 415 (@tus/server answers 400).
        if (method === 'PATCH' && request.headers['content-type'] !== OCTET_STREAM) throw new TusRefusal(415, Errno.BadRequest);
        const finished =
          uploadId && UPLOAD_ID.test(uploadId) ? await this.finished(uploadId, (request.user as SessionUser).uid) : undefined;
        if (finished) {
          response.set({ ...PROTOCOL_HEADERS, 'Upload-Offset': String(finished.length), 'Cache-Control': 'no-store' });
          if (method === 'HEAD') {
            response.status(200).set('Upload-Length', String(finished.length)).end();
            return;
          }
          // Whatever its offset and body (Node discards the body), the upload is done: its video.
          const answer = await this.answer(finished, language);
          response.status(answer.status_code).set(answer.headers).send(answer.body);
          return;
        }
      } catch (error) {
        const refusal = this.refusal(error as Error).answer(language);
        response
          .status(refusal.status_code)
          .set({ ...PROTOCOL_HEADERS, 'Content-Type': 'application/json; charset=utf-8' })
          .send(refusal.body);
        return;
      }
    }
    await this.server.handle(request, acceptEndCallback(envelopePlainRefusals(response, language, this.refusal.bind(this))));
    if (method === 'DELETE' && uploadId && response.statusCode === 204) {
      await this.space.release((request.user as SessionUser).uid, holdOf(uploadId)).catch(() => undefined);
    }
  }

  /** The video a finished upload became, for a client that lost the final answer (owner only). */
  async result(uploadId: string, uid: number): Promise<string | undefined> {
    return UPLOAD_ID.test(uploadId) ? (await this.finished(uploadId, uid))?.video : undefined;
  }

  /**
   * The finished upload `uploadId` of `uid` (2005 for someone else's), finishing it first when
   * all its bytes are in; undefined while it is incomplete or unknown.
   */
  private async finished(uploadId: string, uid: number): Promise<FinishedUpload | undefined> {
    let record = await this.record(uploadId);
    if (!record) {
      const upload = await this.store.getUpload(uploadId).catch(() => undefined);
      if (!upload || upload.offset !== upload.size) return undefined;
      if (upload.metadata?.owner !== String(uid)) throw new ErrnoError(Errno.NotVideoOwner);
      record = await this.settle(uploadId);
      if (!record) return undefined;
    }
    if (record.uid !== uid) throw new ErrnoError(Errno.NotVideoOwner);
    return record;
  }

  private async record(uploadId: string): Promise<FinishedUpload | undefined> {
    const record = await this.kv.get<FinishedUpload | string>(`tus-video:${uploadId}`);
    return record && typeof record === 'object' ? record : undefined; // a string: an older record, without what HEAD needs
  }

  private async checkOwner(request: TusRequest, id: string): Promise<void> {
    const user = ownerOf(request);
    if (!id) return;
    const upload = await this.store.getUpload(id).catch(() => null);
    if (upload && upload.metadata?.owner !== String(user.uid)) throw new TusRefusal(403, Errno.NotVideoOwner);
    if (upload && request.method === 'PATCH') await this.holdForPatch(request, upload, user.uid);
  }

  /**
   * Before a PATCH's bytes, the upload's space is held again: its whole length when known, else
   * what this PATCH may bring (its Content-Length; chunked: all that is free, and the body is cut
   * there). 2007 when it does not fit, and the upload is removed. A length over UPLOAD_MAX_BYTES
   * is left to tus (2003).
   */
  private async holdForPatch(request: TusRequest, upload: Upload, uid: number): Promise<void> {
    const length = upload.size ?? lengthHeader(request, 'upload-length');
    if (length !== undefined && length > this.maxBytes) return;
    const body = lengthHeader(request, 'content-length');
    const key = holdOf(upload.id);
    const offset = upload.offset;
    let claim: SpaceClaim;
    try {
      if (length !== undefined) claim = await this.space.claim(uid, key, length);
      else if (body !== undefined) claim = await this.space.claim(uid, key, offset + body);
      else claim = await this.space.claim(uid, key, offset, this.maxBytes);
    } catch (error) {
      if (error instanceof ErrnoError && error.entry === Errno.StorageFull) await this.drop(upload.id, uid);
      throw error;
    }
    if (length === undefined) this.patching.set(request, claim);
    renewWhileOpen(request, claim);
  }

  /** A refused upload: its parts and its hold go. */
  private async drop(uploadId: string, uid: number): Promise<void> {
    await this.store.remove(uploadId).catch(() => undefined);
    await this.space.release(uid, holdOf(uploadId)).catch(() => undefined);
  }

  /** A deferred length's body cut where its space ended is 2007 (and the upload goes), not 2003. */
  private async refused(request: TusRequest, error: Error | { status_code: number; body: string }): Promise<TusRefusal> {
    const refusal = this.refusal(error);
    const claim = this.patching.get(request);
    if (!claim) return refusal;
    const overQuota = refusal.entry === Errno.StorageFull || (refusal.entry === Errno.VideoTooLarge && claim.held < this.maxBytes);
    if (!overQuota) return refusal;
    await this.drop(claim.key.slice('tus:'.length), claim.uid);
    return new TusRefusal(413, Errno.StorageFull);
  }

  private async create(request: TusRequest, upload: Upload): Promise<{ metadata: Upload['metadata'] }> {
    const user = ownerOf(request);
    const metadata = { ...upload.metadata };
    delete metadata[PENDING_VIDEO]; // set by the server only
    const { title, description } = metadata;
    if ((title && [...title].length > TITLE_MAX) || (description && [...description].length > DESCRIPTION_MAX)) {
      throw new TusRefusal(400, Errno.BadRequest);
    }
    if ((title && !isValidVideoText('title', title)) || (description && !isValidVideoText('description', description))) {
      throw new TusRefusal(400, Errno.BadRequest);
    }
    if (metadata.visibility !== undefined && metadata.visibility !== null && !isVisibility(metadata.visibility.trim())) {
      throw new TusRefusal(400, Errno.BadRequest);
    }
    // The declared length (or, deferred, the first bytes sent with the creation) must fit in the owner's free space: 2007 (413).
    const first = request.headers.get('content-type') === OCTET_STREAM ? lengthHeader(request, 'content-length') : undefined;
    const length = upload.size ?? first;
    if (length !== undefined) renewWhileOpen(request, await this.space.claim(user.uid, holdOf(upload.id), length));
    return { metadata: { ...metadata, owner: String(user.uid) } };
  }

  /** tus's completion hook (after the last bytes are written, outside tus's lock). */
  private async finish(upload: Upload, language: Language) {
    const record = await this.settle(upload.id);
    if (!record) throw new TusRefusal(404, Errno.VideoNotFound);
    return this.answer(record, language);
  }

  /** The final PATCH's answer; the same each time it is asked for. */
  private async answer(record: FinishedUpload, language: Language) {
    const video = await this.videos.get(record.video);
    const body = JSON.stringify(envelope(Success.Uploaded, language, { video: toVideoResponse(video, record.uid) }));
    return { status_code: 200, headers: { 'Content-Type': 'application/json; charset=utf-8', 'X-Video-Id': video.id }, body };
  }

  /**
   * Makes the video of a complete upload, once: alone per upload (in this process, and across
   * instances with Redis), the same path as video_upload (content check, sha256, storage, row,
   * processing). The order makes a crash harmless: the stored file's id is written next to the
   * parts before the row, the record after it, and the parts go last; a retry finds a row already
   * made by that id instead of making a second. Left open: an instance cut off from Redis for
   * over the lock's 30 s while finishing can race another one; without Redis the record is in
   * memory, and a restart forgets uploads finished before it (their HEAD answers 404 again).
   */
  private settle(uploadId: string): Promise<FinishedUpload | undefined> {
    return this.exclusively(uploadId, async () => {
      const done = await this.record(uploadId);
      if (done) return done;
      const upload = await this.store.getUpload(uploadId).catch(() => undefined);
      if (!upload || upload.size === undefined || upload.offset !== upload.size) return undefined;
      const pending = upload.metadata?.[PENDING_VIDEO];
      const uid = Number(upload.metadata?.owner);
      let record: FinishedUpload;
      let claim: SpaceClaim | undefined;
      try {
        let video = pending && (await this.exists(pending)) ? pending : undefined;
        if (!video) {
          // Held once more: a paused upload's hold may have lapsed and its space gone (2007).
          claim = await this.space.claim(uid, holdOf(uploadId), upload.size);
          video = await this.makeVideo(upload);
        }
        record = { uid, length: upload.size, video };
        await this.kv.set(`tus-video:${uploadId}`, record, RESULT_TTL_MS);
      } catch (error) {
        claim?.detach();
        // Refused content never becomes a video: its parts and its hold go. Anything else (storage,
        // database, cache) keeps them, so that the client's retry can finish the upload.
        if (error instanceof ErrnoError) await this.drop(uploadId, uid);
        throw error;
      }
      // The row counts in the usage now.
      await this.drop(uploadId, uid);
      claim?.detach();
      return record;
    });
  }

  private async makeVideo(upload: Upload): Promise<string> {
    const file = await this.ingest.ingest(this.store.read(upload.id));
    const info = await this.store.configstore.get(upload.id);
    if (!info) throw new Error(`tus upload ${upload.id} vanished while finishing`);
    info.metadata = { ...info.metadata, [PENDING_VIDEO]: file.id };
    await this.store.configstore.set(upload.id, info);
    const metadata = upload.metadata ?? {};
    const video = await this.videos.create(Number(metadata.owner), {
      ...file,
      title: metadata.title?.trim() || undefined,
      description: metadata.description?.trim() || undefined,
      visibility: (metadata.visibility?.trim() || undefined) as Visibility | undefined,
      filename: metadata.filename ?? metadata.name ?? '',
    });
    return video.id;
  }

  private exists(videoId: string): Promise<boolean> {
    return this.videos.get(videoId).then(
      () => true,
      (error: unknown) => {
        if (error instanceof ErrnoError && error.entry === Errno.VideoNotFound) return false;
        throw error;
      },
    );
  }

  /** Runs `work` alone for one upload: in this process, and across instances when Redis is there. */
  private exclusively<T>(uploadId: string, work: () => Promise<T>): Promise<T> {
    return this.finishing.run(uploadId, async () => {
      const lock = this.redisLocker?.newLock(`finish:${uploadId}`);
      // A finish is never asked to stop: others wait for it.
      await lock?.lock(new AbortController().signal, () => undefined);
      try {
        return await work();
      } finally {
        await lock?.unlock().catch(() => undefined);
      }
    });
  }

  /** tus's own refusals (413 over the cap, 404 unknown upload, …) and ours in the API's JSON shape. */
  private refusal(error: Error | { status_code: number; body: string }): TusRefusal {
    if (error instanceof TusRefusal) return error;
    if (error instanceof ErrnoError) return new TusRefusal(statusOf(error.entry), error.entry);
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
