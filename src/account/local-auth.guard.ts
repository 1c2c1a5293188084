import { Injectable, type ExecutionContext } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { Request } from 'express';
import { Errno } from '../common/errno.js';
import { ErrnoError } from '../common/errno.error.js';
import { AccountService } from './account.service.js';
import { LoginDto } from './dto/account.dto.js';
import { DeviceCookies } from './device-cookie.js';
import { Clock } from '../infra/clock.js';
import { startSession } from '../session/session.module.js';
import type { SessionUser } from '../session/session-user.js';

/**
 * Runs passport-local and starts the session (a new session id at every login).
 * Guards run before pipes, so the parameters' types are checked here (9000).
 */
@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  constructor(
    private readonly accounts: AccountService,
    private readonly devices: DeviceCookies,
    private readonly clock: Clock,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const params = plainToInstance(LoginDto, request.body ?? {});
    if (validateSync(params).length > 0) throw new ErrnoError(Errno.BadRequest);
    // passport-local refuses empty fields without a verdict; the service gives the contract's (1001 / 1005 / 1002).
    if (!params.user || !params.password) {
      await this.accounts.authenticate(params.user ?? '', params.password ?? '', this.devices.attemptOf(request));
    }
    const result = (await super.canActivate(context)) as boolean;
    await startSession(request, request.user as SessionUser, this.clock.now());
    return result;
  }
}
