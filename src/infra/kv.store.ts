import { CACHE_MANAGER, type Cache } from '@nestjs/cache-manager';
import { Inject, Injectable } from '@nestjs/common';
import type { Keyv } from 'keyv';
import { AppConfig } from '../config/app-config.js';
import { withTimeout } from './with-timeout.js';

/**
 * Short-lived state (codes, cooldowns, counters, marks) on cache-manager: in memory, or in Redis
 * when configured. Every call is bounded by CACHE_TIMEOUT_MS, so a dead Redis fails a request at
 * once (errno 9999) instead of hanging it.
 */
@Injectable()
export class KvStore {
  private readonly timeoutMs: number;

  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    config: AppConfig,
  ) {
    this.timeoutMs = config.cacheTimeoutMs;
  }

  /**
   * cache-manager's own `get` turns a store failure into a miss, which would read as "no code" or
   * "no cooldown"; reads go to the store so that a failure stays a failure.
   */
  async get<T>(key: string): Promise<T | undefined> {
    const store = this.cache.stores[0] as Keyv<T>;
    return withTimeout(store.get(key), this.timeoutMs);
  }

  async set<T>(key: string, value: T, ttlMs: number): Promise<void> {
    await withTimeout(this.cache.set(key, value, ttlMs), this.timeoutMs);
  }

  async del(key: string): Promise<void> {
    await withTimeout(this.cache.del(key), this.timeoutMs);
  }
}
