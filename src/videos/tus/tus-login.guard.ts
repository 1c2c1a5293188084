import { Injectable } from '@nestjs/common';
import { AuthenticatedGuard } from '../../session/authenticated.guard.js';

/**
 * AuthenticatedGuard for the tus protocol's routes: tus speaks HTTP statuses, so a request
 * without a live session answers 401 (with the 1011 envelope), as the OpenAPI document says.
 */
@Injectable()
export class TusLoginGuard extends AuthenticatedGuard {
  protected override readonly status = 401;
}
