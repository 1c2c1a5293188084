import { Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Errno, Success } from '../../common/errno.js';
import { sourceOf } from '../../common/http/source.js';
import { Reply } from '../../common/reply.js';
import { ApiErrnos, ApiPublic } from '../../common/swagger.js';
import { CurrentUser } from '../../session/current-user.decorator.js';
import type { SessionUser } from '../../session/session-user.js';
import { SESSION_COOKIE } from '../../session/session.module.js';
import { VideosService } from '../videos.service.js';
import { ViewCounter } from './view-counter.js';

@ApiTags('videos')
@Controller('api/videos')
export class ViewsController {
  constructor(
    private readonly videos: VideosService,
    private readonly counter: ViewCounter,
  ) {}

  @Post(':id/view')
  @HttpCode(200)
  @ApiParam({ name: 'id', description: '视频 id (video id)', schema: { type: 'string', pattern: '^[0-9a-f]{20}$' } })
  @ApiPublic()
  @ApiCookieAuth(SESSION_COOKIE)
  @ApiOperation({
    summary: '播放计数 (counts a view when playback starts: once per viewer and video per 6 hours)',
    description:
      'The viewer is the logged-in account, else the client address (IPv6 per /64). `views` includes views not yet written to ' +
      'the database, so it may be ahead of `video.views` by up to one flush interval (`VIEWS_FLUSH_MS`).',
  })
  @ApiErrnos(Success.Ok, [Errno.VideoNotFound, Errno.Internal], { views: { type: 'integer', minimum: 0, example: 42 } })
  async view(@Param('id') id: string, @CurrentUser() user: SessionUser | undefined, @Req() request: Request): Promise<Reply> {
    const video = await this.videos.view(id, user);
    const viewer = user ? `u:${user.uid}` : `ip:${sourceOf(request)}`;
    const pending = await this.counter.count(video.id, viewer);
    return new Reply(Success.Ok, { views: video.views + pending });
  }
}
