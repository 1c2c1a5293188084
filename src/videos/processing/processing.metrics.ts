import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Metrics } from '../../infra/metrics.js';
import { VideoProcessor } from './video-processor.js';

/** The job engine's queue depth, read at each scrape of /metrics. */
@Injectable()
export class ProcessingMetrics implements OnModuleInit {
  constructor(
    private readonly processor: VideoProcessor,
    private readonly metrics: Metrics,
  ) {}

  onModuleInit(): void {
    this.metrics.watchQueue(() => this.processor.status());
  }
}
