import { createCache } from 'cache-manager';
import type { ErrnoEntry } from '../../src/common/errno.js';
import { ErrnoError } from '../../src/common/errno.error.js';
import { loadConfig, type AppConfig } from '../../src/config/app-config.js';
import { Clock } from '../../src/infra/clock.js';
import { Exclusive } from '../../src/infra/exclusive.js';
import { KvStore, memoryStore } from '../../src/infra/kv.store.js';
import { RedisService } from '../../src/infra/redis.service.js';

/** Fakes for unit and service specs: no network, no files, time that only moves when told. */

/** A config without Redis or SMTP; `DATA_DIR` is never written by the units that use it. */
export function unitConfig(env: Record<string, string> = {}): AppConfig {
  return loadConfig({ SESSION_SECRET: 'unit-test-secret-0123456789', DATA_DIR: '/tmp/ps-unit', ...env });
}

/** A clock that stands still until a test moves `time`. */
export class StepClock extends Clock {
  time = 1_700_000_000_000;
  override now(): number {
    return this.time;
  }
}

/** The KvStore on cache-manager in memory (what runs without Redis) and Exclusive with its in-process lock only. */
export function memoryKv(config: AppConfig): { kv: KvStore; exclusive: Exclusive } {
  const redis = new RedisService(config);
  return { kv: new KvStore(createCache({ stores: [memoryStore()] }), config, redis), exclusive: new Exclusive(redis, config) };
}

/** The errno a promise rejects with, or 'ok'; anything else than an ErrnoError is rethrown. */
export async function errnoOf(promise: Promise<unknown>): Promise<ErrnoEntry | 'ok'> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    if (error instanceof ErrnoError) return error.entry;
    throw error;
  }
}
