import type { Lock, Locker, RequestRelease } from '@tus/server';
import type { RedisClientType } from 'redis';
import { randomToken } from '../../infra/random-token.js';
import { releaseLock } from '../../infra/redis-lock.js';

const TTL_MS = 30_000;
const POLL_MS = 100;

/**
 * tus upload locks shared by every instance: `SET key token NX PX`, kept alive while held and
 * released only by its holder. A holder in this process is asked to let go (tus's cancelReq)
 * when another request here wants the lock; one elsewhere lets go when its request ends or its
 * lock expires (a dead connection holds an upload for at most TTL_MS).
 */
export class RedisLocker implements Locker {
  /** Holders in this process, to ask them to release. */
  readonly holders = new Map<string, RequestRelease>();

  constructor(private readonly client: RedisClientType) {}

  newLock(id: string): Lock {
    return new RedisLock(this, this.client, id);
  }
}

class RedisLock implements Lock {
  private readonly key: string;
  private readonly token = randomToken(12, 'hex');
  private refresh?: NodeJS.Timeout;

  constructor(
    private readonly locker: RedisLocker,
    private readonly client: RedisClientType,
    id: string,
  ) {
    this.key = `ps:tus-lock:${id}`;
  }

  async lock(signal: AbortSignal, cancelReq: RequestRelease): Promise<void> {
    for (;;) {
      if (signal.aborted) throw new Error('lock wait aborted');
      if ((await this.client.set(this.key, this.token, { condition: 'NX', expiration: { type: 'PX', value: TTL_MS } })) === 'OK') break;
      await this.locker.holders.get(this.key)?.();
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    this.locker.holders.set(this.key, cancelReq);
    this.refresh = setInterval(() => void this.client.pExpire(this.key, TTL_MS).catch(() => undefined), TTL_MS / 3);
    this.refresh.unref();
  }

  async unlock(): Promise<void> {
    clearInterval(this.refresh);
    this.locker.holders.delete(this.key);
    await releaseLock(this.client, this.key, this.token);
  }
}
