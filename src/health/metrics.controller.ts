import { Controller, Get, Headers, NotFoundException, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Errno } from '../common/errno.js';
import { ErrnoError } from '../common/errno.error.js';
import { AppConfig } from '../config/app-config.js';
import { Metrics } from '../infra/metrics.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Prometheus scrapes `/metrics` (outside /api: not part of the contract, not in the OpenAPI
 * document). Off unless METRICS=on or a METRICS_TOKEN is set: then an unknown route (9404).
 */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  private readonly token: Buffer | null;

  constructor(
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {
    this.token = config.metricsToken ? digest(config.metricsToken) : null;
  }

  @Get()
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    if (!this.config.metrics) throw new NotFoundException();
    if (this.token && !this.authorized(authorization)) {
      throw new ErrnoError(Errno.LoginRequired, 401, { 'WWW-Authenticate': 'Bearer realm="metrics"' });
    }
    response.setHeader('Content-Type', this.metrics.registry.contentType);
    response.setHeader('Cache-Control', 'no-store');
    return this.metrics.render();
  }

  private authorized(authorization: string | undefined): boolean {
    const given = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    // Digests of equal length: the comparison takes the same time whatever was sent.
    return given !== undefined && timingSafeEqual(digest(given), this.token!);
  }
}
