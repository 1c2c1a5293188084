import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-local';
import { Errno } from '../common/errno.js';
import { ErrnoError } from '../common/errno.error.js';
import { Metrics, type LoginOutcome } from '../infra/metrics.js';
import type { Request } from 'express';
import { AccountService } from './account.service.js';
import { DeviceCookies } from './device-cookie.js';
import type { SessionUser } from '../session/session-user.js';

const OUTCOMES = new Map<number, LoginOutcome>([
  [Errno.NotRegistered.errno, 'unknown_account'],
  [Errno.TooFrequent.errno, 'locked'],
  [Errno.WrongPassword.errno, 'wrong_password'],
  [Errno.AccountDisabled.errno, 'disabled'],
]);

/** passport-local on the contract's fields: `user` (email or uid) and `password`. */
@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy) {
  constructor(
    private readonly accounts: AccountService,
    private readonly metrics: Metrics,
    private readonly devices: DeviceCookies,
  ) {
    super({ usernameField: 'user', passwordField: 'password', passReqToCallback: true });
  }

  async validate(request: Request, login: string, password: string): Promise<SessionUser> {
    try {
      const user = await this.accounts.authenticate(login, password, this.devices.attemptOf(request));
      this.metrics.countLogin('success');
      return user;
    } catch (error) {
      this.metrics.countLogin((error instanceof ErrnoError && OUTCOMES.get(error.errno)) || 'error');
      throw error;
    }
  }
}
