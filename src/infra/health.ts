import { Injectable } from '@nestjs/common';

/** One module's part of /api/health: its fields, and whether the service can work without it. */
export interface HealthReport {
  fields: Record<string, unknown>;
  healthy: boolean;
}

/** What a module's health provider implements; it registers itself with HealthRegistry. */
export interface HealthIndicator {
  check(): Promise<HealthReport>;
}

/** The modules' indicators, asked in the order they registered (modules initialise dependencies first). */
@Injectable()
export class HealthRegistry {
  private readonly indicators: HealthIndicator[] = [];

  register(indicator: HealthIndicator): void {
    this.indicators.push(indicator);
  }

  async check(): Promise<HealthReport> {
    const reports = await Promise.all(this.indicators.map((indicator) => indicator.check()));
    return {
      fields: Object.assign({}, ...reports.map((report) => report.fields)) as Record<string, unknown>,
      healthy: reports.every((report) => report.healthy),
    };
  }
}
