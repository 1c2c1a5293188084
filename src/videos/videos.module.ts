import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MediaTools } from './probe/media-tools.js';
import { VideoProcessor } from './probe/video-processor.js';
import { AppConfig } from '../config/app-config.js';
import { LocalDiskStorage } from './storage/local-disk.storage.js';
import { S3Storage } from './storage/s3.storage.js';
import { StorageService } from './storage/storage.service.js';
import { TusController } from './tus/tus.controller.js';
import { TusUploads } from './tus/tus-uploads.js';
import { VideoIngest } from './video-ingest.js';
import { VideoUploadInterceptor } from './video-upload.interceptor.js';
import { Video } from './video.entity.js';
import { VideosController } from './videos.controller.js';
import { VideosService } from './videos.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Video])],
  // TusController first: its routes are more specific than VideosController's `:id`.
  controllers: [TusController, VideosController],
  providers: [
    VideosService,
    VideoProcessor,
    MediaTools,
    VideoUploadInterceptor,
    VideoIngest,
    TusUploads,
    {
      provide: StorageService,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => (config.storage === 's3' ? new S3Storage(config) : new LocalDiskStorage(config)),
    },
  ],
  exports: [VideosService, StorageService, MediaTools],
})
export class VideosModule {}
