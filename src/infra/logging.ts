import { Global, Injectable, Module } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { NextFunction, Request, Response } from 'express';
import type { Params } from 'nestjs-pino';
import { pino, stdTimeFunctions, type Logger } from 'pino';
import { redactUrl } from '../common/http/redact-url.js';
import { AppConfig } from '../config/app-config.js';
import type { Metrics } from './metrics.js';

export const REQUEST_ID_HEADER = 'X-Request-Id';
/** An incoming id is kept only when it is short and plain (it lands in every log line). */
const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** Scrapes and health probes arrive every few seconds: their lines would drown the rest. */
const QUIET_PATHS = /^\/(metrics|api\/health)\/?(\?|$)/;
/**
 * The process's pino logger (JSON lines on stdout at LOG_LEVEL) and the one middleware that
 * opens and closes every request: it gives the request an id (a sane `X-Request-Id` from the
 * caller, else a new UUID) and answers it, hands nestjs-pino a logger that puts the id on every
 * line of that request, and when the response ends, times it for /metrics and writes one line
 * (method, path, status, time; no headers, no cookies, no secrets).
 *
 * This replaces pino-http, which made two child loggers per request (one serializing the
 * request up front) and listeners of its own beside the metrics timer's: it took a quarter of
 * a JSON request's CPU (docs/benchmarks.md).
 */
@Injectable()
export class RequestLog {
  readonly root: Logger;

  constructor(config: AppConfig) {
    this.root = pino(
      { level: config.logLevel, timestamp: stdTimeFunctions.isoTime, formatters: { level: (label) => ({ level: label }) } },
      // process.stdout rather than pino's own fd writer: synchronous on Linux pipes and files all
      // the same, and a test (or anything that wraps stdout) sees the lines.
      process.stdout,
    );
  }

  /** Mounted first, before the static client and Nest, so every answer has an id and a line. */
  middleware(metrics: Metrics): (request: Request, response: Response, next: NextFunction) => void {
    const duration = metrics.httpDuration;
    return (request, response, next) => {
      const incoming = request.headers['x-request-id'];
      const id = typeof incoming === 'string' && SANE_ID.test(incoming) ? incoming : randomUUID();
      request.id = id;
      response.setHeader(REQUEST_ID_HEADER, id);
      const log = this.root.child({ reqId: id });
      request.log = log;
      const started = performance.now();
      response.once('close', () => {
        const seconds = (performance.now() - started) / 1000;
        const finished = response.writableFinished;
        // The route pattern (`/api/videos/:id`), never the URL: ids would make a series per video.
        const route = (request.route as { path?: unknown } | undefined)?.path;
        duration.observe(
          {
            method: request.method,
            route: typeof route === 'string' ? route : /^\/api(\/|$)/i.test(request.path) ? '(unmatched)' : '(client)',
            status: finished ? String(response.statusCode) : 'aborted',
          },
          seconds,
        );
        if (QUIET_PATHS.test(request.originalUrl)) return;
        const failed = response.statusCode >= 500 || !finished;
        log[failed ? 'error' : 'info'](
          {
            req: { id, method: request.method, url: redactUrl(request.originalUrl), ip: request.ip },
            res: { statusCode: response.statusCode },
            responseTime: Math.round(seconds * 1000),
          },
          failed ? (finished ? 'request errored' : 'request aborted') : 'request completed',
        );
      });
      next();
    };
  }
}

/** One RequestLog for the process's modules (main.ts mounts its middleware; nestjs-pino logs through it). */
@Global()
@Module({ providers: [RequestLog], exports: [RequestLog] })
export class RequestLogModule {}

/**
 * nestjs-pino's options: the logger is RequestLog's (`useExisting`: its middleware sets
 * `request.log`, which nestjs-pino binds for the request's own lines). pino-http is only asked
 * to wrap that logger for the lines outside a request; nestjs-pino keeps the first app's in a
 * process.
 */
export function loggerParams(log: RequestLog): Params {
  return { pinoHttp: { logger: log.root }, useExisting: true };
}
