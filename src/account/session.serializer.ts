import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { PassportSerializer } from '@nestjs/passport';
import type { SessionUser } from '../session/session-user.js';
import { AccountService } from './account.service.js';

type Done<T> = (error: unknown, value?: T) => void;

function isSessionUser(value: unknown): value is SessionUser {
  const user = value as Partial<SessionUser> | null;
  return (
    typeof user?.id === 'number' &&
    typeof user.uid === 'number' &&
    typeof user.username === 'string' &&
    (user.role === 'user' || user.role === 'admin')
  );
}

/**
 * The session keeps a SessionUser and a request trusts it: no account read per request. Sessions
 * written before SessionUser hold the bare id: those still read the account.
 * passport is a process-wide singleton that keeps every serializer ever registered: once this app
 * has shut down, its serializer passes ('pass') to the next one (several apps run in one test process).
 */
@Injectable()
export class SessionSerializer extends PassportSerializer implements OnApplicationShutdown {
  private closed = false;

  constructor(private readonly accounts: AccountService) {
    super();
  }

  serializeUser(user: SessionUser, done: Done<SessionUser>): void {
    if (this.closed) return done('pass');
    done(null, { id: user.id, uid: user.uid, username: user.username, role: user.role });
  }

  deserializeUser(stored: unknown, done: Done<SessionUser | false>): void {
    if (this.closed) return done('pass');
    if (isSessionUser(stored)) return done(null, stored);
    if (typeof stored !== 'number') return done(null, false);
    this.accounts.sessionUser(stored).then(
      (user) => done(null, user ?? false),
      (error: unknown) => done(error),
    );
  }

  onApplicationShutdown(): void {
    this.closed = true;
  }
}
