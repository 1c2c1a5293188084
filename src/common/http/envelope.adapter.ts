import { ExpressAdapter } from '@nestjs/platform-express';
import type { Request, Response } from 'express';
import { Reply } from '../reply.js';
import { answerLanguage, envelope } from './envelope.js';

/**
 * Express, with the contract's envelope made where Nest hands a handler's result to the
 * response: a Reply becomes `{errno: 0, msg, ...data}` in the caller's language; anything else
 * goes out as it is. A global interceptor did this before, through an rxjs pipeline on every
 * request: about a tenth of a JSON request's CPU (docs/benchmarks.md). Refusals are the
 * ErrnoFilter's.
 */
export class EnvelopeAdapter extends ExpressAdapter {
  override reply(response: Response, body: unknown, statusCode?: number): unknown {
    const answer = body instanceof Reply ? envelope(body.message, answerLanguage(response.req as Request, response), body.data) : body;
    return super.reply(response, answer, statusCode);
  }
}
