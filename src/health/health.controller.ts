import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Errno, Success } from '../common/errno.js';
import { Reply } from '../common/reply.js';
import { RedisService } from '../infra/redis.service.js';
import { withTimeout } from '../infra/with-timeout.js';
import { MediaTools } from '../videos/processing/media-tools.js';
import { VideoProcessor, type ProcessingStatus } from '../videos/processing/video-processor.js';
import { StorageService } from '../videos/storage/storage.service.js';

type State = 'up' | 'down';

@ApiTags('health')
@Controller('api/health')
export class HealthController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly redis: RedisService,
    private readonly storage: StorageService,
    private readonly tools: MediaTools,
    private readonly processor: VideoProcessor,
  ) {}

  @Get()
  @ApiOperation({ summary: '健康检查 (each dependency: up, down, or off when not configured)' })
  @ApiOkResponse({
    description: 'errno 0 when every configured dependency is up, else 9999 with the same fields.',
    schema: {
      type: 'object',
      properties: {
        errno: { type: 'integer', enum: [0, 9999] },
        msg: { type: 'string', example: 'ok' },
        db: { type: 'string', enum: ['up', 'down'] },
        redis: { type: 'string', enum: ['up', 'down', 'off'] },
        storage: { type: 'string', enum: ['up', 'down'] },
        ffmpeg: { type: 'string', enum: ['up', 'down'], description: 'down: videos are stored but not processed (status failed)' },
        processing: {
          type: 'object',
          nullable: true,
          description: 'The job engine (null when its queue cannot be read): jobs waiting and running, workers alive.',
          properties: {
            engine: { type: 'string', enum: ['bullmq', 'in-process'] },
            local_worker: { type: 'boolean', description: 'whether this process runs jobs' },
            waiting: { type: 'integer' },
            active: { type: 'integer' },
            workers: { type: 'integer' },
          },
        },
      },
    },
  })
  async health(): Promise<Reply> {
    const [db, redis, storage, ffmpeg, processing] = await Promise.all([
      this.database(),
      this.redisState(),
      this.storage.isWritable().then((ok): State => (ok ? 'up' : 'down')),
      this.tools.available().then((ok): State => (ok ? 'up' : 'down')),
      this.processor.status().catch((): ProcessingStatus | null => null),
    ]);
    // Without ffmpeg or workers the service still works (uploads wait or stay unprocessed): reported, not unhealthy.
    const healthy = db === 'up' && redis !== 'down' && storage === 'up';
    return new Reply(healthy ? Success.Ok : Errno.Internal, { db, redis, storage, ffmpeg, processing });
  }

  private async database(): Promise<State> {
    try {
      await withTimeout(this.dataSource.query('SELECT 1'), 2000);
      return 'up';
    } catch {
      return 'down';
    }
  }

  private async redisState(): Promise<State | 'off'> {
    if (!this.redis.enabled) return 'off';
    return (await this.redis.ping()) ? 'up' : 'down';
  }
}
