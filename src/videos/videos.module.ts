import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ProcessingModule } from './processing/processing.module.js';
import { TusController } from './tus/tus.controller.js';
import { TusUploads } from './tus/tus-uploads.js';
import { VideoIngest } from './video-ingest.js';
import { VideoUploadInterceptor } from './video-upload.interceptor.js';
import { Video } from './video.entity.js';
import { VideosController } from './videos.controller.js';
import { VideosService } from './videos.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Video]), ProcessingModule.forRole('api')],
  // TusController first: its routes are more specific than VideosController's `:id`.
  controllers: [TusController, VideosController],
  providers: [VideosService, VideoUploadInterceptor, VideoIngest, TusUploads],
  exports: [VideosService, ProcessingModule],
})
export class VideosModule {}
