import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { typeOrmRoot } from './database/typeorm-options.js';
import { InfraModule } from './infra/infra.module.js';
import { loggerParams } from './infra/logging.js';
import { MetricsModule } from './infra/metrics.js';
import { ProcessingModule } from './videos/processing/processing.module.js';

/** What a worker process needs: the configuration, the database, storage and the processing engine; no HTTP. */
@Module({
  imports: [
    ConfigModule,
    LoggerModule.forRootAsync({ inject: [AppConfig], useFactory: loggerParams }),
    MetricsModule,
    TypeOrmModule.forRootAsync({ inject: [AppConfig], useFactory: typeOrmRoot }),
    InfraModule,
    ProcessingModule.forRole('worker'),
  ],
})
export class WorkerModule {}
