import { All, Controller, Delete, Get, Head, Options, Param, Patch, Post, Req, Res, UseGuards } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCookieAuth,
  ApiExcludeEndpoint,
  ApiHeader,
  ApiOperation,
  ApiParam,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Errno, Success } from '../../common/errno.js';
import { ErrnoError } from '../../common/errno.error.js';
import { Reply } from '../../common/reply.js';
import { ApiErrnos, ApiErrnoStatus, ApiPublic, ApiSuccess } from '../../common/swagger.js';
import { AuthenticatedGuard } from '../../session/authenticated.guard.js';
import { CurrentUser } from '../../session/current-user.decorator.js';
import type { SessionUser } from '../../session/session-user.js';
import { SESSION_COOKIE } from '../../session/session.module.js';
import { toVideoResponse } from '../video.response.js';
import { VideosService } from '../videos.service.js';
import { DESCRIPTION_MAX, TITLE_MAX } from '../video.rules.js';
import { VideoResponse } from '../video.response.js';
import { TusLoginGuard } from './tus-login.guard.js';
import { TusUploads } from './tus-uploads.js';

const { BadRequest, LoginRequired, NotVideoOwner, UnsupportedVideo, VideoNotFound, VideoTooLarge } = Errno;

const STRING = { type: 'string' } as const;
const INTEGER = { type: 'integer', format: 'int64', minimum: 0 } as const;
const PROTOCOL = { 'Tus-Resumable': { description: '`1.0.0`', schema: STRING } };
const TUS_RESUMABLE = ApiHeader({
  name: 'Tus-Resumable',
  required: true,
  description: 'the protocol version',
  schema: { type: 'string', enum: ['1.0.0'] },
});
const UPLOAD_ID = ApiParam({
  name: 'uploadId',
  description: 'the last segment of the `Location` that creation answered',
  schema: { type: 'string', pattern: '^[0-9a-f]{32}$' },
});
const BYTES = ApiBody({ required: false, schema: { type: 'string', format: 'binary' }, description: 'the next bytes of the file' });
const NOT_LOGGED_IN = ApiErrnoStatus(401, 'No session.', [LoginRequired]);
const NOT_YOURS = ApiErrnoStatus(403, "Another account's upload.", [NotVideoOwner]);
const UNKNOWN = ApiErrnoStatus(404, 'No such upload (or it expired).', [VideoNotFound]);
const FINAL = ApiSuccess(
  200,
  'The last bytes are in: the upload became this video (the same answer to a repeated final request for 24 h).',
  Success.Uploaded,
  { video: VideoResponse },
  { 'X-Video-Id': { description: "the new video's id", schema: STRING }, ...PROTOCOL },
);
const REFUSED_CONTENT = ApiErrnoStatus(
  415,
  '2002: the complete file is not a video (its parts are removed); 9000: a PATCH body not sent as `application/offset+octet-stream`.',
  [UnsupportedVideo, BadRequest],
);
const TOO_LARGE = ApiErrnoStatus(
  413,
  "2003: over the upload size limit (`Tus-Max-Size`); 2007: more than the owner's free storage (the upload and its parts are removed).",
  [VideoTooLarge, Errno.StorageFull],
);

/**
 * The tus protocol 1.0 (core, creation, creation-with-upload, creation-defer-length, termination,
 * expiration) behind the login check; OPTIONS (the server's capabilities) answers anyone, as the
 * protocol has it. Each method has its own route so that the OpenAPI document describes it; the
 * catch-all routes leave any other method to @tus/server.
 */
@ApiTags('tus')
@Controller('api/videos/tus')
@ApiCookieAuth(SESSION_COOKIE)
export class TusController {
  constructor(
    private readonly tus: TusUploads,
    private readonly videos: VideosService,
  ) {}

  /** Declared before the guarded routes below, which match OPTIONS too. */
  @Options()
  @ApiPublic()
  @ApiOperation({ summary: '断点续传能力 (tus discovery: what the server supports; no login needed)' })
  @ApiResponse({
    status: 204,
    description: 'The capabilities.',
    headers: {
      ...PROTOCOL,
      'Tus-Version': { description: '`1.0.0`', schema: STRING },
      'Tus-Extension': { description: 'creation,creation-with-upload,creation-defer-length,termination,expiration', schema: STRING },
      'Tus-Max-Size': { description: 'the upload size limit, bytes', schema: INTEGER },
    },
  })
  capabilities(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.tus.handle(request, response);
  }

  @Options(':uploadId')
  @ApiExcludeEndpoint()
  uploadCapabilities(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.tus.handle(request, response);
  }

  /** Declared before the GET below, which Express would otherwise also match for HEAD. */
  @Head(':uploadId')
  @UseGuards(TusLoginGuard)
  @UPLOAD_ID
  @TUS_RESUMABLE
  @ApiOperation({
    summary: '断点续传进度 (tus: how many bytes the server has, to resume from there)',
    description: 'A finished upload still answers for 24 h, with `Upload-Offset` = `Upload-Length`. A refusal has no body (HEAD).',
  })
  @ApiResponse({
    status: 200,
    description: 'The offset to resume from.',
    headers: {
      ...PROTOCOL,
      'Upload-Offset': { description: 'bytes received', schema: INTEGER },
      'Upload-Length': { description: 'the size of the file (absent while deferred)', schema: INTEGER },
      'Cache-Control': { description: '`no-store`', schema: STRING },
    },
  })
  @ApiResponse({ status: 401, description: 'No session.' })
  @ApiResponse({ status: 403, description: "Another account's upload." })
  @ApiResponse({ status: 404, description: 'No such upload (or it expired).' })
  offset(@Param('uploadId') uploadId: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    return this.tus.handle(request, response, uploadId);
  }

  @Get(':uploadId')
  @UseGuards(AuthenticatedGuard)
  @UPLOAD_ID
  @ApiOperation({
    summary: '断点续传结果 (the video a finished tus upload became)',
    description:
      'Resumable uploads speak tus 1.0 at /api/videos/tus (POST to create, PATCH to send, HEAD to resume). ' +
      'The final PATCH answers `{errno: 0, video}`; this GET answers the same for a client that lost it. ' +
      'For 24 h a finished upload still answers HEAD (Upload-Offset = Upload-Length) and a repeated final PATCH (the same video).',
  })
  @ApiErrnos(Success.Ok, [LoginRequired, VideoNotFound, NotVideoOwner, Errno.Internal], { video: VideoResponse })
  async result(@Param('uploadId') uploadId: string, @CurrentUser() user: SessionUser): Promise<Reply> {
    const { uid } = user;
    const videoId = await this.tus.result(uploadId, uid);
    if (!videoId) throw new ErrnoError(VideoNotFound);
    return new Reply(Success.Ok, { video: toVideoResponse(await this.videos.get(videoId), uid) });
  }

  @Post()
  @UseGuards(TusLoginGuard)
  @TUS_RESUMABLE
  @ApiHeader({
    name: 'Upload-Length',
    required: false,
    description: 'the size of the file, bytes (or `Upload-Defer-Length: 1`)',
    schema: INTEGER,
  })
  @ApiHeader({
    name: 'Upload-Defer-Length',
    required: false,
    description: '`1` when the size is not known yet',
    schema: { type: 'string', enum: ['1'] },
  })
  @ApiHeader({
    name: 'Upload-Metadata',
    required: false,
    description:
      'comma-separated `key base64(value)` pairs: `filename` (the default title), `filetype`, `title` (at most ' +
      `${TITLE_MAX} characters), \`description\` (at most ${DESCRIPTION_MAX}); longer answers 400 / 9000`,
    schema: STRING,
  })
  @ApiHeader({
    name: 'Upload-Offset',
    required: false,
    description: '`0`, with first bytes in the body (creation-with-upload)',
    schema: INTEGER,
  })
  @ApiConsumes('application/offset+octet-stream')
  @BYTES
  @ApiOperation({
    summary: '创建断点续传 (tus creation: start a resumable upload; the body may carry the first bytes)',
    description: 'Then PATCH the bytes to the `Location`; HEAD it to learn where to resume after a dropped connection.',
  })
  @ApiResponse({
    status: 201,
    description: 'Created.',
    headers: {
      ...PROTOCOL,
      Location: { description: '`/api/videos/tus/<uploadId>` (relative)', schema: STRING },
      'Upload-Offset': { description: 'bytes received with the creation', schema: INTEGER },
    },
  })
  @FINAL
  @ApiErrnoStatus(400, 'Missing or malformed tus headers, or a title or description too long.', [BadRequest])
  @NOT_LOGGED_IN
  @TOO_LARGE
  @REFUSED_CONTENT
  create(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.tus.handle(request, response);
  }

  @Patch(':uploadId')
  @UseGuards(TusLoginGuard)
  @UPLOAD_ID
  @TUS_RESUMABLE
  @ApiHeader({ name: 'Upload-Offset', required: true, description: 'where these bytes start (the offset HEAD answered)', schema: INTEGER })
  @ApiHeader({ name: 'Upload-Length', required: false, description: 'the size, once known (after `Upload-Defer-Length`)', schema: INTEGER })
  @ApiConsumes('application/offset+octet-stream')
  @BYTES
  @ApiOperation({ summary: '断点续传 (tus: send the next bytes; the last ones make the video)' })
  @ApiResponse({
    status: 204,
    description: 'Received; more to send.',
    headers: { ...PROTOCOL, 'Upload-Offset': { description: 'bytes received', schema: INTEGER } },
  })
  @FINAL
  @ApiErrnoStatus(400, 'Malformed tus headers.', [BadRequest])
  @NOT_LOGGED_IN
  @NOT_YOURS
  @UNKNOWN
  @ApiErrnoStatus(409, '`Upload-Offset` is not the offset the server has: HEAD, then resume from there.', [BadRequest])
  @TOO_LARGE
  @REFUSED_CONTENT
  send(@Param('uploadId') uploadId: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    return this.tus.handle(request, response, uploadId);
  }

  @Delete(':uploadId')
  @UseGuards(TusLoginGuard)
  @UPLOAD_ID
  @TUS_RESUMABLE
  @ApiOperation({ summary: '取消断点续传 (tus termination: drop an unfinished upload and its bytes)' })
  @ApiResponse({ status: 204, description: 'Removed.', headers: PROTOCOL })
  @ApiErrnoStatus(400, 'The upload is finished (its record keeps a retry from making a second video).', [BadRequest])
  @NOT_LOGGED_IN
  @NOT_YOURS
  @UNKNOWN
  terminate(@Param('uploadId') uploadId: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    return this.tus.handle(request, response, uploadId);
  }

  /** Any other method: @tus/server answers it (405 and the like). */
  @All()
  @UseGuards(TusLoginGuard)
  @ApiExcludeEndpoint()
  other(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.tus.handle(request, response);
  }

  @All(':uploadId')
  @UseGuards(TusLoginGuard)
  @ApiExcludeEndpoint()
  otherOnUpload(@Param('uploadId') uploadId: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    return this.tus.handle(request, response, uploadId);
  }
}
