/** What health shows of processing. */
export interface ProcessingStatus {
  engine: 'bullmq' | 'in-process';
  /** Whether this process runs jobs (PROCESSING=on, or the worker entry point). */
  local_worker: boolean;
  waiting: number;
  active: number;
  /** Workers seen alive (BullMQ: connected to the queue; in-process: this one, if it runs jobs). */
  workers: number;
}

/**
 * The job engine behind processing: BullMQ on Redis (several API instances and worker machines)
 * or in-process with the database as the durable backlog (the embedded default). Both run the
 * same VideoPipeline; the row (status `processing` and its `run`) is always the truth, the
 * engine only the means.
 */
export abstract class VideoProcessor {
  /** Hands the video's current run to the engine. Never throws: a lost hand-over is found again by `recover`. */
  abstract submit(videoId: string, run: string): Promise<void>;

  /** Resolves when nothing this engine knows of is waiting or running (for tests and benchmarks). */
  abstract idle(): Promise<void>;

  abstract status(): Promise<ProcessingStatus>;
}
