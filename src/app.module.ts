import { Module, RequestMethod, ValidationPipe, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { foundation } from './foundation.js';
import { AccountPortsModule } from './account/account-ports.js';
import { AccountModule } from './account/account.module.js';
import { Errno } from './common/errno.js';
import { ErrnoError } from './common/errno.error.js';
import { ErrnoFilter } from './common/http/errno.filter.js';
import { requestParsers } from './common/http/request-params.js';
import { HealthController } from './health/health.controller.js';
import { MetricsController } from './health/metrics.controller.js';
import { SessionModule } from './session/session.module.js';
import { VideosModule } from './videos/videos.module.js';

@Module({
  imports: [...foundation, SessionModule, AccountPortsModule, AccountModule, VideosModule],
  controllers: [HealthController, MetricsController],
  providers: [
    { provide: APP_FILTER, useClass: ErrnoFilter },
    {
      provide: APP_PIPE,
      useValue: new ValidationPipe({
        whitelist: true,
        transform: true,
        exceptionFactory: () => new ErrnoError(Errno.BadRequest),
      }),
    },
  ],
})
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // Uploads stream their own bodies (VideoUploadInterceptor, tus).
    consumer
      .apply(requestParsers())
      .exclude(
        { path: 'api/videos/video_upload', method: RequestMethod.POST },
        { path: 'api/account/avatar', method: RequestMethod.POST },
        { path: 'api/videos/:id/cover', method: RequestMethod.POST },
        { path: 'api/videos/tus{/*rest}', method: RequestMethod.ALL },
      )
      .forRoutes('*path');
    // A cover is a form parameter (`at`) or a multipart image that the handler streams itself.
    consumer.apply(requestParsers({ multipart: false })).forRoutes({ path: 'api/videos/:id/cover', method: RequestMethod.POST });
  }
}
