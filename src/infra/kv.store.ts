import { createKeyv } from '@cacheable/memory';
import { CACHE_MANAGER, type Cache } from '@nestjs/cache-manager';
import { Inject, Injectable } from '@nestjs/common';
import type { Keyv } from 'keyv';
import { AppConfig } from '../config/app-config.js';
import { RedisService } from './redis.service.js';
import { withTimeout } from './with-timeout.js';

/**
 * The store without Redis: one Map rather than cacheable's 16 shards (a shard is chosen by hashing
 * the key, djb2, a cost on every get and set that buys nothing in one process), and no copy on each
 * get (structuredClone: about 3 % of a login): KvStore hands its values out read-only.
 */
export function memoryStore(): Keyv {
  return createKeyv({ checkInterval: 60_000, storeHashSize: 1, useClone: false });
}

/** A value as `get` hands it out: never changed in place (a new value is `set`). */
export type Stored<T> = T extends object ? { readonly [K in keyof T]: Stored<T[K]> } : T;

/**
 * Short-lived state (codes, cooldowns, counters, marks) on cache-manager: in memory, or in Redis
 * when configured. Every call to Redis is bounded by CACHE_TIMEOUT_MS, so a dead Redis fails a
 * request at once (errno 9999) instead of hanging it (a Map cannot hang: no timer). In memory a
 * value is kept as it was set and `get` hands out that very object, not a copy: read-only, and a
 * value once set is not changed by its caller either.
 */
@Injectable()
export class KvStore {
  private readonly bounded: <T>(call: Promise<T>) => Promise<T>;

  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    config: AppConfig,
    redis: RedisService,
  ) {
    this.bounded = redis.enabled ? (call) => withTimeout(call, config.cacheTimeoutMs) : (call) => call;
  }

  /**
   * cache-manager's own `get` turns a store failure into a miss, which would read as "no code" or
   * "no cooldown"; reads go to the store so that a failure stays a failure.
   */
  async get<T>(key: string): Promise<Stored<T> | undefined> {
    const store = this.cache.stores[0] as Keyv<Stored<T>>;
    return this.bounded(store.get(key));
  }

  async set<T>(key: string, value: T, ttlMs: number): Promise<void> {
    await this.bounded(this.cache.set(key, value, ttlMs));
  }

  async del(key: string): Promise<void> {
    await this.bounded(this.cache.del(key));
  }
}
