import { Inject, Module, type MiddlewareConsumer, type NestModule, type OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { getRepositoryToken, TypeOrmModule } from '@nestjs/typeorm';
import type { NextFunction, Request, Response } from 'express';
import session, { type Store } from 'express-session';
import type { Repository } from 'typeorm';
import { asError } from '../common/as-error.js';
import { AppConfig } from '../config/app-config.js';
import { PreparedStatements } from '../database/prepared-statements.js';
import { Clock } from '../infra/clock.js';
import { randomToken } from '../infra/random-token.js';
import { RedisService } from '../infra/redis.service.js';
import type { AccountSessionStore } from './account-sessions.js';
import { RedisSessionStore } from './redis-session.store.js';
import { SessionAccounts } from './session-accounts.js';
import { SessionDirectory } from './session-directory.js';
import { SessionRecord } from './session.entity.js';
import { TypeormSessionStore } from './typeorm-session.store.js';
import { isSessionUser, toSessionUser, type SessionUser } from './session-user.js';

export const SESSION_COOKIE = 'ps.sid';
const SESSION_TTL_MS = 7 * 24 * 60 * 60_000;
/** How often a live session's expiry moves on: a write per minute at most, never one per request. */
export const SESSION_TOUCH_MS = 60_000;
/**
 * The absolute lifetime of a login, however active: 30 days after it, the session ends and the
 * next request needs a new login (a stolen cookie is not good forever by being used).
 */
export const SESSION_MAX_AGE_MS = 30 * 24 * 60 * 60_000;
const SESSION_STORE = Symbol('SESSION_STORE');
const PRUNE_EVERY_MS = 15 * 60_000;
/** Expired sessions leave the database (Redis expires its own). */
export const SESSION_PRUNE = 'session-prune';

declare module 'express-session' {
  interface SessionData {
    /** Epoch ms of the last write that moved the expiry on (see slideExpiry). */
    seenAt?: number;
    /** Epoch ms of the login (the first markSeen): the session ends SESSION_MAX_AGE_MS after it. */
    createdAt?: number;
    /** The client's address when last seen, and its User-Agent at login (shown in the session list). */
    ip?: string;
    userAgent?: string;
  }
}

type Handler = (request: Request, response: Response, next: NextFunction) => void;

/** The handlers one after another, as one. */
function chain(handlers: Handler[]): Handler {
  return (request, response, next) => {
    const step = (index: number, error?: unknown): void => {
      if (error || index === handlers.length) return next(error);
      handlers[index](request, response, (failure?: unknown) => step(index + 1, failure));
    };
    step(0);
  };
}

/** Whether the request names a session (a stale or forged one included). */
function hasSessionCookie(request: Request): boolean {
  return request.headers.cookie?.includes(`${SESSION_COOKIE}=`) ?? false;
}

/** A GET or HEAD without the session cookie. */
function isVisitorRead(request: Request): boolean {
  return (request.method === 'GET' || request.method === 'HEAD') && !hasSessionCookie(request);
}

/**
 * Marks a session seen at `now` (login does, so that its next minute costs no write). The first
 * mark of a session is its login (startSession): it sets `createdAt`. A session from before
 * createdAt existed gets it at its next slide.
 */
export function markSeen(request: Request, now: number): void {
  request.session.seenAt = now;
  request.session.createdAt ??= now;
  request.session.ip = request.ip;
  request.session.userAgent ??= request.headers['user-agent']?.slice(0, USER_AGENT_MAX);
}

const USER_AGENT_MAX = 255;

/** An express-session callback that settles a promise. */
const settled = (resolve: () => void, reject: (error: Error) => void) => (error: unknown) => (error ? reject(asError(error)) : resolve());

/**
 * A login's session, written once: a new id (never one the client brought: session fixation),
 * the account where readUser reads it back (`passport.user`), and its start (markSeen).
 * passport's own logIn writes the session before the login's marks are on it, which made every
 * login two writes. A request without the session cookie has a session that express-session
 * made for it just now, under an id nobody else has seen: it is kept rather than regenerated,
 * which would delete a row that was never written and draw another id. It is written before the
 * answer, not as the response ends (where express-session reports a failed write only after the
 * body has gone): a login whose session could not be stored fails, without a cookie.
 */
export async function startSession(request: Request, user: SessionUser, now: number): Promise<void> {
  const brought = hasSessionCookie(request);
  if (brought) await new Promise<void>((resolve, reject) => request.session.regenerate(settled(resolve, reject)));
  (request.session as typeof request.session & { passport?: { user: SessionUser } }).passport = { user: toSessionUser(user, user.role) };
  markSeen(request, now);
  try {
    await new Promise<void>((resolve, reject) => request.session.save(settled(resolve, reject)));
  } catch (error) {
    // No session on the request: express-session then neither sets its cookie nor writes again.
    (request as { session?: unknown }).session = undefined;
    throw error;
  }
  if (brought) saveOnlyChanges(request.session);
}

/**
 * express-session saves a regenerated session again as the response ends (it still compares it
 * with the id the request brought): once stored, that save writes only a session that changed
 * since (the cookie aside, whose expiry express-session moves as it sends it, as its own check does).
 */
function saveOnlyChanges(session: Request['session']): void {
  const contents = () => JSON.stringify({ ...session, cookie: undefined });
  const stored = contents();
  const save = session.save.bind(session);
  session.save = (callback) => {
    if (contents() !== stored) return save(callback);
    callback?.(undefined);
    return session;
  };
}

/** The store without `touch`, so that express-session never calls it (see slideExpiry). */
function withoutTouch<T extends Store>(store: T): T {
  Object.defineProperty(store, 'touch', { value: undefined });
  return store;
}

/**
 * Cookie sessions (7 days, sliding by the minute) in Redis when configured, else in the database,
 * each carrying its login (readUser). SessionDirectory finds an account's sessions in either store.
 */
@Module({
  imports: [TypeOrmModule.forFeature([SessionRecord])],
  providers: [
    {
      provide: SESSION_STORE,
      inject: [RedisService, getRepositoryToken(SessionRecord), PreparedStatements],
      useFactory: (redis: RedisService, records: Repository<SessionRecord>, statements: PreparedStatements): Store & AccountSessionStore =>
        withoutTouch(
          redis.bounded
            ? new RedisSessionStore(redis.bounded, 'ps:sess:', SESSION_MAX_AGE_MS / 1000)
            : new TypeormSessionStore(records, SESSION_TTL_MS, statements),
        ),
    },
    { provide: SessionDirectory, inject: [SESSION_STORE], useFactory: (store: AccountSessionStore) => new SessionDirectory(store) },
  ],
  exports: [SessionDirectory],
})
export class SessionModule implements NestModule, OnModuleInit {
  constructor(
    @Inject(SESSION_STORE) private readonly store: Store,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly schedule: SchedulerRegistry,
    private readonly accounts: SessionAccounts,
  ) {}

  onModuleInit(): void {
    // Registered rather than @Interval: only the database store needs it.
    const store = this.store;
    if (store instanceof TypeormSessionStore)
      this.schedule.addInterval(SESSION_PRUNE, setInterval(() => void store.prune().catch(() => undefined), PRUNE_EVERY_MS).unref());
  }

  /**
   * The session's login as `request.user`: the SessionUser that login stored, trusted without a
   * read. A session from before SessionUser holds the bare account id, whose account is read. A
   * login naming no account (anything else stored, an account gone or disabled) is taken off the
   * session, and the request is a visitor's. passport.session() did this through a strategy and
   * serializer chain that cost about 0.1 ms of CPU on every logged-in request (docs/benchmarks.md).
   */
  private readonly readUser = (request: Request, _response: Response, next: NextFunction): void => {
    const live = request.session as (typeof request.session & { passport?: { user?: unknown } }) | undefined;
    if (!live?.passport) return next();
    const stored = live.passport.user;
    if (isSessionUser(stored)) {
      request.user = stored;
      return next();
    }
    const signedOut = () => {
      delete live.passport;
      next();
    };
    if (typeof stored !== 'number') return signedOut();
    this.accounts.sessionUser(stored).then((user) => {
      if (!user) return signedOut();
      request.user = user;
      next();
    }, next);
  };

  /**
   * express-session writes an unchanged session back (`touch`) on every request; instead the
   * expiry slides when `seenAt` is a minute old, which makes the session modified: one store
   * write and a fresh cookie then, none in between.
   */
  private readonly slideExpiry = (request: Request, _response: Response, next: NextFunction): void => {
    const live = request.session as (typeof request.session & { passport?: unknown }) | undefined;
    if (live?.passport) {
      const now = this.clock.now();
      if (live.createdAt !== undefined && !(now - live.createdAt < SESSION_MAX_AGE_MS)) return this.endSession(request, next);
      if (!(now - (live.seenAt ?? 0) < SESSION_TOUCH_MS)) markSeen(request, now);
    }
    next();
  };

  /** A login past its absolute lifetime: removed from the store; the request goes on as a visitor's. */
  private endSession(request: Request, next: NextFunction): void {
    // regenerate rather than destroy: a login on this very request still finds a session to use.
    request.session.regenerate((error?: unknown) => {
      request.user = undefined;
      next(error);
    });
  }

  configure(consumer: MiddlewareConsumer): void {
    const withSession = chain([
      session({
        name: SESSION_COOKIE,
        secret: this.config.sessionSecret,
        store: this.store,
        // What express-session makes by default (24 random bytes, base64url), without a CSPRNG call each.
        genid: () => randomToken(24, 'base64url'),
        resave: false,
        saveUninitialized: false,
        rolling: false,
        // undefined: Express's req.secure, which believes X-Forwarded-Proto only from a trusted proxy.
        proxy: this.config.trustProxy === false ? false : undefined,
        cookie: { httpOnly: true, sameSite: 'lax', secure: this.config.cookieSecure, maxAge: SESSION_TTL_MS, path: '/' },
      }),
      this.readUser,
      this.slideExpiry,
    ]);
    // A visitor's read has no session to load and makes none: the guards read `request.user`.
    consumer
      .apply((request: Request, response: Response, next: NextFunction) =>
        isVisitorRead(request) ? next() : withSession(request, response, next),
      )
      .forRoutes('*path');
  }
}
