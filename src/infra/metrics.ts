import { Global, Injectable, Module } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { AppConfig } from '../config/app-config.js';
import { withTimeout } from './with-timeout.js';

export type LoginOutcome = 'success' | 'wrong_password' | 'locked' | 'unknown_account' | 'disabled' | 'error';

export interface QueueDepth {
  waiting: number;
  active: number;
}

/** A scrape never waits long on the queue (Redis may be down). */
const QUEUE_READ_MS = 1000;

/**
 * The process's Prometheus instruments, in a registry of its own (not prom-client's global one,
 * so that several apps in one process, as in the tests, never collide). Counting costs little;
 * whether anyone may read them is the `/metrics` endpoint's business.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  private readonly uploadBytes: Counter;
  private readonly jobDuration: Histogram<'outcome'>;
  private readonly logins: Counter<'outcome'>;
  private queueDepth?: () => Promise<QueueDepth>;

  constructor(config: AppConfig) {
    const registers = [this.registry];
    // Process metrics (CPU, memory, event loop lag) run a monitor: only when someone reads them.
    if (config.metrics) collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from a request arriving to its response ending, by route pattern (not the URL)',
      labelNames: ['method', 'route', 'status'],
      // Up to minutes: uploads and streams are requests too.
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120, 600],
      registers,
    });
    this.uploadBytes = new Counter({
      name: 'ps_upload_bytes_total',
      help: 'Bytes of accepted video uploads (multipart and tus), as stored',
      registers,
    });
    this.jobDuration = new Histogram({
      name: 'ps_processing_job_duration_seconds',
      help: 'Duration of processing runs in this process, by outcome',
      labelNames: ['outcome'],
      buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600],
      registers,
    });
    this.logins = new Counter({
      name: 'ps_logins_total',
      help: 'Login attempts by outcome',
      labelNames: ['outcome'],
      registers,
    });
    const read = () => this.queueDepth;
    new Gauge({
      name: 'ps_processing_jobs',
      help: 'Processing jobs waiting and running (BullMQ: the whole queue; in-process: this process)',
      labelNames: ['state'],
      registers,
      async collect() {
        this.reset();
        const depth = await withTimeout(read()?.() ?? Promise.resolve(null), QUEUE_READ_MS).catch(() => null);
        if (!depth) return;
        this.set({ state: 'waiting' }, depth.waiting);
        this.set({ state: 'active' }, depth.active);
      },
    });
  }

  /** Where the queue depth is read from at each scrape. */
  watchQueue(depth: () => Promise<QueueDepth>): void {
    this.queueDepth = depth;
  }

  countUpload(bytes: number): void {
    this.uploadBytes.inc(bytes);
  }

  countLogin(outcome: LoginOutcome): void {
    this.logins.inc({ outcome });
  }

  /** Times one processing run; the outcome (or `error` when it throws) labels it. */
  async timeJob<T extends string>(run: Promise<T>): Promise<T> {
    const end = this.jobDuration.startTimer();
    try {
      const outcome = await run;
      end({ outcome });
      return outcome;
    } catch (error) {
      end({ outcome: 'error' });
      throw error;
    }
  }

  /** The Prometheus text format. */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}

/** Global: the API, the worker and any feature count through the same instruments. */
@Global()
@Module({ providers: [Metrics], exports: [Metrics] })
export class MetricsModule {}
