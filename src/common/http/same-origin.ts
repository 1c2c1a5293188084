import type { NextFunction, Request, Response } from 'express';
import { Errno } from '../errno.js';
import { answerLanguage, envelope } from './envelope.js';
import { stopBodyAfterAnswer } from './stop-body.js';

/** Methods that change nothing; everything else (POST, PUT, PATCH, DELETE, tus's) must come from us. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** The one GET that changes state: it ends the session (the seed's contract keeps it a GET). */
const LOGOUT = /^\/+api\/+account\/+logout\/*$/i;

/** `scheme://host[:port]` as browsers write it (lower case, no default port), or undefined. */
function normalOrigin(value: string): string | undefined {
  try {
    const url = new URL(value);
    return /^https?:$/.test(url.protocol) ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether `origin` is this server as the browser reached it: the Host header, or X-Forwarded-Host
 * when a trusted proxy sent it (Express's `request.host`). The scheme is the request's, or https
 * when we see http: a TLS proxy in front (without TRUST_PROXY) still serves our own pages.
 */
function isOwnOrigin(origin: string, request: Request): boolean {
  const host = request.host;
  if (!host) return false;
  const seen = normalOrigin(`${request.protocol}://${host}`);
  const secure = normalOrigin(`https://${host}`);
  return origin === seen || origin === secure;
}

/**
 * Whether a request that changes state may go on. A browser says where a request comes from
 * (Sec-Fetch-Site in every current browser, Origin on every POST for years): same-origin, a user's
 * own navigation (`none`) and the CORS_ORIGIN origins pass; another port, a sibling subdomain,
 * another site and the opaque `Origin: null` do not. A client that sends neither header is not a
 * browser acting for someone else (curl, the seed's scripts, apps): it has no ambient cookie to abuse.
 */
export function comesFromUs(request: Request, allowed: ReadonlySet<string>): boolean {
  const originHeader = request.headers.origin;
  const origin = originHeader === undefined ? undefined : normalOrigin(originHeader);
  const fetchSite = request.headers['sec-fetch-site'];
  if (fetchSite !== undefined) {
    if (fetchSite === 'same-origin' || fetchSite === 'none') return true;
    // same-site, cross-site, or anything else: only a configured origin (a CORS request carries it).
    return origin !== undefined && allowed.has(origin);
  }
  if (originHeader === undefined) return true;
  // `null` (a sandboxed frame, a data: page, a privacy-reducing redirect) or garbage: not provably us.
  if (origin === undefined) return false;
  return allowed.has(origin) || isOwnOrigin(origin, request);
}

/** Whether the request changes state: any method but GET/HEAD/OPTIONS, and the logout GET. */
function changesState(request: Request): boolean {
  return !SAFE_METHODS.has(request.method) || (request.method === 'GET' && LOGOUT.test(request.path));
}

/**
 * The guard against cross-origin request forgery, for every route (the API, tus, the logout GET):
 * a browser's state-changing request from anywhere but this origin or a CORS_ORIGIN origin is
 * answered HTTP 403 with errno 9001 before a body is read or a session is loaded.
 * `SameSite=Lax` alone lets another port or a sibling subdomain (same-site) send the cookie.
 */
export function sameOriginOnly(corsOrigins: readonly string[]) {
  const allowed = new Set(corsOrigins.map((origin) => normalOrigin(origin)).filter((origin) => origin !== undefined));
  return (request: Request, response: Response, next: NextFunction): void => {
    if (!changesState(request) || comesFromUs(request, allowed)) return next();
    const language = answerLanguage(request, response);
    stopBodyAfterAnswer(request, response);
    response.status(403).type('application/json; charset=utf-8').json(envelope(Errno.CrossSiteRefused, language));
  };
}
