import { Module } from '@nestjs/common';
import { foundation } from './foundation.js';
import { ProcessingModule } from './videos/processing/processing.module.js';

/** What a worker process needs: the configuration, the database, storage and the processing engine; no HTTP. */
@Module({
  imports: [...foundation, ProcessingModule.forRole('worker')],
})
export class WorkerModule {}
