import { Injectable } from '@nestjs/common';
import { Errno } from '../common/errno.js';
import { ErrnoError } from '../common/errno.error.js';
import { Clock } from '../infra/clock.js';
import { KeyedLock } from '../infra/keyed-lock.js';
import { KvStore } from '../infra/kv.store.js';

export const LOGIN_RULES = {
  maxFailures: 5,
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
} as const;

interface Failures {
  count: number;
  startedAt: number;
}

/**
 * Per-account lockout (keyed by uid, which is never reused): 5 wrong passwords within 15 minutes lock the account for 15 minutes, for
 * every IP. Kept in the KvStore, so every instance sharing Redis sees the same lock.
 */
@Injectable()
export class LoginLimiter {
  private readonly lock = new KeyedLock();

  constructor(
    private readonly kv: KvStore,
    private readonly clock: Clock,
  ) {}

  async assertNotLocked(uid: number): Promise<void> {
    const lock = await this.kv.get<{ until: number }>(key.lock(uid));
    if (lock && lock.until > this.clock.now()) throw new ErrnoError(Errno.TooFrequent);
  }

  async recordFailure(uid: number): Promise<void> {
    await this.lock.run(String(uid), async () => {
      const now = this.clock.now();
      const previous = await this.kv.get<Failures>(key.failures(uid));
      const failures =
        previous && now - previous.startedAt < LOGIN_RULES.windowMs
          ? { count: previous.count + 1, startedAt: previous.startedAt }
          : { count: 1, startedAt: now };
      if (failures.count >= LOGIN_RULES.maxFailures) {
        await this.kv.set(key.lock(uid), { until: now + LOGIN_RULES.lockMs }, LOGIN_RULES.lockMs);
        await this.kv.del(key.failures(uid));
        return;
      }
      await this.kv.set(key.failures(uid), failures, LOGIN_RULES.windowMs - (now - failures.startedAt));
    });
  }

  async reset(uid: number): Promise<void> {
    await this.kv.del(key.failures(uid));
  }
}

const key = {
  failures: (uid: number) => `login-failures:${uid}`,
  lock: (uid: number) => `login-lock:${uid}`,
};
