import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { Params } from 'nestjs-pino';
import { stdTimeFunctions } from 'pino';
import type { AppConfig } from '../config/app-config.js';

export const REQUEST_ID_HEADER = 'X-Request-Id';
/** An incoming id is kept only when it is short and plain (it lands in every log line). */
const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** Scrapes and health probes arrive every few seconds: their lines would drown the rest. */
const QUIET_PATHS = /^\/(metrics|api\/health)\/?(\?|$)/;
/** Parameters that may travel in a query string (the seed's calls do) and must never reach a log. */
const SECRET_PARAMS = new Set(['password', 'password_1', 'password_2', 'vcode']);

/**
 * Gives every request an id (a sane `X-Request-Id` from the caller, else a new UUID) and answers
 * it in `X-Request-Id`. Mounted first, before the static client and Nest, so every answer has one.
 */
export function assignRequestId(request: Request, response: Response, next: NextFunction): void {
  const incoming = request.headers['x-request-id'];
  const id = typeof incoming === 'string' && SANE_ID.test(incoming) ? incoming : randomUUID();
  request.id = id;
  response.setHeader(REQUEST_ID_HEADER, id);
  next();
}

/**
 * A parameter name as the query parser reads it (`pass%77ord` and `password[]` are `password`),
 * compared without case; a name that does not decode is treated as a secret.
 */
function isSecretName(raw: string): boolean {
  let name: string;
  try {
    name = decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return true;
  }
  const base = name.replace(/[[.][\s\S]*$/, '').trim();
  return SECRET_PARAMS.has(base.toLowerCase());
}

/** The URL for a log line: the value of every secret query parameter replaced by `[redacted]`. */
export function redactUrl(url: string): string {
  const start = url.indexOf('?');
  if (start < 0) return url;
  const pairs = url
    .slice(start + 1)
    .split('&')
    .map((pair) => {
      const name = pair.split('=', 1)[0];
      return isSecretName(name) ? `${name}=[redacted]` : pair;
    });
  return `${url.slice(0, start)}?${pairs.join('&')}`;
}

/**
 * nestjs-pino's options: JSON lines on stdout at LOG_LEVEL; inside a request every line carries
 * its `reqId`, and one line per request ends it (method, path, status, time; no headers, no
 * cookies, no secrets). pino builds one logger per process: the first app's options hold.
 */
export function loggerParams(config: AppConfig): Params {
  return {
    pinoHttp: [
      {
        level: config.logLevel,
        timestamp: stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
        // assignRequestId ran first; the fallback only for a request that skipped it.
        genReqId: (request: IncomingMessage) => request.id || randomUUID(),
        quietReqLogger: true,
        customLogLevel: (_request: IncomingMessage, response: ServerResponse, error?: Error) =>
          error || response.statusCode >= 500 ? 'error' : 'info',
        autoLogging: { ignore: (request: IncomingMessage) => QUIET_PATHS.test(request.url ?? '') },
        serializers: {
          req: (request: { id: string; method: string; url: string; raw: Request }) => ({
            id: request.id,
            method: request.method,
            url: redactUrl(request.raw.originalUrl ?? request.url),
            ip: request.raw.ip,
          }),
          res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
        },
      },
      // process.stdout rather than pino's own fd writer: synchronous on Linux pipes and files all
      // the same, and a test (or anything that wraps stdout) sees the lines.
      process.stdout,
    ],
  };
}
