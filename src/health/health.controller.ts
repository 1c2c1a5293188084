import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Errno, Success } from '../common/errno.js';
import { Reply } from '../common/reply.js';
import { ApiPublic } from '../common/swagger.js';
import { HealthRegistry } from '../infra/health.js';

@ApiTags('health')
@Controller('api/health')
export class HealthController {
  constructor(private readonly registry: HealthRegistry) {}

  @Get()
  @ApiPublic()
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
    // Each module reports its own dependencies (InfraHealth, ProcessingHealth).
    const { fields, healthy } = await this.registry.check();
    return new Reply(healthy ? Success.Ok : Errno.Internal, fields);
  }
}
