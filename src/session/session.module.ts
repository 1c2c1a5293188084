import { Inject, Module, type MiddlewareConsumer, type NestModule, type OnApplicationShutdown } from '@nestjs/common';
import { getRepositoryToken, TypeOrmModule } from '@nestjs/typeorm';
import { RedisStore } from 'connect-redis';
import session, { type Store } from 'express-session';
import passport from 'passport';
import type { Repository } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { RedisService } from '../infra/redis.service.js';
import { SessionRecord } from './session.entity.js';
import { TypeormSessionStore } from './typeorm-session.store.js';

export const SESSION_COOKIE = 'ps.sid';
const SESSION_TTL_MS = 7 * 24 * 60 * 60_000;
const SESSION_STORE = Symbol('SESSION_STORE');

/** Cookie sessions (7 days, rolling) in Redis when configured, else in the database; passport on top. */
@Module({
  imports: [TypeOrmModule.forFeature([SessionRecord])],
  providers: [
    {
      provide: SESSION_STORE,
      inject: [RedisService, getRepositoryToken(SessionRecord)],
      useFactory: (redis: RedisService, records: Repository<SessionRecord>): Store =>
        redis.bounded ? new RedisStore({ client: redis.bounded, prefix: 'ps:sess:' }) : new TypeormSessionStore(records, SESSION_TTL_MS),
    },
  ],
})
export class SessionModule implements NestModule, OnApplicationShutdown {
  constructor(
    @Inject(SESSION_STORE) private readonly store: Store,
    private readonly config: AppConfig,
  ) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(
        session({
          name: SESSION_COOKIE,
          secret: this.config.sessionSecret,
          store: this.store,
          resave: false,
          saveUninitialized: false,
          rolling: true,
          proxy: this.config.trustProxy,
          cookie: { httpOnly: true, sameSite: 'lax', secure: this.config.cookieSecure, maxAge: SESSION_TTL_MS, path: '/' },
        }),
        passport.initialize(),
        passport.session(),
      )
      .forRoutes('*path');
  }

  onApplicationShutdown(): void {
    if (this.store instanceof TypeormSessionStore) this.store.close();
  }
}
