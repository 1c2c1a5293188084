import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { map, type Observable } from 'rxjs';
import { Reply } from '../reply.js';
import { languageOf } from './language.js';

/** Turns a controller's Reply into the contract's `{errno, msg, ...data}` in the caller's language. */
@Injectable()
export class EnvelopeInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const language = languageOf(context.switchToHttp().getRequest<Request>());
    return next
      .handle()
      .pipe(
        map((value: unknown) =>
          value instanceof Reply ? { errno: value.message.errno, msg: value.message[language], ...value.data } : value,
        ),
      );
  }
}
