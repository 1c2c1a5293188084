import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HealthRegistry, type HealthReport } from '../../infra/health.js';
import { MediaTools } from './media-tools.js';
import { VideoProcessor, type ProcessingStatus } from './video-processor.js';

/**
 * ffmpeg and the job engine. Without them the service still works (uploads wait or stay
 * unprocessed): reported, never unhealthy.
 */
@Injectable()
export class ProcessingHealth implements OnModuleInit {
  constructor(
    private readonly tools: MediaTools,
    private readonly processor: VideoProcessor,
    private readonly registry: HealthRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async check(): Promise<HealthReport> {
    const [ffmpeg, processing] = await Promise.all([
      this.tools.available().then((ok) => (ok ? 'up' : 'down')),
      this.processor.status().catch((): ProcessingStatus | null => null),
    ]);
    return { fields: { ffmpeg, processing }, healthy: true };
  }
}
