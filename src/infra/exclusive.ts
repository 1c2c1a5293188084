import { Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppConfig } from '../config/app-config.js';
import { KeyedLock } from './keyed-lock.js';
import { randomToken } from './random-token.js';
import { LockBusy, releaseLock } from './redis-lock.js';
import { RedisService } from './redis.service.js';

/**
 * Runs a read-check-write on one key (an email, an IP, an account) alone: within this process by a
 * KeyedLock, and across every instance sharing Redis by a `SET NX PX` lock on top. Only short work
 * belongs here (a few cache calls, each bounded by CACHE_TIMEOUT_MS), never a mail or a hash.
 * A key still taken after the wait throws LockBusy, which callers map to their answer.
 */
@Injectable()
export class Exclusive {
  private readonly local = new KeyedLock();
  /** A holder that died frees its key after this long. */
  private readonly holdMs: number;
  /** A waiter that cannot get the key this long gets LockBusy. */
  private readonly waitMs: number;

  constructor(
    private readonly redis: RedisService,
    config: AppConfig,
  ) {
    this.holdMs = 10 * config.cacheTimeoutMs;
    this.waitMs = 3 * config.cacheTimeoutMs;
  }

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    return this.local.run(key, () => (this.redis.bounded ? this.acrossInstances(this.redis.bounded, key, work) : work()));
  }

  /** `client`'s commands are bounded by CACHE_TIMEOUT_MS. */
  private async acrossInstances<T>(client: NonNullable<RedisService['bounded']>, key: string, work: () => Promise<T>): Promise<T> {
    const lockKey = `ps:lock:${key}`;
    const token = randomToken(12, 'hex');
    const release = () => releaseLock(client, lockKey, token);
    const deadline = Date.now() + this.waitMs;
    for (;;) {
      const taken = await client
        .set(lockKey, token, { condition: 'NX', expiration: { type: 'PX', value: this.holdMs } })
        .catch((error: unknown) => {
          // A stalled Redis may still take the lock later: the release, sent after it on the same
          // connection, then gives it back at once.
          release().catch(() => undefined);
          throw error;
        });
      if (taken === 'OK') break;
      if (Date.now() > deadline) throw new LockBusy(key);
      await sleep(2 + Math.random() * 8);
    }
    try {
      return await work();
    } finally {
      // Delete only our own lock; if this fails, it expires after holdMs.
      await release().catch(() => undefined);
    }
  }
}
