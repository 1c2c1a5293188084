import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { PassportSerializer } from '@nestjs/passport';
import { AccountService } from './account.service.js';
import type { User } from './user.entity.js';

type Done<T> = (error: unknown, value?: T) => void;

/**
 * The session keeps the account's id only; each request loads the account (a deleted one logs out).
 * passport is a process-wide singleton that keeps every serializer ever registered: once this app
 * has shut down, its serializer passes ('pass') to the next one (several apps run in one test process).
 */
@Injectable()
export class SessionSerializer extends PassportSerializer implements OnApplicationShutdown {
  private closed = false;

  constructor(private readonly accounts: AccountService) {
    super();
  }

  serializeUser(user: User, done: Done<number>): void {
    if (this.closed) return done('pass');
    done(null, user.id);
  }

  deserializeUser(id: unknown, done: Done<User | false>): void {
    if (this.closed) return done('pass');
    if (typeof id !== 'number') return done(null, false);
    this.accounts.findById(id).then(
      (user) => done(null, user ?? false),
      (error: unknown) => done(error),
    );
  }

  onApplicationShutdown(): void {
    this.closed = true;
  }
}
