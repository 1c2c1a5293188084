import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { Errno } from '../../common/errno.js';
import { ErrnoError } from '../../common/errno.error.js';

/**
 * AuthenticatedGuard for the tus protocol's routes: tus speaks HTTP statuses, so a request
 * without a live session answers 401 (with the 1011 envelope), as the OpenAPI document says.
 */
@Injectable()
export class TusLoginGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    if (!request.isAuthenticated()) throw new ErrnoError(Errno.LoginRequired, 401);
    return true;
  }
}
