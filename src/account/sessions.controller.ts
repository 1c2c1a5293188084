import { Controller, Delete, Get, HttpCode, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiParam, ApiProperty, ApiSchema, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Errno, Success } from '../common/errno.js';
import { ErrnoError } from '../common/errno.error.js';
import { Reply } from '../common/reply.js';
import { ApiErrnos } from '../common/swagger.js';
import { AuthenticatedGuard } from '../session/authenticated.guard.js';
import { CurrentUser } from '../session/current-user.decorator.js';
import { publicSessionId, SessionDirectory, type SessionView } from '../session/session-directory.js';
import type { SessionUser } from '../session/session-user.js';
import { SESSION_COOKIE } from '../session/session.module.js';

@ApiSchema({ name: 'Session', description: 'One login of the account: where and when it was last seen.' })
export class SessionResponse implements SessionView {
  @ApiProperty({ example: 'Jq3h0cW6b2yq1m2nZx8R1w', description: 'a digest of the session key (never the key)' })
  id!: string;

  @ApiProperty({ description: 'whether this is the session of the request' })
  current!: boolean;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  created_at!: string | null;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, description: 'moved at most once a minute' })
  last_seen_at!: string | null;

  @ApiProperty({ type: 'string', nullable: true, example: '203.0.113.7' })
  ip!: string | null;

  @ApiProperty({ type: 'string', nullable: true, example: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X)' })
  user_agent!: string | null;
}

const SESSION_ID = ApiParam({ name: 'id', description: 'the `id` of a session in the list', schema: { type: 'string' } });
const { LoginRequired, BadRequest, Internal } = Errno;

/** Where the account is logged in: list, end one, end all others. */
@ApiTags('account')
@ApiCookieAuth(SESSION_COOKIE)
@UseGuards(AuthenticatedGuard)
@Controller('api/account/sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionDirectory) {}

  @Get()
  @ApiOperation({ summary: '登录设备 (the sessions of the account, most recently seen first)' })
  @ApiErrnos(Success.Ok, [LoginRequired, Internal], { sessions: [SessionResponse] })
  async list(@CurrentUser() viewer: SessionUser, @Req() request: Request): Promise<Reply> {
    return new Reply(Success.Ok, { sessions: await this.sessions.list(viewer.uid, request.sessionID) });
  }

  @Post('revoke_others')
  @HttpCode(200)
  @ApiOperation({ summary: '退出其他设备 (end every session but this one)' })
  @ApiErrnos(Success.Ok, [LoginRequired, Internal], { ended: { type: 'integer', example: 2 } })
  async revokeOthers(@CurrentUser() viewer: SessionUser, @Req() request: Request): Promise<Reply> {
    return new Reply(Success.Ok, { ended: await this.sessions.endAll(viewer.uid, request.sessionID) });
  }

  @Delete(':id')
  @SESSION_ID
  @ApiOperation({ summary: '结束会话 (end one of the account’s sessions; an id that is not one of them: 9000)' })
  @ApiErrnos(Success.Ok, [LoginRequired, BadRequest, Internal])
  end(
    @Param('id') id: string,
    @CurrentUser() viewer: SessionUser,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Reply> {
    return this.endOne(id, viewer, request, response);
  }

  @Post(':id/delete')
  @HttpCode(200)
  @SESSION_ID
  @ApiOperation({ summary: '结束会话 (the same for form clients)' })
  @ApiErrnos(Success.Ok, [LoginRequired, BadRequest, Internal])
  endByPost(
    @Param('id') id: string,
    @CurrentUser() viewer: SessionUser,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Reply> {
    return this.endOne(id, viewer, request, response);
  }

  private async endOne(id: string, viewer: SessionUser, request: Request, response: Response): Promise<Reply> {
    if (!(await this.sessions.end(viewer.uid, id))) throw new ErrnoError(Errno.BadRequest);
    // Its own session: a logout (express-session would otherwise write it back at the end of this request).
    if (publicSessionId(request.sessionID) === id) {
      await new Promise<void>((resolve, reject) => request.session.destroy((error?: Error) => (error ? reject(error) : resolve())));
      response.clearCookie(SESSION_COOKIE, { path: '/' });
    }
    return new Reply(Success.Ok);
  }
}
