import { Module, type DynamicModule } from '@nestjs/common';
import { getRepositoryToken, TypeOrmModule } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { AppConfig } from '../../config/app-config.js';
import { LocalDiskStorage } from '../storage/local-disk.storage.js';
import { S3Storage } from '../storage/s3.storage.js';
import { StorageService } from '../storage/storage.service.js';
import { Video } from '../video.entity.js';
import { BullmqProcessor } from './bullmq.processor.js';
import { InProcessProcessor } from './in-process.processor.js';
import { MediaTools } from './media-tools.js';
import { VideoPipeline } from './video-pipeline.js';
import { VideoProcessor } from './video-processor.js';

/** `api`: runs jobs only with PROCESSING=on; `worker` (npm run worker): always runs them, and polls the database often. */
export type ProcessingRole = 'api' | 'worker';

const API_POLL_MS = 5 * 60_000;
const WORKER_POLL_MS = 5_000;

/** Storage, the media tools, the pipeline and the engine that runs it: what both the API and a worker need. */
@Module({})
export class ProcessingModule {
  static forRole(role: ProcessingRole): DynamicModule {
    return {
      module: ProcessingModule,
      imports: [TypeOrmModule.forFeature([Video])],
      providers: [
        MediaTools,
        VideoPipeline,
        {
          provide: StorageService,
          inject: [AppConfig],
          useFactory: (config: AppConfig) => (config.storage === 's3' ? new S3Storage(config) : new LocalDiskStorage(config)),
        },
        {
          provide: VideoProcessor,
          inject: [getRepositoryToken(Video), VideoPipeline, AppConfig],
          useFactory: (videos: Repository<Video>, pipeline: VideoPipeline, config: AppConfig) => {
            const runsJobs = role === 'worker' || config.processing === 'on';
            return config.redisUrl
              ? new BullmqProcessor(videos, pipeline, config, runsJobs)
              : new InProcessProcessor(videos, pipeline, config, runsJobs, role === 'worker' ? WORKER_POLL_MS : API_POLL_MS);
          },
        },
      ],
      exports: [StorageService, MediaTools, VideoProcessor],
    };
  }
}
