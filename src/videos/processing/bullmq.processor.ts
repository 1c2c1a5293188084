import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { Queue, Worker, type Job } from 'bullmq';
import type { AppConfig } from '../../config/app-config.js';
import { withTimeout } from '../../infra/with-timeout.js';
import { newRun } from '../video.entity.js';
import type { VideoRepository } from '../video.repository.js';
import type { VideoPipeline } from './video-pipeline.js';
import { VideoProcessor, type ProcessingStatus } from './video-processor.js';

const QUEUE_NAME = 'video-processing';
const ATTEMPTS = 4;
/** How often rows in `processing` are checked for a job (a hand-over lost while Redis was away). */
const RECOVER_EVERY_MS = 60_000;
/** Every process with Redis runs it, API and worker alike: any of them may have lost a hand-over. */
export const BULLMQ_RECOVER = 'bullmq-recover';
const RECOVER_BATCH = 500;
const ENQUEUE_TIMEOUT_MS = 2000;

interface ProcessJob {
  videoId: string;
  run: string;
}

/** One job per processing run: the same run is never queued twice, a new run (reprocess) is a new job. */
const jobIdOf = (videoId: string, run: string) => `${videoId}-${run}`;

/**
 * A lasting 'error' listener on a BullMQ connection's ioredis client. Closing a queue or worker
 * takes BullMQ's own listener off the client; a reply that arrives after that (Redis stalled, the
 * command already timed out) makes ioredis emit 'error' with nobody listening, which throws out of
 * its socket handler and takes the process down. Until close, BullMQ reports the same errors
 * through the listeners above.
 */
function quietAfterClose(client: Promise<{ on(event: 'error', listener: () => void): unknown }>): void {
  client.then(
    (redis) => redis.on('error', () => undefined),
    () => undefined,
  );
}

/**
 * The BullMQ engine (with REDIS_URL): one job per video run; retries with exponential backoff
 * for failures that are not the file's (storage, database); a job whose worker died is taken
 * over once its lock expires (stalled-job recovery); progress on the job and on the row;
 * finished jobs trimmed. Any process may enqueue; those with a worker (PROCESSING=on, or
 * `npm run worker`) also run jobs.
 */
export class BullmqProcessor extends VideoProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(BullmqProcessor.name);
  private readonly queue: Queue<ProcessJob>;
  private worker: Worker<ProcessJob> | null = null;
  private readonly stopping = new AbortController();
  private recovering: Promise<void> = Promise.resolve();

  constructor(
    private readonly videos: VideoRepository,
    private readonly pipeline: VideoPipeline,
    private readonly config: AppConfig,
    private readonly runsJobs: boolean,
  ) {
    super();
    this.queue = new Queue<ProcessJob>(QUEUE_NAME, {
      // Fail fast while Redis is away: the row stays `processing` and `recover` enqueues it later.
      connection: { url: config.redisUrl, enableOfflineQueue: false, maxRetriesPerRequest: 1 },
      prefix: config.queuePrefix,
      defaultJobOptions: {
        attempts: ATTEMPTS,
        backoff: { type: 'exponential', delay: 5000 },
        removeOnComplete: { age: 24 * 3600, count: 1000 },
        removeOnFail: { age: 7 * 24 * 3600 },
      },
    });
    this.queue.on('error', (error) => this.logger.warn(`queue: ${error.message}`));
    quietAfterClose(this.queue.backend.client);
  }

  onApplicationBootstrap(): void {
    if (this.runsJobs) {
      this.worker = new Worker<ProcessJob>(QUEUE_NAME, (job) => this.process(job), {
        connection: { url: this.config.redisUrl, maxRetriesPerRequest: null },
        prefix: this.config.queuePrefix,
        concurrency: this.config.processingConcurrency,
        lockDuration: this.config.processingLockMs,
        stalledInterval: Math.max(1000, Math.floor(this.config.processingLockMs / 2)),
        maxStalledCount: 2,
      });
      this.worker.on('failed', (job, error) => void this.onFailed(job, error));
      this.worker.on('error', (error) => this.logger.warn(`worker: ${error.message}`));
      quietAfterClose(this.worker.backend.client);
      const blocking = this.worker.backend.blockingClient;
      if (blocking) quietAfterClose(blocking);
    }
    this.recovering = this.recover();
  }

  async submit(videoId: string, run: string): Promise<void> {
    try {
      await withTimeout(this.queue.add('process', { videoId, run }, { jobId: jobIdOf(videoId, run) }), ENQUEUE_TIMEOUT_MS);
    } catch (error) {
      this.logger.warn(`Video ${videoId} not queued yet (${(error as Error).message}); it will be`);
    }
  }

  async idle(): Promise<void> {
    await this.recovering;
    for (;;) {
      const counts = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      if (Object.values(counts).every((count) => count === 0)) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async status(): Promise<ProcessingStatus> {
    const [counts, workers] = await Promise.all([
      withTimeout(this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized'), ENQUEUE_TIMEOUT_MS),
      withTimeout(this.queue.getWorkersCount(), ENQUEUE_TIMEOUT_MS),
    ]);
    return {
      engine: 'bullmq',
      local_worker: this.runsJobs,
      waiting: (counts.waiting ?? 0) + (counts.delayed ?? 0) + (counts.prioritized ?? 0),
      active: counts.active ?? 0,
      workers,
    };
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    // Jobs in flight are given back (their rows stay `processing`); another worker takes them over.
    await this.worker?.close(true).catch(() => undefined);
    await this.queue.close().catch(() => undefined);
  }

  private async process(job: Job<ProcessJob>): Promise<string> {
    const { videoId, run } = job.data;
    return this.pipeline.run(videoId, run, this.stopping.signal, (stage, percent) => {
      void job.updateProgress({ stage, percent }).catch(() => undefined);
    });
  }

  /** The last attempt failed for a reason that is not the file's: the owner sees it and may reprocess. */
  private async onFailed(job: Job<ProcessJob> | undefined, error: Error): Promise<void> {
    if (!job || this.stopping.signal.aborted) return;
    this.logger.warn(`Video ${job.data.videoId}: attempt ${job.attemptsMade} failed: ${error.message}`);
    if (job.attemptsMade < (job.opts.attempts ?? 1)) return;
    await this.pipeline.fail({ id: job.data.videoId }, job.data.run, 'the server could not finish processing').catch(() => undefined);
  }

  /**
   * Every row in `processing` has a job (adding an existing job id is a no-op). At start, then
   * every minute: the instance comes from ProcessingModule's factory, which Nest's scheduler
   * scans like any provider.
   */
  @Interval(BULLMQ_RECOVER, RECOVER_EVERY_MS)
  private async recover(): Promise<void> {
    try {
      const rows = await this.videos.findProcessing(RECOVER_BATCH);
      for (const row of rows.filter((candidate) => !candidate.run)) {
        // A row from before runs existed: give it one, unless something else just did.
        const run = newRun();
        if (await this.videos.assignRun(row.id, run)) row.run = run;
      }
      const missing = rows.filter((row) => row.run);
      if (!missing.length) return;
      await withTimeout(
        this.queue.addBulk(
          missing.map(({ id, run }) => ({ name: 'process', data: { videoId: id, run: run! }, opts: { jobId: jobIdOf(id, run!) } })),
        ),
        ENQUEUE_TIMEOUT_MS * 5,
      );
    } catch (error) {
      if (!this.stopping.signal.aborted) this.logger.warn(`recovering processing jobs: ${(error as Error).message}`);
    }
  }
}
