import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { PassportSerializer } from '@nestjs/passport';
import type { SessionUser } from '../session/session-user.js';
import { AccountService } from './account.service.js';

type Done<T> = (error: unknown, value?: T) => void;

/**
 * The session keeps a SessionUser; each request checks that its account still exists (a deleted
 * one logs out) with a lean read that never loads the password hash.
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
    // Sessions written before SessionUser hold the bare id.
    const id = typeof stored === 'number' ? stored : (stored as Partial<SessionUser> | null)?.id;
    if (typeof id !== 'number') return done(null, false);
    this.accounts.sessionUser(id).then(
      (user) => done(null, user ?? false),
      (error: unknown) => done(error),
    );
  }

  onApplicationShutdown(): void {
    this.closed = true;
  }
}
