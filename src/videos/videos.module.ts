import { Module } from '@nestjs/common';
import { ProcessingModule } from './processing/processing.module.js';
import { TusController } from './tus/tus.controller.js';
import { TusUploads } from './tus/tus-uploads.js';
import { VideoIngest } from './video-ingest.js';
import { OwnerVideos } from './owner-videos.js';
import { VideoUploadInterceptor } from './video-upload.interceptor.js';
import { VideoRepository } from './video.repository.js';
import { VideosController } from './videos.controller.js';
import { VideosService } from './videos.service.js';

@Module({
  imports: [ProcessingModule.forRole('api')],
  // TusController first: its routes are more specific than VideosController's `:id`.
  controllers: [TusController, VideosController],
  providers: [VideosService, VideoUploadInterceptor, VideoIngest, TusUploads, { provide: OwnerVideos, useExisting: VideoRepository }],
  // OwnerVideos is the port AccountModule uses; nothing else of videos is visible outside.
  exports: [OwnerVideos],
})
export class VideosModule {}
