import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { Errno } from '../common/errno.js';
import { ErrnoError } from '../common/errno.error.js';

/** 1011 unless the request carries a live session of an existing account. */
@Injectable()
export class AuthenticatedGuard implements CanActivate {
  /** The HTTP status of the refusal: 200 as the contract answers errnos (protocols may differ). */
  protected readonly status: number = 200;

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    // request.user, which SessionModule sets from the session (passport runs only for the login form).
    if (!request.user) throw new ErrnoError(Errno.LoginRequired, this.status);
    return true;
  }
}
