import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { EnvelopeAdapter } from './common/http/envelope.adapter.js';
import { AppConfig } from './config/app-config.js';
import { configureApp } from './setup.js';
import { shutDown } from './shutdown.js';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, new EnvelopeAdapter(), {
    bodyParser: false,
    abortOnError: false,
    bufferLogs: true,
  });
  configureApp(app);
  const config = app.get(AppConfig);
  await app.listen(config.port);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      shutDown(app, config.shutdownTimeoutMs, signal).then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(error);
          process.exit(1);
        },
      );
    });
  }
  Logger.log(`个人空间 listening on http://localhost:${config.port} (API docs: /api/docs)`, 'Bootstrap');
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
