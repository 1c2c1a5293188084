import { Module } from '@nestjs/common';
import { ProcessingModule } from './processing/processing.module.js';
import { TusController } from './tus/tus.controller.js';
import { TusUploads } from './tus/tus-uploads.js';
import { OwnerToolsController } from './owner-tools.controller.js';
import { VideoCovers } from './video-covers.js';
import { VideoIngest } from './video-ingest.js';
import { OwnerVideos } from './owner-videos.js';
import { UploadSpace } from './quota/upload-space.js';
import { VideoUploadInterceptor } from './video-upload.interceptor.js';
import { VideoRepository } from './video.repository.js';
import { VideosController } from './videos.controller.js';
import { VideosService } from './videos.service.js';
import { ViewCounter } from './views/view-counter.js';
import { ViewsController } from './views/views.controller.js';

@Module({
  imports: [ProcessingModule.forRole('api')],
  // TusController and OwnerToolsController first: their routes are more specific than VideosController's `:id`.
  controllers: [TusController, OwnerToolsController, VideosController, ViewsController],
  providers: [
    VideoCovers,
    VideosService,
    ViewCounter,
    VideoUploadInterceptor,
    VideoIngest,
    UploadSpace,
    TusUploads,
    { provide: OwnerVideos, useExisting: VideoRepository },
  ],
  // OwnerVideos is the port AccountModule uses; nothing else of videos is visible outside.
  exports: [OwnerVideos],
})
export class VideosModule {}
