import type { Request, Response } from 'express';
import fresh from 'fresh';
import parseRange from 'range-parser';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Errno } from '../errno.js';
import { ErrnoError } from '../errno.error.js';

/** What serving needs of a store (StorageService is one); keys are the caller's. */
export interface ByteStore {
  /** `etag` must be a strong validator: the object never changes under its key. */
  stat(key: string): Promise<{ size: number; modifiedAt: Date; etag: string } | null>;
  openRead(key: string, range?: { start: number; end: number }): Promise<Readable>;
}

/**
 * A byte endpoint answers its refusals with a real HTTP status (a player reads the status, not
 * the JSON): what a service refused with errno `entry` is answered with `status` here.
 */
export async function withStatus<T>(work: Promise<T>, status: number): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw error instanceof ErrnoError && error.status === 200 ? new ErrnoError(error.entry, status, error.headers) : error;
  }
}

/** Bytes that may change under their URL (a cover after reprocessing): kept, but asked about each time. */
export const REVALIDATE = 'public, max-age=0, must-revalidate';
/** Bytes that never change under their URL (renditions: a new processing run has new URLs). */
export const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Serves a stored object from any StorageService: a single Range gives 206 (first–last, suffix
 * and open-ended, parsed by `range-parser`), an unsatisfiable one 416 with `bytes *\/SIZE`,
 * `If-None-Match` / `If-Modified-Since` give 304 (judged by `fresh`), `If-Range` with the strong
 * ETag keeps the range (what Chromium sends on a seek).
 * Bytes stream from storage (a ranged read), never whole into memory. The type is the stored
 * one, never guessed from a name. Errors before the first byte throw (for the errno filter).
 */
export async function serveObject(
  request: Request,
  response: Response,
  storage: ByteStore,
  key: string,
  type: string,
  cacheControl: string = REVALIDATE,
): Promise<void> {
  const object = await storage.stat(key);
  if (!object) throw new Error(`stored object missing: ${key}`);
  const { etag } = object;
  const lastModified = object.modifiedAt.toUTCString();
  response.setHeader('Accept-Ranges', 'bytes');
  response.setHeader('ETag', etag);
  response.setHeader('Last-Modified', lastModified);
  response.setHeader('Cache-Control', cacheControl);
  response.setHeader('X-Content-Type-Options', 'nosniff');
  // Whatever a stored file holds, a browser never runs it as a page of this site.
  response.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");

  if (fresh(request.headers, { etag, 'last-modified': lastModified })) {
    response.status(304).end();
    return;
  }

  let range: { start: number; end: number } | undefined;
  const header = request.headers.range;
  if (header && rangeStillApplies(request, etag, lastModified)) {
    const ranges = parseRange(object.size, header, { combine: true });
    if (ranges === -1) throw new ErrnoError(Errno.BadRequest, 416, { 'Content-Range': `bytes */${object.size}` });
    // A malformed header (-2) or several ranges: the whole file, as RFC 9110 allows.
    if (ranges !== -2 && ranges.type === 'bytes' && ranges.length === 1) range = ranges[0];
  }

  response.setHeader('Content-Type', type);
  if (range) {
    response.status(206);
    response.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${object.size}`);
    response.setHeader('Content-Length', String(range.end - range.start + 1));
  } else {
    response.status(200);
    response.setHeader('Content-Length', String(object.size));
  }
  if (request.method === 'HEAD' || object.size === 0) {
    response.end();
    return;
  }
  const stream = await storage.openRead(key, range);
  try {
    await pipeline(stream, response);
  } catch (error) {
    // The client went away mid-stream: nothing to answer.
    if (!response.destroyed) throw error;
  }
}

/** `If-Range`: the range applies only to the version the client has. */
function rangeStillApplies(request: Request, etag: string, lastModified: string): boolean {
  const ifRange = request.get('If-Range');
  if (!ifRange) return true;
  if (ifRange.includes('"')) return ifRange === etag && !etag.startsWith('W/');
  return Date.parse(ifRange) >= Date.parse(lastModified);
}
