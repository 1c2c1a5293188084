import { CACHE_MANAGER, type Cache } from '@nestjs/cache-manager';
import { Inject, Injectable } from '@nestjs/common';
import type { Keyv } from 'keyv';
import { AppConfig } from '../config/app-config.js';
import { withTimeout } from './with-timeout.js';

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
  ) {
    this.bounded = config.redisUrl ? (call) => withTimeout(call, config.cacheTimeoutMs) : (call) => call;
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
