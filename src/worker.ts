import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import { AppConfig } from './config/app-config.js';
import { WorkerModule } from './worker.module.js';

/** `npm run worker`: runs processing jobs only (BullMQ with REDIS_URL, else the database backlog). */
async function bootstrap(): Promise<void> {
  const app = await NestFactory.createApplicationContext(WorkerModule, { abortOnError: false, bufferLogs: true });
  app.useLogger(app.get(PinoLogger));
  app.flushLogs();
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  const config = app.get(AppConfig);
  Logger.log(
    `个人空间 worker running ${config.processingConcurrency} job(s) at once from ${config.redisUrl ? 'BullMQ (Redis)' : 'the database'}`,
    'Bootstrap',
  );
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
