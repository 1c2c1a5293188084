import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { SchedulerRegistry } from '@nestjs/schedule';
import PQueue from 'p-queue';
import type { AppConfig } from '../../config/app-config.js';
import type { VideoRepository } from '../video.repository.js';
import { ToolAborted } from './media-tools.js';
import type { VideoPipeline } from './video-pipeline.js';
import { VideoProcessor, type ProcessingStatus } from './video-processor.js';

/** The look at the database every `pollMs`, in a process that runs jobs. */
export const IN_PROCESS_CATCH_UP = 'in-process-catch-up';

/**
 * The embedded engine: a small in-memory queue (PROCESSING_CONCURRENCY at once) in front of the
 * database, which is the durable backlog. At most PROCESSING_QUEUE_LIMIT videos are held in
 * memory; when uploads outrun processing the rest wait as `processing` rows, taken up in upload
 * order once the queue drains, at start, and every `pollMs` (a separate worker process polls
 * often; an API instance rarely, as it is told of its own uploads).
 */
export class InProcessProcessor extends VideoProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(InProcessProcessor.name);
  private readonly queue: PQueue;
  private readonly limit: number;
  private readonly runsJobs: boolean;
  private readonly stopping = new AbortController();
  /** Queued or running here. */
  private readonly held = new Set<string>();
  /** Some `processing` rows may not be held: look for them when the queue drains. */
  private behind = false;
  private catchingUp: Promise<void> | null = null;
  /** Videos processed, and how many had been when the database was last looked at. */
  private done = 0;
  private doneAtLastLook = 0;

  constructor(
    private readonly videos: VideoRepository,
    private readonly pipeline: VideoPipeline,
    config: AppConfig,
    runsJobs: boolean,
    private readonly pollMs: number,
    private readonly schedule: SchedulerRegistry,
  ) {
    super();
    this.queue = new PQueue({ concurrency: config.processingConcurrency });
    this.limit = config.processingQueueLimit;
    this.runsJobs = runsJobs;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.runsJobs) return;
    await this.catchUp();
    if (this.held.size) this.logger.log(`Resuming processing of ${this.held.size}${this.behind ? '+' : ''} video(s)`);
    // Registered rather than @Interval: the period depends on the role.
    this.schedule.addInterval(IN_PROCESS_CATCH_UP, setInterval(() => void this.catchUp(), this.pollMs).unref());
  }

  submit(videoId: string): Promise<void> {
    if (!this.runsJobs) return Promise.resolve(); // a worker process finds the row
    if (this.held.size >= this.limit) this.behind = true;
    else this.hold(videoId);
    return Promise.resolve();
  }

  async idle(): Promise<void> {
    for (;;) {
      await this.catchingUp;
      await this.queue.onIdle();
      if (this.catchingUp) continue;
      if (!this.behind || this.done === this.doneAtLastLook) return;
      await this.catchUp();
    }
  }

  status(): Promise<ProcessingStatus> {
    return Promise.resolve({
      engine: 'in-process',
      local_worker: this.runsJobs,
      waiting: this.queue.size,
      active: this.queue.pending,
      workers: this.runsJobs ? 1 : 0,
    });
  }

  async onApplicationShutdown(): Promise<void> {
    // Nest's scheduler has cleared it already; not when the processor is used on its own.
    if (this.schedule.doesExist('interval', IN_PROCESS_CATCH_UP)) this.schedule.deleteInterval(IN_PROCESS_CATCH_UP);
    this.queue.clear();
    this.stopping.abort();
    await this.catchingUp;
    await this.queue.onIdle();
  }

  private hold(videoId: string): void {
    if (this.held.has(videoId) || this.stopping.signal.aborted) return;
    this.held.add(videoId);
    this.queue
      .add(async () => {
        if (this.stopping.signal.aborted) return;
        await this.pipeline.run(videoId, null, this.stopping.signal);
        this.done++;
      })
      .catch((error: Error) => {
        // Stopped: the row stays `processing` and is taken up at the next start.
        if (!(error instanceof ToolAborted)) this.logger.error(`processing ${videoId}: ${error.message}`);
      })
      .finally(() => {
        this.held.delete(videoId);
        // Only after progress: rows that keep failing (storage away) wait for the periodic look.
        if (this.behind && this.queue.size === 0 && this.done > this.doneAtLastLook) void this.catchUp();
      });
  }

  /** Takes up the oldest `processing` rows that are not held yet, up to the limit. */
  private catchUp(): Promise<void> {
    this.catchingUp ??= this.lookForWork().finally(() => (this.catchingUp = null));
    return this.catchingUp;
  }

  private async lookForWork(): Promise<void> {
    const room = this.limit - this.held.size;
    if (room <= 0 || this.stopping.signal.aborted) return;
    this.behind = false;
    this.doneAtLastLook = this.done;
    try {
      // Rows held here come back too, hence `limit` rather than `room`.
      const rows = await this.videos.findProcessing(this.limit);
      for (const { id } of rows.filter(({ id }) => !this.held.has(id)).slice(0, room)) this.hold(id);
      if (rows.length === this.limit) this.behind = true;
    } catch (error) {
      this.behind = true;
      this.logger.error(`looking for videos to process: ${(error as Error).message}`);
    }
  }
}
