import { Injectable } from '@nestjs/common';
import { Errno } from '../common/errno.js';
import { ErrnoError } from '../common/errno.error.js';
import { Clock } from '../infra/clock.js';
import { Exclusive } from '../infra/exclusive.js';
import { alone } from './busy.js';
import { KvStore } from '../infra/kv.store.js';
import { WindowCounter } from '../infra/window-counter.js';

export const LOGIN_RULES = {
  maxFailures: 5,
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
} as const;

interface Until {
  until: number;
}

/**
 * Per-account lockout (keyed by uid, which is never reused): 5 wrong passwords within 15 minutes
 * lock the account for 15 minutes, for every IP. Each attempt takes a slot before its password is
 * checked, under Exclusive, so that attempts at once on any instance cannot all be checked: at most
 * 5 wrong passwords are ever tried per window. Kept in the KvStore, shared by every instance.
 */
@Injectable()
export class LoginLimiter {
  private readonly attempts: WindowCounter;

  constructor(
    private readonly kv: KvStore,
    private readonly exclusive: Exclusive,
    private readonly clock: Clock,
  ) {
    this.attempts = new WindowCounter(kv, clock, LOGIN_RULES.windowMs);
  }

  /** 1005 when the account is locked or all of its attempts are taken; otherwise takes one. */
  async begin(uid: number): Promise<void> {
    await alone(this.exclusive, key.failures(uid), async () => {
      const lock = await this.kv.get<Until>(key.lock(uid));
      if (lock && lock.until > this.clock.now()) throw new ErrnoError(Errno.TooFrequent);
      if (!(await this.attempts.take(key.failures(uid), LOGIN_RULES.maxFailures))) throw new ErrnoError(Errno.TooFrequent);
    });
  }

  /** A wrong password keeps its slot; the one that fills the window locks the account. */
  async recordFailure(uid: number): Promise<void> {
    await alone(this.exclusive, key.failures(uid), async () => {
      if ((await this.attempts.count(key.failures(uid))) < LOGIN_RULES.maxFailures) return;
      await this.kv.set<Until>(key.lock(uid), { until: this.clock.now() + LOGIN_RULES.lockMs }, LOGIN_RULES.lockMs);
      await this.kv.del(key.failures(uid));
    });
  }

  /** A right password clears the window. */
  async reset(uid: number): Promise<void> {
    await alone(this.exclusive, key.failures(uid), () => this.kv.del(key.failures(uid)));
  }
}

const key = {
  failures: (uid: number) => `login-failures:${uid}`,
  lock: (uid: number) => `login-lock:${uid}`,
};
