import KeyvRedis from '@keyv/redis';
import { CacheModule } from '@nestjs/cache-manager';
import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Keyv } from 'keyv';
import { AppConfig } from '../config/app-config.js';
import { Clock } from './clock.js';
import { Exclusive } from './exclusive.js';
import { HealthRegistry } from './health.js';
import { InfraHealth } from './infra.health.js';
import { KvStore, memoryStore } from './kv.store.js';
import { RedisModule } from './redis.module.js';
import { RedisService } from './redis.service.js';
import { LocalDiskStorage } from './storage/local-disk.storage.js';
import { S3Storage } from './storage/s3.storage.js';
import { StoragePurge, StoragePurger } from './storage/storage-purge.js';
import { StorageService } from './storage/storage.service.js';

const NAMESPACE = 'ps';

/** Shared infrastructure, knowing no feature: the clock, Redis (if any), the KvStore, locks, storage and its purge job, health. */
@Global()
@Module({
  imports: [
    RedisModule,
    TypeOrmModule.forFeature([StoragePurge]),
    CacheModule.registerAsync({
      imports: [RedisModule],
      inject: [RedisService],
      useFactory: async (redis: RedisService) => {
        await redis.connect();
        const store = redis.client
          ? new Keyv({
              store: new KeyvRedis(redis.client, { namespace: NAMESPACE, throwOnErrors: true, throwOnConnectError: false }),
              namespace: NAMESPACE,
              throwOnErrors: true,
              useKeyPrefix: false,
            })
          : memoryStore();
        return { stores: [store] };
      },
    }),
  ],
  providers: [
    Clock,
    KvStore,
    Exclusive,
    HealthRegistry,
    InfraHealth,
    StoragePurger,
    {
      provide: StorageService,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => (config.storage === 's3' ? new S3Storage(config) : new LocalDiskStorage(config)),
    },
  ],
  exports: [Clock, KvStore, Exclusive, HealthRegistry, StorageService, StoragePurger, RedisModule],
})
export class InfraModule {}
