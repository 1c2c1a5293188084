import { Body, Controller, Get, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Errno, Success } from '../common/errno.js';
import { sourceOf } from '../common/http/source.js';
import { Reply } from '../common/reply.js';
import { ApiErrnos, ApiFormBody, ApiPublic } from '../common/swagger.js';
import { Clock } from '../infra/clock.js';
import { AuthenticatedGuard } from '../session/authenticated.guard.js';
import { CurrentUser } from '../session/current-user.decorator.js';
import type { SessionUser } from '../session/session-user.js';
import { markSeen, SESSION_COOKIE } from '../session/session.module.js';
import { AccountService } from './account.service.js';
import { DEVICE_COOKIE, DeviceCookies } from './device-cookie.js';
import { EmailDto, LoginDto, RegisterDto, ValidateVcodeDto } from './dto/account.dto.js';
import { LocalAuthGuard } from './local-auth.guard.js';
import { OwnProfileResponse } from './profile.response.js';

const { BadRequest, Internal } = Errno;

@ApiTags('account')
@Controller('api/account')
export class AccountController {
  constructor(
    private readonly accounts: AccountService,
    private readonly clock: Clock,
    private readonly devices: DeviceCookies,
  ) {}

  @Post('sendvcode')
  @HttpCode(200)
  @ApiOperation({ summary: '发送验证码 (send a verification code by mail)' })
  @ApiPublic()
  @ApiFormBody(EmailDto)
  @ApiErrnos(Success.VcodeSent, [Errno.InvalidEmail, Errno.AccountExists, Errno.TooFrequent, Errno.MailFailed, BadRequest, Internal])
  async sendVcode(@Body() params: EmailDto, @Req() request: Request): Promise<Reply> {
    await this.accounts.sendVcode(params.email, sourceOf(request));
    return new Reply(Success.VcodeSent);
  }

  @Post('validatevacode')
  @HttpCode(200)
  @ApiOperation({ summary: '判断验证码是否正确 (check a code; marks the email verified for 30 minutes)' })
  @ApiPublic()
  @ApiFormBody(ValidateVcodeDto)
  @ApiErrnos(Success.VcodeValid, [
    Errno.InvalidEmail,
    Errno.NoVcode,
    Errno.VcodeExpired,
    Errno.WrongVcode,
    Errno.TooFrequent,
    BadRequest,
    Internal,
  ])
  async validateVcode(@Body() params: ValidateVcodeDto, @Req() request: Request): Promise<Reply> {
    await this.accounts.validateVcode(params.email, params.vcode, sourceOf(request));
    return new Reply(Success.VcodeValid);
  }

  @Post('register')
  @HttpCode(200)
  @ApiOperation({ summary: '注册 (register a verified email)' })
  @ApiPublic()
  @ApiFormBody(RegisterDto)
  @ApiErrnos(
    Success.Registered,
    [
      Errno.InvalidEmail,
      Errno.AccountExists,
      Errno.NoVcode,
      Errno.VcodeExpired,
      Errno.WrongVcode,
      Errno.TooFrequent,
      Errno.InvalidUsername,
      Errno.InvalidPassword,
      Errno.PasswordMismatch,
      BadRequest,
      Internal,
    ],
    { uid: { type: 'integer', format: 'int64', example: 4821930571 } },
  )
  async register(@Body() params: RegisterDto, @Req() request: Request): Promise<Reply> {
    const user = await this.accounts.register(params, sourceOf(request));
    return new Reply(Success.Registered, { uid: user.uid });
  }

  @Post('login')
  @HttpCode(200)
  @UseGuards(LocalAuthGuard)
  @ApiOperation({ summary: '登录 (log in with email or uid; sets the session cookie)' })
  @ApiPublic()
  @ApiFormBody(LoginDto)
  @ApiErrnos(
    Success.LoggedIn,
    [Errno.NotRegistered, Errno.TooFrequent, Errno.WrongPassword, BadRequest, Internal],
    { uid: { type: 'integer', format: 'int64', example: 4821930571 }, username: { type: 'string', example: '小明' } },
    {
      'Set-Cookie': {
        description: `on success: the session cookie \`${SESSION_COOKIE}\` (HttpOnly), and the device cookie \`${DEVICE_COOKIE}\` that keeps this browser's logins apart from others' failures`,
        schema: { type: 'string' },
      },
    },
  )
  login(@CurrentUser() user: SessionUser, @Req() request: Request, @Res({ passthrough: true }) response: Response): Reply {
    markSeen(request, this.clock.now());
    this.devices.issue(request, response, user.uid);
    return new Reply(Success.LoggedIn, { uid: user.uid, username: user.username });
  }

  @Get('logout')
  @ApiPublic()
  @ApiCookieAuth(SESSION_COOKIE)
  @ApiOperation({ summary: '登出 (log out; always succeeds)' })
  @ApiErrnos(Success.LoggedOut, [Internal])
  async logout(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<Reply> {
    // A visitor's GET carries no session at all (see SessionModule).
    const live = request.session as Request['session'] | undefined;
    if (live) await new Promise<void>((resolve, reject) => live.destroy((error?: Error) => (error ? reject(error) : resolve())));
    response.clearCookie(SESSION_COOKIE, { path: '/' });
    return new Reply(Success.LoggedOut);
  }

  @Get('me')
  @UseGuards(AuthenticatedGuard)
  @ApiCookieAuth(SESSION_COOKIE)
  @ApiOperation({ summary: '当前用户 (the logged-in account)' })
  @ApiErrnos(Success.Ok, [Errno.LoginRequired, Internal], { user: OwnProfileResponse })
  async me(@CurrentUser() user: SessionUser): Promise<Reply> {
    return new Reply(Success.Ok, { user: await this.accounts.me(user) });
  }
}
