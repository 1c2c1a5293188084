import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { AppConfig } from './config/app-config.js';
import { configureApp } from './setup.js';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bodyParser: false, abortOnError: false });
  configureApp(app);
  const config = app.get(AppConfig);
  await app.listen(config.port);
  // SIGTERM: Nest stops accepting and closes every module once the requests in flight are done
  // (enableShutdownHooks); past SHUTDOWN_TIMEOUT_MS their connections are cut so that it ends.
  process.once('SIGTERM', () => {
    Logger.log(`SIGTERM: finishing requests in flight (at most ${config.shutdownTimeoutMs} ms)`, 'Bootstrap');
    setTimeout(() => app.getHttpServer().closeAllConnections(), config.shutdownTimeoutMs).unref();
  });
  Logger.log(`个人空间 listening on http://localhost:${config.port} (API docs: /api/docs)`, 'Bootstrap');
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
