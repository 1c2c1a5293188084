import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { coverVersion } from './video-covers.js';
import type { ProcessingStage, Video, VideoStatus } from './video.entity.js';
import { VISIBILITIES, type Visibility } from './video.rules.js';

/**
 * The contract's `video` object, defined once: this class is the OpenAPI schema `Video` (and so,
 * generated from openapi.json, the web client's type), and `toVideoResponse` is the only code
 * that makes one. A field added here without the mapper (or the other way round) does not compile.
 */

const EXAMPLE_ID = '9f1c2e7a4b5d6c8e0a1b';
const EXAMPLE_SET = `/api/videos/${EXAMPLE_ID}/renditions/3fa9c1d2e4b6`;

@ApiSchema({
  name: 'VideoPlayback',
  description: 'Web-safe renditions, once processing made them: an HLS ladder and a single H.264/AAC MP4 (faststart).',
})
export class VideoPlayback {
  @ApiProperty({ example: `${EXAMPLE_SET}/hls/master.m3u8` })
  hls_url!: string;

  @ApiProperty({ example: `${EXAMPLE_SET}/video.mp4` })
  mp4_url!: string;
}

@ApiSchema({ name: 'VideoProcessing', description: 'While status is processing: the stage and how far the whole run is.' })
export class VideoProcessing {
  @ApiProperty({
    enum: ['queued', 'probe', 'transcode', 'package', 'cover'],
    description: '`queued`: waiting for a worker (percent 0)',
  })
  stage!: ProcessingStage;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: 100, description: 'of the whole run' })
  percent!: number;
}

@ApiSchema({ name: 'Video', description: "The contract's `video` object." })
export class VideoResponse {
  @ApiProperty({ example: EXAMPLE_ID, pattern: '^[0-9a-f]{20}$' })
  id!: string;

  @ApiProperty({ type: 'integer', format: 'int64', example: 4821930571, description: "the owner's uid" })
  uid!: number;

  @ApiProperty({ example: '第一个视频' })
  title!: string;

  @ApiProperty({ example: '我的第一个视频' })
  description!: string;

  @ApiProperty({ type: 'integer', format: 'int64', example: 10485760, description: 'bytes of the original' })
  size!: number;

  @ApiProperty({ example: 'video/mp4', description: 'the type of the original, judged by its content' })
  mime!: string;

  @ApiProperty({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the original, hex' })
  sha256!: string;

  @ApiProperty({ type: 'number', nullable: true, example: 12.345, description: 'seconds; null until probed' })
  duration!: number | null;

  @ApiProperty({ type: 'integer', nullable: true, example: 1920, description: 'displayed width (rotation applied); null until probed' })
  width!: number | null;

  @ApiProperty({ type: 'integer', nullable: true, example: 1080, description: 'displayed height; null until probed' })
  height!: number | null;

  @ApiProperty({ type: String, nullable: true, example: 'h264', description: "the original's video codec" })
  codec!: string | null;

  @ApiProperty({ enum: ['processing', 'ready', 'failed'], description: 'processing → ready | failed' })
  status!: VideoStatus;

  @ApiProperty({ format: 'date-time', example: '2026-12-01T08:00:00.000Z' })
  created_at!: string;

  @ApiProperty({ example: `/api/videos/${EXAMPLE_ID}/stream`, description: 'the original bytes, as uploaded' })
  stream_url!: string;

  @ApiProperty({
    enum: VISIBILITIES,
    example: 'public',
    description:
      'public: listed in the space; unlisted: anyone with the id, listed only to its owner; private: its owner (and admins) only',
  })
  visibility!: Visibility;

  @ApiProperty({
    type: 'integer',
    minimum: 0,
    example: 42,
    description: 'views counted (POST …/view), as written to the database: may lag by up to one flush interval (VIEWS_FLUSH_MS)',
  })
  views!: number;

  @ApiProperty({ type: String, nullable: true, example: `/api/videos/${EXAMPLE_ID}/cover`, description: 'null until made' })
  cover_url!: string | null;

  @ApiProperty({ type: () => VideoPlayback, nullable: true, description: 'null until processing made renditions' })
  playback!: VideoPlayback | null;

  @ApiProperty({ type: () => VideoProcessing, nullable: true, description: 'only while status is processing, else null' })
  processing!: VideoProcessing | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description:
      'Only in answers to the owner (absent for anyone else): why processing failed, in a few English words; null unless failed.',
  })
  failure?: string | null;
}

/** The URL folder of the video's current renditions (`/api/videos/<id>/renditions/<attempt>`). */
function renditionsUrl(video: Pick<Video, 'id' | 'renditionKey'>): string | null {
  const attempt = video.renditionKey?.split('/')[2];
  return attempt ? `/api/videos/${video.id}/renditions/${attempt}` : null;
}

/** The public form of a video; `failure` only for its owner (`viewer`). */
export function toVideoResponse(video: Video, viewer?: number | null): VideoResponse {
  const renditions = renditionsUrl(video);
  return {
    id: video.id,
    uid: video.uid,
    title: video.title,
    description: video.description,
    size: video.size,
    mime: video.mime,
    sha256: video.sha256,
    duration: video.duration,
    width: video.width,
    height: video.height,
    codec: video.codec,
    status: video.status,
    created_at: video.createdAt.toISOString(),
    stream_url: `/api/videos/${video.id}/stream`,
    visibility: video.visibility,
    views: video.views,
    cover_url: video.coverKey ? `/api/videos/${video.id}/cover?v=${coverVersion(video.coverKey)}` : null,
    playback: renditions ? { hls_url: `${renditions}/hls/master.m3u8`, mp4_url: `${renditions}/video.mp4` } : null,
    processing: video.status === 'processing' ? { stage: video.stage ?? 'queued', percent: video.percent ?? 0 } : null,
    ...(viewer === video.uid ? { failure: video.status === 'failed' ? video.failure : null } : {}),
  };
}
