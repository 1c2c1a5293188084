import { Injectable } from '@nestjs/common';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { sourceOf } from '../common/http/source.js';
import { AppConfig } from '../config/app-config.js';
import { randomToken } from '../infra/random-token.js';
import type { LoginAttempt } from './account.service.js';

export const DEVICE_COOKIE = 'ps.dev';
const DEVICE_COOKIE_MAX_AGE_MS = 365 * 24 * 60 * 60_000;

/**
 * OWASP's "device cookie": after a right password a browser gets a signed cookie naming the
 * account (`<uid>.<random id>.<HMAC>`); its later logins to that account are counted on their own,
 * so others' failures never lock it out. It proves nothing but an earlier success on this browser,
 * and grants nothing else: it is not a session.
 */
@Injectable()
export class DeviceCookies {
  constructor(private readonly config: AppConfig) {}

  /** The device id of a valid cookie for account `uid` in this request, if any. */
  deviceFor(request: Request, uid: number): string | undefined {
    for (const value of cookieValues(request, DEVICE_COOKIE)) {
      const [owner, id, mac] = value.split('.');
      if (owner === String(uid) && id && mac && this.matches(mac, this.sign(owner, id))) return id;
    }
    return undefined;
  }

  /** Where a password attempt comes from (login, or a password asked again): its source address and device cookie. */
  attemptOf(request: Request): LoginAttempt {
    return { ip: sourceOf(request), deviceFor: (uid) => this.deviceFor(request, uid) };
  }

  /** Gives the browser a device cookie for `uid` (kept when it already has one for this account). */
  issue(request: Request, response: Response, uid: number): void {
    if (this.deviceFor(request, uid)) return;
    const id = randomToken(12, 'base64url');
    keepDeviceCookieLast(response);
    response.cookie(DEVICE_COOKIE, `${uid}.${id}.${this.sign(String(uid), id)}`, {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.config.cookieSecure,
      maxAge: DEVICE_COOKIE_MAX_AGE_MS,
      path: '/api/account',
    });
  }

  private sign(uid: string, id: string): string {
    return createHmac('sha256', this.config.sessionSecret).update(`device\n${uid}\n${id}`).digest('base64url');
  }

  private matches(actual: string, expected: string): boolean {
    const a = Buffer.from(actual);
    const b = Buffer.from(expected);
    return a.length === b.length && timingSafeEqual(a, b);
  }
}

function cookieValues(request: Request, name: string): string[] {
  const header = request.headers.cookie ?? '';
  const values: string[] = [];
  for (const pair of header.split(';')) {
    const at = pair.indexOf('=');
    if (at !== -1 && pair.slice(0, at).trim() === name) values.push(pair.slice(at + 1).trim());
  }
  return values;
}

/**
 * The session cookie stays the first Set-Cookie (express-session adds it when the headers go out,
 * after this one): clients that read only the first one, as the seed's scripts do, keep working.
 */
function keepDeviceCookieLast(response: Response): void {
  const setHeader = response.setHeader.bind(response);
  response.setHeader = (name: string, value: number | string | readonly string[]) => {
    if (name.toLowerCase() === 'set-cookie' && Array.isArray(value)) {
      const cookies = value as readonly string[];
      const isDevice = (cookie: string) => cookie.startsWith(`${DEVICE_COOKIE}=`);
      return setHeader(name, [...cookies.filter((cookie) => !isDevice(cookie)), ...cookies.filter(isDevice)]);
    }
    return setHeader(name, value);
  };
}
