import { Body, Controller, Get, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Errno, Success } from '../common/errno.js';
import { ErrnoError } from '../common/errno.error.js';
import { languageOf } from '../common/http/envelope.js';
import { sourceOf } from '../common/http/source.js';
import { Reply } from '../common/reply.js';
import { ApiErrnos, ApiFormBody, ApiPublic } from '../common/swagger.js';
import { AuthenticatedGuard } from '../session/authenticated.guard.js';
import { CurrentUser } from '../session/current-user.decorator.js';
import type { SessionUser } from '../session/session-user.js';
import { SESSION_COOKIE } from '../session/session.module.js';
import { isCodePurpose, type CodePurpose } from './account.rules.js';
import { AccountDeletion } from './account-deletion.js';
import { AccountService } from './account.service.js';
import { DEVICE_COOKIE, DeviceCookies } from './device-cookie.js';
import {
  ChangeEmailDto,
  ChangePasswordDto,
  CheckVcodeDto,
  LoginDto,
  PasswordDto,
  RegisterDto,
  ResetPasswordDto,
  SendVcodeDto,
} from './dto/account.dto.js';
import { LocalAuthGuard } from './local-auth.guard.js';
import { OwnProfileResponse } from './profile.response.js';

const { BadRequest, Internal } = Errno;

/** `purpose` as sent: absent is register, anything unknown 9000. */
function purposeOf(value: string | undefined): CodePurpose {
  const purpose = value || 'register';
  if (!isCodePurpose(purpose)) throw new ErrnoError(Errno.BadRequest);
  return purpose;
}

const CODE_ERRNOS = [Errno.NoVcode, Errno.VcodeExpired, Errno.WrongVcode];

@ApiTags('account')
@Controller('api/account')
export class AccountController {
  constructor(
    private readonly accounts: AccountService,
    private readonly devices: DeviceCookies,
    private readonly deletion: AccountDeletion,
  ) {}

  @Post('sendvcode')
  @HttpCode(200)
  @ApiOperation({
    summary: '发送验证码 (send a code by mail for a purpose: register, reset, email)',
    description:
      'register: 1004, 1013, 1010, 1005, 1006. reset: 1004, 1001, 1005, 1006. email (logged in; the code goes to the new address): 1011, 1004, 1010, 1005, 1006. A code is good only for its purpose and email.',
  })
  @ApiPublic()
  @ApiFormBody(SendVcodeDto)
  @ApiErrnos(Success.VcodeSent, [
    Errno.LoginRequired,
    Errno.InvalidEmail,
    Errno.RegistrationClosed,
    Errno.NotRegistered,
    Errno.AccountExists,
    Errno.TooFrequent,
    Errno.MailFailed,
    BadRequest,
    Internal,
  ])
  async sendVcode(@Body() params: SendVcodeDto, @Req() request: Request, @CurrentUser() viewer: SessionUser | undefined): Promise<Reply> {
    const purpose = purposeOf(params.purpose);
    await this.accounts.sendVcode(params.email, { ip: sourceOf(request), language: languageOf(request), viewer }, purpose);
    return new Reply(Success.VcodeSent);
  }

  @Post('validatevacode')
  @HttpCode(200)
  @ApiOperation({
    summary: '判断验证码是否正确 (check a code; a register code marks the email verified for 30 minutes)',
  })
  @ApiPublic()
  @ApiFormBody(CheckVcodeDto)
  @ApiErrnos(Success.VcodeValid, [Errno.InvalidEmail, Errno.RegistrationClosed, ...CODE_ERRNOS, Errno.TooFrequent, BadRequest, Internal])
  async validateVcode(@Body() params: CheckVcodeDto, @Req() request: Request): Promise<Reply> {
    await this.accounts.validateVcode(params.email, params.vcode, sourceOf(request), purposeOf(params.purpose));
    return new Reply(Success.VcodeValid);
  }

  @Post('resetpassword')
  @HttpCode(200)
  @ApiOperation({ summary: '重置密码 (set a new password with a reset code; ends every session, lifts the lockout)' })
  @ApiPublic()
  @ApiFormBody(ResetPasswordDto)
  @ApiErrnos(Success.PasswordReset, [
    Errno.InvalidEmail,
    Errno.NotRegistered,
    ...CODE_ERRNOS,
    Errno.TooFrequent,
    Errno.InvalidPassword,
    Errno.PasswordMismatch,
    BadRequest,
    Internal,
  ])
  async resetPassword(@Body() params: ResetPasswordDto, @Req() request: Request): Promise<Reply> {
    await this.accounts.resetPassword(params, sourceOf(request));
    return new Reply(Success.PasswordReset);
  }

  @Post('password')
  @HttpCode(200)
  @UseGuards(AuthenticatedGuard)
  @ApiCookieAuth(SESSION_COOKIE)
  @ApiOperation({ summary: '修改密码 (change the password; the other sessions of the account end)' })
  @ApiFormBody(ChangePasswordDto)
  @ApiErrnos(Success.PasswordChanged, [
    Errno.LoginRequired,
    Errno.TooFrequent,
    Errno.WrongPassword,
    Errno.InvalidPassword,
    Errno.PasswordMismatch,
    BadRequest,
    Internal,
  ])
  async changePassword(@Body() params: ChangePasswordDto, @CurrentUser() viewer: SessionUser, @Req() request: Request): Promise<Reply> {
    await this.accounts.changePassword(viewer, params, this.devices.attemptOf(request), request.sessionID);
    return new Reply(Success.PasswordChanged);
  }

  @Post('email')
  @HttpCode(200)
  @UseGuards(AuthenticatedGuard)
  @ApiCookieAuth(SESSION_COOKIE)
  @ApiOperation({ summary: '更换邮箱 (change the email with the code mailed to the new address)' })
  @ApiFormBody(ChangeEmailDto)
  @ApiErrnos(
    Success.Ok,
    [Errno.LoginRequired, Errno.InvalidEmail, Errno.AccountExists, ...CODE_ERRNOS, Errno.TooFrequent, BadRequest, Internal],
    { user: OwnProfileResponse },
  )
  async changeEmail(@Body() params: ChangeEmailDto, @CurrentUser() viewer: SessionUser, @Req() request: Request): Promise<Reply> {
    return new Reply(Success.Ok, { user: await this.accounts.changeEmail(viewer, params.email, params.vcode, sourceOf(request)) });
  }

  @Post('delete')
  @HttpCode(200)
  @UseGuards(AuthenticatedGuard)
  @ApiCookieAuth(SESSION_COOKIE)
  @ApiOperation({
    summary: '注销账号 (delete the account: at once gone from every answer; its bytes are removed in the background)',
  })
  @ApiFormBody(PasswordDto)
  @ApiErrnos(Success.AccountDeleted, [Errno.LoginRequired, Errno.TooFrequent, Errno.WrongPassword, BadRequest, Internal])
  async delete(
    @Body() params: PasswordDto,
    @CurrentUser() viewer: SessionUser,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Reply> {
    await this.deletion.delete(viewer, params.password, this.devices.attemptOf(request));
    response.clearCookie(SESSION_COOKIE, { path: '/' });
    return new Reply(Success.AccountDeleted);
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
    [Errno.NotRegistered, Errno.TooFrequent, Errno.WrongPassword, Errno.AccountDisabled, BadRequest, Internal],
    { uid: { type: 'integer', format: 'int64', example: 4821930571 }, username: { type: 'string', example: '小明' } },
    {
      'Set-Cookie': {
        description: `on success: the session cookie \`${SESSION_COOKIE}\` (HttpOnly), and the device cookie \`${DEVICE_COOKIE}\` that keeps this browser's logins apart from others' failures`,
        schema: { type: 'string' },
      },
    },
  )
  login(@CurrentUser() user: SessionUser, @Req() request: Request, @Res({ passthrough: true }) response: Response): Reply {
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
