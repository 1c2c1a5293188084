import type { RedisClientType } from 'redis';

/** Deletes the lock only if it is still ours (it may have expired and been taken since). */
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";

/** Releases a `SET key token NX PX` lock taken by `token`: the one release used by every Redis lock here. */
export function releaseLock(client: RedisClientType, key: string, token: string): Promise<unknown> {
  return client.eval(RELEASE, { keys: [key], arguments: [token] });
}

/** A lock could not be taken in time; what it means to a client is the caller's to say. */
export class LockBusy extends Error {
  constructor(readonly key: string) {
    super(`lock busy: ${key}`);
    this.name = 'LockBusy';
  }
}
