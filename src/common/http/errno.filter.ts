import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Errno, type ErrnoEntry } from '../errno.js';
import { ErrnoError } from '../errno.error.js';
import { answerLanguage, envelope } from './envelope.js';
import { redactUrl } from './redact-url.js';
import { stopBodyAfterAnswer } from './stop-body.js';

interface Outcome {
  status: number;
  entry: ErrnoEntry;
}

/** The status an http-errors style error carries (body-parser, the router's URI decoding). */
function clientErrorStatus(error: unknown): number | undefined {
  const { status, statusCode } = (error ?? {}) as { status?: unknown; statusCode?: unknown };
  const value = status ?? statusCode;
  return typeof value === 'number' ? value : undefined;
}

/**
 * The one place that knows HTTP for errors: every failure becomes `{errno, msg}`. Domain errors
 * and bad input answer 200 (the contract's convention), an unknown route 404, and anything
 * unexpected 9999 with the details in the log only.
 */
@Catch()
export class ErrnoFilter implements ExceptionFilter {
  private readonly logger = new Logger('ErrnoFilter');

  catch(error: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    const { status, entry } = this.outcome(error, request);
    if (response.headersSent) {
      response.destroy();
      return;
    }
    if (error instanceof ErrnoError) response.set(error.headers);
    stopBodyAfterAnswer(request, response);
    // A byte endpoint may have set its own type before failing: the answer is JSON.
    response.setHeader('Content-Type', 'application/json; charset=utf-8');
    response.status(status).json(envelope(entry, answerLanguage(request, response)));
  }

  private outcome(error: unknown, request: Request): Outcome {
    if (error instanceof ErrnoError) return { status: error.status, entry: error.entry };
    // Nest's own 4xx (unknown route, body-parser failures it maps) and raw parser errors alike.
    const clientStatus = error instanceof HttpException ? error.getStatus() : clientErrorStatus(error);
    if (clientStatus === 404) return { status: 404, entry: Errno.NotFound };
    if (clientStatus !== undefined && clientStatus >= 400 && clientStatus < 500) return { status: 200, entry: Errno.BadRequest };
    this.logger.error(
      `${request.method} ${redactUrl(request.originalUrl)}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return { status: 200, entry: Errno.Internal };
  }
}
