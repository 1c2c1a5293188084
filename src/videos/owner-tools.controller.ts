import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCookieAuth, ApiOperation, ApiParam, ApiPropertyOptional, ApiQuery, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import type { Request } from 'express';
import { Errno, Success } from '../common/errno.js';
import { ErrnoError } from '../common/errno.error.js';
import { IMAGE_MAX_BYTES, readImageUpload } from '../common/http/image-upload.js';
import { Reply } from '../common/reply.js';
import { ApiErrnos } from '../common/swagger.js';
import { AuthenticatedGuard } from '../session/authenticated.guard.js';
import { CurrentUser } from '../session/current-user.decorator.js';
import type { SessionUser } from '../session/session-user.js';
import { SESSION_COOKIE } from '../session/session.module.js';
import { VideoCovers } from './video-covers.js';
import { VideoRepository } from './video.repository.js';
import { toVideoResponse, VideoResponse } from './video.response.js';

export const COVER_FIELD = 'cover';
const SHA256 = /^[0-9a-f]{64}$/;
const { LoginRequired, BadRequest, Internal, VideoNotFound } = Errno;

export class CoverAtDto {
  @ApiPropertyOptional({ example: '12.5', description: '秒 (the second of the video whose frame becomes the cover)' })
  @IsOptional()
  @IsString()
  at?: string;
}

/** What an owner does with their own videos besides uploading: choose a cover, ask about duplicates. */
@ApiTags('videos')
@ApiCookieAuth(SESSION_COOKIE)
@UseGuards(AuthenticatedGuard)
@Controller('api/videos')
export class OwnerToolsController {
  constructor(
    private readonly covers: VideoCovers,
    private readonly videos: VideoRepository,
  ) {}

  @Get('duplicates')
  @ApiQuery({
    name: 'sha256',
    description: 'the file’s SHA-256, 64 lower-case hex digits',
    schema: { type: 'string', pattern: '^[0-9a-f]{64}$' },
  })
  @ApiOperation({ summary: '重复检查 (the caller’s own videos with exactly these bytes, before uploading them again)' })
  @ApiErrnos(Success.Ok, [LoginRequired, BadRequest, Internal], { videos: [VideoResponse] })
  async duplicates(@Query('sha256') sha256: unknown, @CurrentUser() user: SessionUser): Promise<Reply> {
    if (typeof sha256 !== 'string' || !SHA256.test(sha256)) throw new ErrnoError(BadRequest);
    const found = await this.videos.findByHash(user.uid, sha256);
    return new Reply(Success.Ok, { videos: found.map((video) => toVideoResponse(video, user.uid)) });
  }

  @Post(':id/cover')
  @HttpCode(200)
  @ApiParam({ name: 'id', schema: { type: 'string', pattern: '^[0-9a-f]{20}$' } })
  @ApiOperation({
    summary: '设置封面 (the frame at `at` seconds, or an uploaded image; owner or an admin)',
    description:
      '`at` as a form/JSON/query parameter, or multipart with the image in `cover` (JPEG, PNG or WebP by content, ≤ 5 MiB, re-encoded). ' +
      '2006 while the video has no renditions; 9000 for a second outside the video. The new cover has a new `cover_url`.',
  })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json', 'multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      properties: {
        at: { type: 'string', example: '12.5', description: 'seconds into the video' },
        [COVER_FIELD]: { type: 'string', format: 'binary', description: `an image (≤ ${IMAGE_MAX_BYTES} bytes) instead of \`at\`` },
      },
    },
  })
  @ApiErrnos(
    Success.Ok,
    [
      LoginRequired,
      VideoNotFound,
      Errno.NotVideoOwner,
      Errno.CoverNotReady,
      Errno.UnsupportedImage,
      Errno.ImageTooLarge,
      BadRequest,
      Internal,
    ],
    { video: VideoResponse },
  )
  async cover(
    @Param('id') id: string,
    @Body() params: CoverAtDto,
    @Req() request: Request,
    @CurrentUser() user: SessionUser,
  ): Promise<Reply> {
    const choice = request.is('multipart/form-data')
      ? { image: await readImageUpload(request, COVER_FIELD) }
      : params.at !== undefined
        ? { at: params.at }
        : undefined;
    if (!choice) throw new ErrnoError(BadRequest);
    return new Reply(Success.Ok, { video: toVideoResponse(await this.covers.set(user, id, choice), user.uid) });
  }
}
