import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { HealthRegistry, type HealthReport } from './health.js';
import { RedisService } from './redis.service.js';
import { StorageService } from './storage/storage.service.js';
import { withTimeout } from './with-timeout.js';

type State = 'up' | 'down';

/** The database, Redis (`off` without REDIS_URL) and storage: without any of them the service fails. */
@Injectable()
export class InfraHealth implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly redis: RedisService,
    private readonly storage: StorageService,
    private readonly registry: HealthRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async check(): Promise<HealthReport> {
    const [db, redis, storage] = await Promise.all([
      this.database(),
      this.redisState(),
      this.storage.isWritable().then((ok): State => (ok ? 'up' : 'down')),
    ]);
    return { fields: { db, redis, storage }, healthy: db === 'up' && redis !== 'down' && storage === 'up' };
  }

  private async database(): Promise<State> {
    try {
      await withTimeout(this.dataSource.query('SELECT 1'), 2000);
      return 'up';
    } catch {
      return 'down';
    }
  }

  private async redisState(): Promise<State | 'off'> {
    if (!this.redis.enabled) return 'off';
    return (await this.redis.ping()) ? 'up' : 'down';
  }
}
