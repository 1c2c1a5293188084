import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { PreparedStatementsModule } from './database/prepared-statements.js';
import { typeOrmRoot } from './database/typeorm-options.js';
import { InfraModule } from './infra/infra.module.js';
import { loggerParams, RequestLog, RequestLogModule } from './infra/logging.js';
import { MetricsModule } from './infra/metrics.js';
import { SchedulingModule } from './infra/scheduling.module.js';

/** What every process starts with, the API (AppModule) and a worker (WorkerModule) alike. */
export const foundation = [
  ConfigModule,
  RequestLogModule,
  LoggerModule.forRootAsync({ inject: [RequestLog], useFactory: loggerParams }),
  MetricsModule,
  TypeOrmModule.forRootAsync({ inject: [AppConfig], useFactory: typeOrmRoot }),
  PreparedStatementsModule,
  InfraModule,
  // ScheduleModule.forRoot(): the periodic timers of both roles, stopped at shutdown.
  SchedulingModule,
];
