import { Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCookieAuth, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Errno, Success } from '../common/errno.js';
import { ErrnoError } from '../common/errno.error.js';
import { Reply } from '../common/reply.js';
import { ApiErrnos, type SchemaObject } from '../common/swagger.js';
import { IMMUTABLE, serveObject, withStatus } from '../common/http/byte-response.js';
import { StorageService } from '../infra/storage/storage.service.js';
import { AuthenticatedGuard } from '../session/authenticated.guard.js';
import { CurrentUser } from '../session/current-user.decorator.js';
import type { SessionUser } from '../session/session-user.js';
import { SESSION_COOKIE } from '../session/session.module.js';
import { ListVideosDto } from './dto/list-videos.dto.js';
import { UPLOAD_FIELD, VideoUploadInterceptor, type ReceivedUpload } from './video-upload.interceptor.js';
import { DESCRIPTION_MAX, PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX, TITLE_MAX } from './video.rules.js';
import { videoView, VideosService } from './videos.service.js';

const { BadRequest, Internal, LoginRequired, VideoNotFound } = Errno;

const VIDEO_SCHEMA: SchemaObject = {
  type: 'object',
  properties: {
    id: { type: 'string', example: '9f1c2e7a4b5d6c8e0a1b' },
    uid: { type: 'integer', example: 4821930571 },
    title: { type: 'string' },
    description: { type: 'string' },
    size: { type: 'integer' },
    mime: { type: 'string', example: 'video/mp4' },
    sha256: { type: 'string' },
    duration: { type: 'number', nullable: true, description: 'seconds' },
    width: { type: 'integer', nullable: true },
    height: { type: 'integer', nullable: true },
    codec: { type: 'string', nullable: true, example: 'h264' },
    status: { type: 'string', enum: ['processing', 'ready', 'failed'] },
    created_at: { type: 'string', format: 'date-time' },
    stream_url: { type: 'string', example: '/api/videos/9f1c2e7a4b5d6c8e0a1b/stream' },
    cover_url: { type: 'string', nullable: true, example: '/api/videos/9f1c2e7a4b5d6c8e0a1b/cover' },
    playback: {
      type: 'object',
      nullable: true,
      description: 'Web-safe renditions, once processing made them: an HLS ladder and a single H.264/AAC MP4 (faststart).',
      properties: {
        hls_url: { type: 'string', example: '/api/videos/9f1c2e7a4b5d6c8e0a1b/renditions/3fa9c1d2e4b6/hls/master.m3u8' },
        mp4_url: { type: 'string', example: '/api/videos/9f1c2e7a4b5d6c8e0a1b/renditions/3fa9c1d2e4b6/video.mp4' },
      },
    },
    processing: {
      type: 'object',
      nullable: true,
      description: 'While status is processing: the stage and how far the whole run is.',
      properties: {
        stage: { type: 'string', enum: ['queued', 'probe', 'transcode', 'package', 'cover'] },
        percent: { type: 'integer', minimum: 0, maximum: 100 },
      },
    },
    failure: { type: 'string', nullable: true, description: 'Owner only: why processing failed, in a few words.' },
  },
};

/** The files of a rendition set, and what they are. */
const RENDITION_FILE = /^(video\.mp4|hls\/master\.m3u8|hls\/\d{2,4}p\/(index\.m3u8|init\.mp4|seg_\d{5}\.m4s))$/;
const RENDITION_TYPES: Record<string, string> = {
  mp4: 'video/mp4',
  m3u8: 'application/vnd.apple.mpegurl',
  m4s: 'video/iso.segment',
};

const ID_PARAM = ApiParam({ name: 'id', description: '视频 id (video id)' });

@ApiTags('videos')
@Controller('api/videos')
export class VideosController {
  constructor(
    private readonly videos: VideosService,
    private readonly storage: StorageService,
  ) {}

  @Post('video_upload')
  @HttpCode(200)
  @UseGuards(AuthenticatedGuard)
  @UseInterceptors(VideoUploadInterceptor)
  @ApiCookieAuth(SESSION_COOKIE)
  @ApiOperation({
    summary: '上传视频 (upload a video: MP4/MOV, WebM/MKV, AVI, FLV or MPEG-TS, judged by content)',
    description: 'Streamed to storage; refused as soon as the first bytes are not a video (2002) or the size limit is crossed (2003).',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: [UPLOAD_FIELD],
      properties: {
        [UPLOAD_FIELD]: { type: 'string', format: 'binary', description: '视频文件 (the video file)' },
        title: { type: 'string', maxLength: TITLE_MAX, description: `标题，最多 ${TITLE_MAX} 字；默认为文件名 (default: the file name)` },
        description: { type: 'string', maxLength: DESCRIPTION_MAX, description: `简介，最多 ${DESCRIPTION_MAX} 字` },
      },
    },
  })
  @ApiErrnos(Success.Uploaded, [LoginRequired, BadRequest, Errno.UnsupportedVideo, Errno.VideoTooLarge, Errno.NoVideoFile, Internal], {
    video: VIDEO_SCHEMA,
  })
  async upload(@Req() request: Request & { upload: ReceivedUpload }, @CurrentUser() user: SessionUser): Promise<Reply> {
    const { uid } = user;
    const video = await this.videos.create(uid, request.upload);
    return new Reply(Success.Uploaded, { video: videoView(video, uid) });
  }

  @Get()
  @ApiOperation({ summary: "视频列表 (a space's videos, newest first)" })
  @ApiErrnos(Success.Ok, [LoginRequired, BadRequest, Internal], {
    total: { type: 'integer' },
    page: { type: 'integer' },
    page_size: { type: 'integer' },
    videos: { type: 'array', items: VIDEO_SCHEMA },
  })
  async list(@Query() query: ListVideosDto, @CurrentUser() user: SessionUser | undefined): Promise<Reply> {
    const viewer = user?.uid;
    const uid = query.uid ? Number(query.uid) : viewer;
    if (uid === undefined) throw new ErrnoError(LoginRequired);
    const page = Number(query.page ?? 1);
    const pageSize = Math.min(Number(query.page_size ?? PAGE_SIZE_DEFAULT), PAGE_SIZE_MAX);
    const { total, videos } = await this.videos.list(uid, page, pageSize);
    return new Reply(Success.Ok, { total, page, page_size: pageSize, videos: videos.map((video) => videoView(video, viewer)) });
  }

  @Get(':id')
  @ID_PARAM
  @ApiOperation({ summary: '视频详情 (one video)' })
  @ApiErrnos(Success.Ok, [VideoNotFound, Internal], { video: VIDEO_SCHEMA })
  async detail(@Param('id') id: string, @CurrentUser() user: SessionUser | undefined): Promise<Reply> {
    return new Reply(Success.Ok, { video: videoView(await this.videos.get(id), user?.uid) });
  }

  @Get(':id/stream')
  @ID_PARAM
  @ApiOperation({
    summary: '播放 (the video bytes; Range requests give 206, an unsatisfiable range 416)',
    description: 'Errors are JSON: 404 with 2004, 416 with 9000 and `Content-Range: bytes */SIZE`.',
  })
  @ApiProduces('video/*', 'application/json')
  @ApiErrnos(Success.Ok, [VideoNotFound, BadRequest, Internal])
  async stream(@Param('id') id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const video = await withStatus(this.videos.get(id), 404);
    await serveObject(request, response, this.storage, video.storageKey, video.mime);
  }

  @Get(':id/renditions/:attempt/{*file}')
  @ID_PARAM
  @ApiParam({ name: 'attempt', description: 'the rendition set (from `playback`)' })
  @ApiParam({ name: 'file', description: '`video.mp4`, `hls/master.m3u8`, or a rung playlist, init or segment under `hls/`' })
  @ApiOperation({
    summary: '播放版本 (renditions: the web MP4 and the HLS ladder; Range and conditional requests as for stream)',
    description: 'A rendition set never changes under its URL (a new processing run has new URLs): cached for a year, immutable.',
  })
  @ApiProduces('video/mp4', 'application/vnd.apple.mpegurl', 'video/iso.segment', 'application/json')
  @ApiErrnos(Success.Ok, [VideoNotFound, BadRequest, Internal])
  async rendition(
    @Param('id') id: string,
    @Param('attempt') attempt: string,
    @Param('file') file: string | string[],
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const path = Array.isArray(file) ? file.join('/') : file;
    const video = await withStatus(this.videos.get(id), 404);
    // Only the row's current set, and only files a set holds: no other key is reachable from here.
    if (!video.renditionKey || video.renditionKey !== `renditions/${video.id}/${attempt}` || !RENDITION_FILE.test(path)) {
      throw new ErrnoError(VideoNotFound, 404);
    }
    const type = RENDITION_TYPES[path.slice(path.lastIndexOf('.') + 1)];
    await serveObject(request, response, this.storage, `${video.renditionKey}/${path}`, type, IMMUTABLE);
  }

  @Post(':id/reprocess')
  @HttpCode(200)
  @ID_PARAM
  @UseGuards(AuthenticatedGuard)
  @ApiCookieAuth(SESSION_COOKIE)
  @ApiOperation({
    summary: '重新处理 (owner only: run processing again; 2008 when the original holds no video to decode)',
    description: 'Answers the video in status processing. The current renditions keep playing until the new ones replace them.',
  })
  @ApiErrnos(Success.Ok, [LoginRequired, VideoNotFound, Errno.NotVideoOwner, Errno.CannotProcess, Internal], { video: VIDEO_SCHEMA })
  async reprocess(@Param('id') id: string, @CurrentUser() user: SessionUser): Promise<Reply> {
    const { uid } = user;
    return new Reply(Success.Ok, { video: videoView(await this.videos.reprocess(uid, id), uid) });
  }

  @Get(':id/cover')
  @ID_PARAM
  @ApiOperation({ summary: '封面 (a JPEG frame from about 1 s in, once processing made it)' })
  @ApiProduces('image/jpeg', 'application/json')
  @ApiErrnos(Success.Ok, [VideoNotFound, Errno.CoverNotReady, Internal])
  async cover(@Param('id') id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const video = await withStatus(this.videos.get(id), 404);
    if (!video.coverKey) throw new ErrnoError(Errno.CoverNotReady, 404);
    await serveObject(request, response, this.storage, video.coverKey, 'image/jpeg');
  }

  @Delete(':id')
  @ID_PARAM
  @UseGuards(AuthenticatedGuard)
  @ApiCookieAuth(SESSION_COOKIE)
  @ApiOperation({ summary: '删除视频 (owner only; the row and every stored byte go)' })
  @ApiErrnos(Success.Deleted, [LoginRequired, VideoNotFound, Errno.NotVideoOwner, Internal])
  async delete(@Param('id') id: string, @CurrentUser() user: SessionUser): Promise<Reply> {
    await this.videos.delete(user.uid, id);
    return new Reply(Success.Deleted);
  }
}
