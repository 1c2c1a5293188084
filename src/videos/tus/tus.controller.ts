import { All, Controller, Get, Head, Options, Param, Req, Res, UseGuards } from '@nestjs/common';
import { ApiCookieAuth, ApiExcludeEndpoint, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Errno, Success } from '../../common/errno.js';
import { ErrnoError } from '../../common/errno.error.js';
import { Reply } from '../../common/reply.js';
import { ApiErrnos } from '../../common/swagger.js';
import { AuthenticatedGuard } from '../../session/authenticated.guard.js';
import { CurrentUser } from '../../session/current-user.decorator.js';
import type { SessionUser } from '../../session/session-user.js';
import { SESSION_COOKIE } from '../../session/session.module.js';
import { videoView, VideosService } from '../videos.service.js';
import { TusUploads } from './tus-uploads.js';

/**
 * The tus protocol (creation, HEAD, PATCH, termination) behind the login check; OPTIONS (the
 * server's capabilities) answers anyone, as the protocol has it.
 */
@ApiTags('videos')
@Controller('api/videos/tus')
@ApiCookieAuth(SESSION_COOKIE)
export class TusController {
  constructor(
    private readonly tus: TusUploads,
    private readonly videos: VideosService,
  ) {}

  /** Declared before the guarded routes below, which match OPTIONS too. */
  @Options(['', ':uploadId'])
  @ApiExcludeEndpoint()
  capabilities(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.tus.handle(request, response);
  }

  /** Declared before the GET below, which Express would otherwise also match for HEAD. */
  @Head(':uploadId')
  @UseGuards(AuthenticatedGuard)
  @ApiExcludeEndpoint()
  offset(@Param('uploadId') uploadId: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    return this.tus.handle(request, response, uploadId);
  }

  @Get(':uploadId')
  @UseGuards(AuthenticatedGuard)
  @ApiOperation({
    summary: '断点续传结果 (the video a finished tus upload became)',
    description:
      'Resumable uploads speak tus 1.0 at /api/videos/tus (POST to create, PATCH to send, HEAD to resume). ' +
      'The final PATCH answers `{errno: 0, video}`; this GET answers the same for a client that lost it. ' +
      'For 24 h a finished upload still answers HEAD (Upload-Offset = Upload-Length) and a repeated final PATCH (the same video).',
  })
  @ApiErrnos(Success.Ok, [Errno.LoginRequired, Errno.VideoNotFound, Errno.NotVideoOwner, Errno.Internal])
  async result(@Param('uploadId') uploadId: string, @CurrentUser() user: SessionUser): Promise<Reply> {
    const { uid } = user;
    const videoId = await this.tus.result(uploadId, uid);
    if (!videoId) throw new ErrnoError(Errno.VideoNotFound);
    return new Reply(Success.Ok, { video: videoView(await this.videos.get(videoId), uid) });
  }

  @All()
  @UseGuards(AuthenticatedGuard)
  @ApiExcludeEndpoint()
  create(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.tus.handle(request, response);
  }

  @All(':uploadId')
  @UseGuards(AuthenticatedGuard)
  @ApiExcludeEndpoint()
  transfer(@Param('uploadId') uploadId: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    return this.tus.handle(request, response, uploadId);
  }
}
