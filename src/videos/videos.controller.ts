import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req, Res, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCookieAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Errno, Success } from '../common/errno.js';
import { ErrnoError } from '../common/errno.error.js';
import { Reply } from '../common/reply.js';
import { ApiBytes, ApiErrnos, ApiFormBody, ApiPublic } from '../common/swagger.js';
import { IMMUTABLE, REVALIDATE, serveObject, withStatus } from '../common/http/byte-response.js';
import { StorageService } from '../infra/storage/storage.service.js';
import { AuthenticatedGuard } from '../session/authenticated.guard.js';
import { CurrentUser } from '../session/current-user.decorator.js';
import type { SessionUser } from '../session/session-user.js';
import { SESSION_COOKIE } from '../session/session.module.js';
import { EditVideoDto } from './dto/edit-video.dto.js';
import { ListVideosDto } from './dto/list-videos.dto.js';
import type { Video } from './video.entity.js';
import { VideoResponse } from './video.response.js';
import { UPLOAD_FIELD, VideoUploadInterceptor, type ReceivedUpload } from './video-upload.interceptor.js';
import { DESCRIPTION_MAX, PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX, TITLE_MAX } from './video.rules.js';
import { toVideoResponse } from './video.response.js';
import { VideosService } from './videos.service.js';
import { decodeCursor, encodeCursor, searchWords } from './video-list.js';

const { BadRequest, Internal, LoginRequired, VideoNotFound } = Errno;

/** The files of a rendition set, and what they are. */
const RENDITION_FILE = /^(video\.mp4|hls\/master\.m3u8|hls\/\d{2,4}p\/(index\.m3u8|init\.mp4|seg_\d{5}\.m4s))$/;
const RENDITION_TYPES: Record<string, string> = {
  mp4: 'video/mp4',
  m3u8: 'application/vnd.apple.mpegurl',
  m4s: 'video/iso.segment',
};

/** Bytes of a video that is not public must not sit in a shared cache (a proxy would hand them to anyone). */
function cacheFor(video: Pick<Video, 'visibility'>, publicPolicy: string): string {
  return video.visibility === 'public' ? publicPolicy : publicPolicy.replace(/^public\b/, 'private');
}

const ID_PARAM = ApiParam({
  name: 'id',
  description: '视频 id (video id: 20 lower-case hex digits; anything else answers 2004)',
  schema: { type: 'string', pattern: '^[0-9a-f]{20}$', example: '9f1c2e7a4b5d6c8e0a1b' },
});

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
    description:
      'Streamed to storage; refused as soon as the first bytes are not a video (2002), the size limit is crossed (2003) or the ' +
      "owner's free storage is (2007; before the body when Content-Length already shows it).",
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
  @ApiErrnos(
    Success.Uploaded,
    [LoginRequired, BadRequest, Errno.UnsupportedVideo, Errno.VideoTooLarge, Errno.StorageFull, Errno.NoVideoFile, Internal],
    {
      video: VideoResponse,
    },
  )
  async upload(@Req() request: Request & { upload: ReceivedUpload }, @CurrentUser() user: SessionUser): Promise<Reply> {
    const { uid } = user;
    const video = await this.videos.create(uid, request.upload);
    return new Reply(Success.Uploaded, { video: toVideoResponse(video, uid) });
  }

  @Get()
  @ApiPublic()
  @ApiCookieAuth(SESSION_COOKIE)
  @ApiOperation({
    summary: "视频列表 (a space's videos, sorted and searched; without `uid` your own, which needs a login)",
    description:
      'Paged by `page` (offset) or, stable while videos are added, by `after` (the `next` of the previous answer; `after` wins ' +
      'over `page`, and the answer then has `page` 0). `total` counts every video that matches, whatever the page.',
  })
  @ApiErrnos(Success.Ok, [LoginRequired, BadRequest, Internal], {
    total: { type: 'integer' },
    page: { type: 'integer', description: 'the page answered; 0 when `after` was given' },
    page_size: { type: 'integer' },
    next: { type: 'string', nullable: true, description: 'pass as `after` for the next page; null on the last page' },
    videos: [VideoResponse],
  })
  async list(@Query() query: ListVideosDto, @CurrentUser() user: SessionUser | undefined): Promise<Reply> {
    const viewer = user?.uid;
    const uid = query.uid ? Number(query.uid) : viewer;
    if (uid === undefined) throw new ErrnoError(LoginRequired);
    const sort = query.sort ?? 'new';
    const after = query.after === undefined ? null : decodeCursor(query.after, sort);
    const page = after ? 0 : Number(query.page ?? 1);
    const pageSize = Math.min(Number(query.page_size ?? PAGE_SIZE_DEFAULT), PAGE_SIZE_MAX);
    const { total, videos, next } = await this.videos.list(uid, user, { sort, words: searchWords(query.q), page, pageSize, after });
    return new Reply(Success.Ok, {
      total,
      page,
      page_size: pageSize,
      next: next && encodeCursor(next),
      videos: videos.map((video) => toVideoResponse(video, viewer)),
    });
  }

  @Get(':id')
  @ID_PARAM
  @ApiPublic()
  @ApiCookieAuth(SESSION_COOKIE)
  @ApiOperation({ summary: '视频详情 (one video; its owner also gets `failure`)' })
  @ApiErrnos(Success.Ok, [VideoNotFound, Internal], { video: VideoResponse })
  async detail(@Param('id') id: string, @CurrentUser() user: SessionUser | undefined): Promise<Reply> {
    return new Reply(Success.Ok, { video: toVideoResponse(await this.videos.view(id, user), user?.uid) });
  }

  @Patch(':id')
  @ID_PARAM
  @UseGuards(AuthenticatedGuard)
  @ApiCookieAuth(SESSION_COOKIE)
  @ApiOperation({ summary: '编辑视频 (title, description, visibility; each optional; owner or an admin)' })
  @ApiFormBody(EditVideoDto)
  @ApiErrnos(Success.Ok, [LoginRequired, VideoNotFound, Errno.NotVideoOwner, BadRequest, Internal], { video: VideoResponse })
  async edit(@Param('id') id: string, @Body() change: EditVideoDto, @CurrentUser() user: SessionUser): Promise<Reply> {
    return new Reply(Success.Ok, { video: toVideoResponse(await this.videos.edit(user, id, change), user.uid) });
  }

  @Post(':id/edit')
  @HttpCode(200)
  @ID_PARAM
  @UseGuards(AuthenticatedGuard)
  @ApiCookieAuth(SESSION_COOKIE)
  @ApiOperation({ summary: '编辑视频 (the same as PATCH, for form clients)' })
  @ApiFormBody(EditVideoDto)
  @ApiErrnos(Success.Ok, [LoginRequired, VideoNotFound, Errno.NotVideoOwner, BadRequest, Internal], { video: VideoResponse })
  editByPost(@Param('id') id: string, @Body() change: EditVideoDto, @CurrentUser() user: SessionUser): Promise<Reply> {
    return this.edit(id, change, user);
  }

  @Get(':id/stream')
  @ID_PARAM
  @ApiPublic()
  @ApiOperation({
    summary: '播放 (the original bytes, as uploaded; Range requests give 206, an unsatisfiable range 416)',
    description:
      'GET and HEAD. The type is the one judged at upload: `video/mp4`, `video/quicktime`, `video/webm`, `video/x-matroska`, ' +
      '`video/x-msvideo`, `video/x-flv` or `video/mp2t`. Errors are JSON: 404 with 2004, 416 with 9000 and `Content-Range: bytes */SIZE`.',
  })
  @ApiBytes(['video/*'], [VideoNotFound])
  async stream(
    @Param('id') id: string,
    @CurrentUser() user: SessionUser | undefined,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const video = await withStatus(this.videos.view(id, user), 404);
    await serveObject(request, response, this.storage, video.storageKey, video.mime, cacheFor(video, REVALIDATE));
  }

  @Get(':id/renditions/:attempt/{*file}')
  @ID_PARAM
  @ApiParam({ name: 'attempt', description: 'the rendition set (from `playback`)', schema: { type: 'string', pattern: '^[0-9a-f]+$' } })
  @ApiParam({
    name: 'file',
    description:
      '`video.mp4`, `hls/master.m3u8`, `hls/<N>p/index.m3u8`, `hls/<N>p/init.mp4` or `hls/<N>p/seg_<5 digits>.m4s` (slashes not encoded)',
    schema: { type: 'string', example: 'hls/master.m3u8' },
  })
  @ApiPublic()
  @ApiOperation({
    summary: '播放版本 (renditions: the web MP4 and the HLS ladder; Range and conditional requests as for stream)',
    description:
      'GET and HEAD. Only the current set answers; another attempt or file is 404 / 2004. Types: `video/mp4` (video.mp4, init.mp4), ' +
      '`application/vnd.apple.mpegurl` (playlists), `video/iso.segment` (segments). ' +
      'A rendition set never changes under its URL (a new processing run has new URLs): cached for a year, immutable.',
  })
  @ApiBytes(['video/mp4', 'application/vnd.apple.mpegurl', 'video/iso.segment'], [VideoNotFound])
  async rendition(
    @Param('id') id: string,
    @Param('attempt') attempt: string,
    @Param('file') file: string | string[],
    @CurrentUser() user: SessionUser | undefined,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const path = Array.isArray(file) ? file.join('/') : file;
    const video = await withStatus(this.videos.view(id, user), 404);
    // Only the row's current set, and only files a set holds: no other key is reachable from here.
    if (!video.renditionKey || video.renditionKey !== `renditions/${video.id}/${attempt}` || !RENDITION_FILE.test(path)) {
      throw new ErrnoError(VideoNotFound, 404);
    }
    const type = RENDITION_TYPES[path.slice(path.lastIndexOf('.') + 1)];
    await serveObject(request, response, this.storage, `${video.renditionKey}/${path}`, type, cacheFor(video, IMMUTABLE));
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
  @ApiErrnos(Success.Ok, [LoginRequired, VideoNotFound, Errno.NotVideoOwner, Errno.CannotProcess, Internal], { video: VideoResponse })
  async reprocess(@Param('id') id: string, @CurrentUser() user: SessionUser): Promise<Reply> {
    return new Reply(Success.Ok, { video: toVideoResponse(await this.videos.reprocess(user, id), user.uid) });
  }

  @Get(':id/cover')
  @ID_PARAM
  @ApiPublic()
  @ApiOperation({ summary: '封面 (a JPEG frame from about 1 s in, once processing made it; GET and HEAD)' })
  @ApiBytes(['image/jpeg'], [VideoNotFound, Errno.CoverNotReady])
  async cover(
    @Param('id') id: string,
    @CurrentUser() user: SessionUser | undefined,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const video = await withStatus(this.videos.view(id, user), 404);
    if (!video.coverKey) throw new ErrnoError(Errno.CoverNotReady, 404);
    await serveObject(request, response, this.storage, video.coverKey, 'image/jpeg', cacheFor(video, REVALIDATE));
  }

  @Delete(':id')
  @ID_PARAM
  @UseGuards(AuthenticatedGuard)
  @ApiCookieAuth(SESSION_COOKIE)
  @ApiOperation({ summary: '删除视频 (owner or an admin; the row and every stored byte go)' })
  @ApiErrnos(Success.Deleted, [LoginRequired, VideoNotFound, Errno.NotVideoOwner, Internal])
  async delete(@Param('id') id: string, @CurrentUser() user: SessionUser): Promise<Reply> {
    await this.videos.delete(user, id);
    return new Reply(Success.Deleted);
  }
}
