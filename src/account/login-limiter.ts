import { Injectable } from '@nestjs/common';
import { Errno } from '../common/errno.js';
import { ErrnoError } from '../common/errno.error.js';
import { Clock } from '../infra/clock.js';
import { Exclusive } from '../infra/exclusive.js';
import { KvStore } from '../infra/kv.store.js';

export const LOGIN_RULES = {
  maxFailures: 5,
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
} as const;

interface Attempts {
  count: number;
  startedAt: number;
}

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
  constructor(
    private readonly kv: KvStore,
    private readonly exclusive: Exclusive,
    private readonly clock: Clock,
  ) {}

  /** 1005 when the account is locked or all of its attempts are taken; otherwise takes one. */
  async begin(uid: number): Promise<void> {
    await this.exclusive.run(key.failures(uid), async () => {
      const now = this.clock.now();
      const [lock, previous] = await Promise.all([this.kv.get<Until>(key.lock(uid)), this.kv.get<Attempts>(key.failures(uid))]);
      if (lock && lock.until > now) throw new ErrnoError(Errno.TooFrequent);
      const attempts = previous && now - previous.startedAt < LOGIN_RULES.windowMs ? previous : { count: 0, startedAt: now };
      if (attempts.count >= LOGIN_RULES.maxFailures) throw new ErrnoError(Errno.TooFrequent);
      const taken = { ...attempts, count: attempts.count + 1 };
      await this.kv.set(key.failures(uid), taken, LOGIN_RULES.windowMs - (now - taken.startedAt));
    });
  }

  /** A wrong password keeps its slot; the one that fills the window locks the account. */
  async recordFailure(uid: number): Promise<void> {
    await this.exclusive.run(key.failures(uid), async () => {
      const now = this.clock.now();
      const attempts = await this.kv.get<Attempts>(key.failures(uid));
      if (!attempts || attempts.count < LOGIN_RULES.maxFailures) return;
      await this.kv.set<Until>(key.lock(uid), { until: now + LOGIN_RULES.lockMs }, LOGIN_RULES.lockMs);
      await this.kv.del(key.failures(uid));
    });
  }

  /** A right password clears the window. */
  async reset(uid: number): Promise<void> {
    await this.exclusive.run(key.failures(uid), () => this.kv.del(key.failures(uid)));
  }
}

const key = {
  failures: (uid: number) => `login-failures:${uid}`,
  lock: (uid: number) => `login-lock:${uid}`,
};
