import { createKeyv } from '@cacheable/memory';
import KeyvRedis from '@keyv/redis';
import { CacheModule } from '@nestjs/cache-manager';
import { Global, Module } from '@nestjs/common';
import { Keyv } from 'keyv';
import { Clock } from './clock.js';
import { Exclusive } from './exclusive.js';
import { KvStore } from './kv.store.js';
import { RedisModule } from './redis.module.js';
import { RedisService } from './redis.service.js';

const NAMESPACE = 'ps';

/** Shared infrastructure: the clock, the Redis connection (if any) and the cache-backed KvStore. */
@Global()
@Module({
  imports: [
    RedisModule,
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
          : createKeyv({ checkInterval: 60_000 });
        return { stores: [store] };
      },
    }),
  ],
  providers: [Clock, KvStore, Exclusive],
  exports: [Clock, KvStore, Exclusive, RedisModule],
})
export class InfraModule {}
