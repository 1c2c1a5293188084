import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { buildDataSourceOptions } from './database/typeorm-options.js';
import { InfraModule } from './infra/infra.module.js';
import { ProcessingModule } from './videos/processing/processing.module.js';

/** What a worker process needs: the configuration, the database, storage and the processing engine; no HTTP. */
@Module({
  imports: [
    ConfigModule,
    TypeOrmModule.forRootAsync({ inject: [AppConfig], useFactory: buildDataSourceOptions }),
    InfraModule,
    ProcessingModule.forRole('worker'),
  ],
})
export class WorkerModule {}
