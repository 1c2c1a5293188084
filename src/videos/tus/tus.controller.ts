import { All, Controller, Get, Head, Param, Req, Res, UseGuards } from '@nestjs/common';
import { ApiCookieAuth, ApiExcludeEndpoint, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuthenticatedGuard } from '../../account/authenticated.guard.js';
import { Errno, Success } from '../../common/errno.js';
import { ErrnoError } from '../../common/errno.error.js';
import { Reply } from '../../common/reply.js';
import { ApiErrnos } from '../../common/swagger.js';
import { SESSION_COOKIE } from '../../session/session.module.js';
import { videoView, VideosService } from '../videos.service.js';
import { TusUploads } from './tus-uploads.js';

/**
 * express-session wraps `res.end` as `(chunk, encoding)`; srvx (under @tus/server) calls
 * `res.end(callback)`. Hand the callback to the response's own events instead.
 */
function acceptEndCallback(response: Response): Response {
  const end = response.end.bind(response) as (...args: unknown[]) => Response;
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
  }) as Response['end'];
  return response;
}

/** The tus protocol (creation, HEAD, PATCH, termination) behind the login check. */
@ApiTags('videos')
@Controller('api/videos/tus')
@UseGuards(AuthenticatedGuard)
@ApiCookieAuth(SESSION_COOKIE)
export class TusController {
  constructor(
    private readonly tus: TusUploads,
    private readonly videos: VideosService,
  ) {}

  /** Declared before the GET below, which Express would otherwise also match for HEAD. */
  @Head(':uploadId')
  @ApiExcludeEndpoint()
  offset(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.tus.server.handle(request, acceptEndCallback(response));
  }

  @Get(':uploadId')
  @ApiOperation({
    summary: '断点续传结果 (the video a finished tus upload became)',
    description:
      'Resumable uploads speak tus 1.0 at /api/videos/tus (POST to create, PATCH to send, HEAD to resume). ' +
      'The final PATCH answers `{errno: 0, video}`; this GET answers the same for a client that lost it.',
  })
  @ApiErrnos(Success.Ok, [Errno.LoginRequired, Errno.VideoNotFound, Errno.Internal])
  async result(@Param('uploadId') uploadId: string): Promise<Reply> {
    const videoId = await this.tus.result(uploadId);
    if (!videoId) throw new ErrnoError(Errno.VideoNotFound);
    return new Reply(Success.Ok, { video: videoView(await this.videos.get(videoId)) });
  }

  @All()
  @ApiExcludeEndpoint()
  create(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.tus.server.handle(request, acceptEndCallback(response));
  }

  @All(':uploadId')
  @ApiExcludeEndpoint()
  transfer(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.tus.server.handle(request, acceptEndCallback(response));
  }
}
