import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { createClient, type RedisClientType } from 'redis';
import { AppConfig } from '../config/app-config.js';
import { withTimeout } from './with-timeout.js';

const FIRST_CONNECT_WAIT_MS = 3000;

/**
 * The one Redis connection of this instance (codes, rate limits and sessions share it), or none
 * when REDIS_URL is unset. Commands fail at once while it is down instead of queueing.
 */
@Injectable()
export class RedisService implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisService.name);
  readonly client: RedisClientType | null;
  /**
   * The same client with every command bounded by CACHE_TIMEOUT_MS, for what a request waits on:
   * a Redis that accepts and never answers then fails the request (9999) instead of holding it.
   */
  readonly bounded: RedisClientType | null;
  private lastError = 0;

  constructor(config: AppConfig) {
    if (!config.redisUrl) {
      this.client = null;
      this.bounded = null;
      return;
    }
    this.client = createClient({
      url: config.redisUrl,
      disableOfflineQueue: true,
      socket: { connectTimeout: 2000, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2000) },
    });
    this.client.on('error', (error: Error) => {
      // A dead Redis reports every reconnect attempt: log at most one line every 10 s.
      if (Date.now() - this.lastError < 10_000) return;
      this.lastError = Date.now();
      this.logger.error(`Redis: ${error.message}`);
    });
    this.bounded = boundedCommands(this.client, config.cacheTimeoutMs);
  }

  /** Connects, waiting a little for a first answer; the app still starts (and reports down) without one. */
  async connect(): Promise<void> {
    if (!this.client || this.client.isOpen) return;
    const connected = this.client.connect().then(
      () => true,
      () => false,
    );
    const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), FIRST_CONNECT_WAIT_MS).unref());
    if (!(await Promise.race([connected, timeout]))) this.logger.error('Redis did not answer at start; retrying in the background');
  }

  get enabled(): boolean {
    return this.client !== null;
  }

  async ping(): Promise<boolean> {
    if (!this.client?.isReady) return false;
    try {
      return (await withTimeout(this.client.ping(), 1000)) === 'PONG';
    } catch {
      return false;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.client) return;
    if (this.client.isOpen) {
      await this.client.close();
      return;
    }
    try {
      this.client.destroy(); // stops the reconnect loop of a client that never connected
    } catch {
      // already closed
    }
  }
}

function boundedCommands(client: RedisClientType, ms: number): RedisClientType {
  return new Proxy(client, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const result: unknown = value.apply(target, args);
        return result instanceof Promise ? withTimeout(result, ms) : result;
      };
    },
  });
}
