import { json, urlencoded, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import multer from 'multer';
import { Errno } from '../errno.js';
import { ErrnoError } from '../errno.error.js';

/** Parameters that keep their surrounding whitespace. */
const UNTRIMMED = new Set(['password', 'password_1', 'password_2']);
const BODY_LIMIT = '64kb';

/**
 * The contract's parameter rule in one place: query, urlencoded, JSON and multipart fields are
 * merged into `req.body` (the body wins), and values are trimmed except passwords. Every value
 * must be a well-formed string: anything else (a number, an array, an object, a lone UTF-16
 * surrogate) is 9000 here, before any library walks or encodes it (deeply nested JSON once
 * overflowed class-transformer's stack; a lone surrogate made the email validator throw).
 */
function mergeParams(request: Request, _response: Response, next: NextFunction): void {
  const body: unknown = request.body;
  if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body))) {
    return next(new ErrnoError(Errno.BadRequest));
  }
  const merged: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const source of [request.query, body ?? {}] as Record<string, unknown>[]) {
    for (const [name, value] of Object.entries(source)) {
      if (typeof value !== 'string' || !value.isWellFormed()) return next(new ErrnoError(Errno.BadRequest));
      merged[name] = UNTRIMMED.has(name) ? value : value.trim();
    }
  }
  request.body = merged;
  next();
}

const parseFields = multer({ limits: { fields: 50, fieldSize: 64 * 1024, files: 0, parts: 50 } }).none();

/**
 * Multipart forms without files (files only go to the upload endpoint, which streams its own).
 * Whatever fails here is the body's fault (a file part, a truncated or malformed form): 9000.
 */
function multipartFields(request: Request, response: Response, next: NextFunction): void {
  parseFields(request, response, (error?: unknown) => next(error ? new ErrnoError(Errno.BadRequest) : undefined));
}

/** As type-is decides: a request has a body when it says how it is framed. */
function hasBody(request: Request): boolean {
  return request.headers['transfer-encoding'] !== undefined || !Number.isNaN(parseInt(request.headers['content-length'] ?? '', 10));
}

/**
 * The parsers of every route as one middleware; `multipart: false` leaves a multipart body for the
 * handler to stream. A request without a body (most GETs) goes straight to mergeParams: each parser
 * would look and pass it on, at the cost of a middleware hop each.
 */
export function requestParsers({ multipart = true } = {}): RequestHandler {
  const parsers: RequestHandler[] = [
    json({ limit: BODY_LIMIT }),
    urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: 50 }),
    ...(multipart ? [multipartFields] : []),
  ];
  return (request, response, next) => {
    if (!hasBody(request)) return mergeParams(request, response, next);
    let index = 0;
    const step = (error?: unknown): void => {
      if (error) return next(error);
      const parser = parsers[index++];
      if (parser) return void parser(request, response, step);
      mergeParams(request, response, next);
    };
    step();
  };
}
