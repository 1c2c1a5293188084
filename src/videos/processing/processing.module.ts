import { Module, type DynamicModule } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../../config/app-config.js';
import { Video } from '../video.entity.js';
import { VideoRepository } from '../video.repository.js';
import { BullmqProcessor } from './bullmq.processor.js';
import { InProcessProcessor } from './in-process.processor.js';
import { MediaTools } from './media-tools.js';
import { ProcessingHealth } from './processing.health.js';
import { ProcessingMetrics } from './processing.metrics.js';
import { VideoPipeline } from './video-pipeline.js';
import { VideoProcessor } from './video-processor.js';

/** `api`: runs jobs only with PROCESSING=on; `worker` (npm run worker): always runs them, and polls the database often. */
export type ProcessingRole = 'api' | 'worker';

const API_POLL_MS = 5 * 60_000;
const WORKER_POLL_MS = 5_000;

/** The videos table, the media tools, the pipeline and the engine that runs it: what both the API and a worker need. */
@Module({})
export class ProcessingModule {
  static forRole(role: ProcessingRole): DynamicModule {
    return {
      module: ProcessingModule,
      imports: [TypeOrmModule.forFeature([Video])],
      providers: [
        VideoRepository,
        MediaTools,
        VideoPipeline,
        ProcessingHealth,
        ProcessingMetrics,
        {
          provide: VideoProcessor,
          inject: [VideoRepository, VideoPipeline, AppConfig, SchedulerRegistry],
          useFactory: (videos: VideoRepository, pipeline: VideoPipeline, config: AppConfig, schedule: SchedulerRegistry) => {
            const runsJobs = role === 'worker' || config.processing === 'on';
            return config.redisUrl
              ? new BullmqProcessor(videos, pipeline, config, runsJobs)
              : new InProcessProcessor(videos, pipeline, config, runsJobs, role === 'worker' ? WORKER_POLL_MS : API_POLL_MS, schedule);
          },
        },
      ],
      exports: [VideoRepository, MediaTools, VideoPipeline, VideoProcessor],
    };
  }
}
