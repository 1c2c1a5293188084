import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { map, type Observable } from 'rxjs';
import { Reply } from '../reply.js';
import { answerLanguage, envelope } from './envelope.js';

/** Turns a controller's Reply into the contract's envelope in the caller's language. */
@Injectable()
export class EnvelopeInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const language = answerLanguage(http.getRequest<Request>(), http.getResponse<Response>());
    return next.handle().pipe(map((value: unknown) => (value instanceof Reply ? envelope(value.message, language, value.data) : value)));
  }
}
