import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { MockInstance } from 'vitest';
import type { VideoRepository } from '../video.repository.js';
import { unitConfig } from '../../../test/support/unit.js';
import { IN_PROCESS_CATCH_UP, InProcessProcessor } from './in-process.processor.js';
import { ToolAborted } from './media-tools.js';
import type { VideoPipeline } from './video-pipeline.js';

/**
 * The database as a list of rows in upload order, and a pipeline whose runs end when a test says:
 * a run that ends takes its row out of `processing`, as the real pipeline does.
 */
function fakes() {
  const rows: { id: string; status: 'processing' | 'ready' }[] = [];
  const started: string[] = [];
  const signals = new Map<string, AbortSignal>();
  const endings = new Map<string, { resolve: () => void; reject: (error: Error) => void }>();
  let running = 0;
  let mostAtOnce = 0;
  let lookups = 0;
  let databaseDown = false;
  const videos = {
    findProcessing: (limit: number) => {
      lookups++;
      if (databaseDown) return Promise.reject(new Error('database away'));
      return Promise.resolve(rows.filter((row) => row.status === 'processing').slice(0, limit));
    },
  } as unknown as VideoRepository;
  const pipeline = {
    run: (id: string, _run: string | null, signal: AbortSignal) => {
      started.push(id);
      signals.set(id, signal);
      mostAtOnce = Math.max(mostAtOnce, ++running);
      return new Promise<void>((resolve, reject) => endings.set(id, { resolve, reject })).finally(() => {
        running--;
        endings.delete(id);
        const row = rows.find((r) => r.id === id);
        if (row) row.status = 'ready';
      });
    },
  } as unknown as VideoPipeline;
  return {
    videos,
    pipeline,
    rows,
    started,
    signals,
    upload: (...ids: string[]) => rows.push(...ids.map((id) => ({ id, status: 'processing' as const }))),
    /** Ends every run started so far (or the named ones) and lets the queue move on. */
    finish: async (...ids: string[]) => {
      for (const [id, ending] of [...endings]) if (!ids.length || ids.includes(id)) ending.resolve();
      await new Promise((resolve) => setImmediate(resolve));
    },
    fail: (id: string, error: Error) => endings.get(id)?.reject(error),
    mostAtOnce: () => mostAtOnce,
    lookups: () => lookups,
    setDatabaseDown: (down: boolean) => (databaseDown = down),
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

/** Runs every run to its end as soon as it starts, until `idle` resolves. */
async function drain(processor: InProcessProcessor, f: ReturnType<typeof fakes>) {
  let done = false;
  const idle = processor.idle().then(() => (done = true));
  while (!done) await f.finish();
  await idle;
}

describe('InProcessProcessor', () => {
  let made: { processor: InProcessProcessor; f: ReturnType<typeof fakes> }[] = [];
  const make = (
    f: ReturnType<typeof fakes>,
    env: Record<string, string> = {},
    runsJobs = true,
    pollMs = 60_000,
    schedule = new SchedulerRegistry(),
  ) => {
    const config = unitConfig({ PROCESSING_CONCURRENCY: '2', PROCESSING_QUEUE_LIMIT: '100', ...env });
    const processor = new InProcessProcessor(f.videos, f.pipeline, config, runsJobs, pollMs, schedule);
    made.push({ processor, f });
    return processor;
  };

  let logged: MockInstance<Logger['error']>;

  beforeEach(() => {
    logged = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    vi.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    // Shutdown waits for the runs in progress: end them.
    for (const { processor, f } of made) {
      const stopped = processor.onApplicationShutdown();
      await f.finish();
      await stopped;
    }
    made = [];
  });

  it('runs submitted videos, PROCESSING_CONCURRENCY at once, in the order they came', async () => {
    const f = fakes();
    const processor = make(f);
    f.upload('a', 'b', 'c', 'd', 'e');
    for (const id of ['a', 'b', 'c', 'd', 'e']) await processor.submit(id);
    await settle();
    expect(f.started).toEqual(['a', 'b']);
    expect(await processor.status()).toEqual({ engine: 'in-process', local_worker: true, waiting: 3, active: 2, workers: 1 });
    await drain(processor, f);
    expect(f.started).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(f.mostAtOnce()).toBe(2);
    expect(await processor.status()).toMatchObject({ waiting: 0, active: 0 });
  });

  it('runs a video once however often it is submitted while held', async () => {
    const f = fakes();
    const processor = make(f);
    f.upload('a');
    await processor.submit('a');
    await processor.submit('a');
    await drain(processor, f);
    expect(f.started).toEqual(['a']);
  });

  it('holds at most PROCESSING_QUEUE_LIMIT in memory; the rest are taken up from the database, oldest first', async () => {
    const f = fakes();
    const processor = make(f, { PROCESSING_QUEUE_LIMIT: '2', PROCESSING_CONCURRENCY: '1' });
    const ids = ['v1', 'v2', 'v3', 'v4', 'v5', 'v6'];
    f.upload(...ids);
    for (const id of ids) await processor.submit(id);
    await settle();
    expect(await processor.status()).toMatchObject({ waiting: 1, active: 1 });
    await drain(processor, f);
    expect(f.started).toEqual(ids);
    expect(f.rows.every((row) => row.status === 'ready')).toBe(true);
  });

  it('resumes the `processing` rows it finds at start, up to the limit, and the rest as room frees up', async () => {
    const f = fakes();
    f.upload('old1', 'old2', 'old3');
    const processor = make(f, { PROCESSING_QUEUE_LIMIT: '2', PROCESSING_CONCURRENCY: '1' });
    await processor.onApplicationBootstrap();
    await settle();
    expect(f.started).toEqual(['old1']);
    expect(await processor.status()).toMatchObject({ waiting: 1, active: 1 });
    await drain(processor, f);
    expect(f.started).toEqual(['old1', 'old2', 'old3']);
  });

  it('finds rows another process left, every pollMs', async () => {
    const f = fakes();
    const processor = make(f, {}, true, 20);
    await processor.onApplicationBootstrap();
    f.upload('from-elsewhere');
    await vi.waitFor(() => expect(f.started).toEqual(['from-elsewhere']), { timeout: 2000, interval: 10 });
  });

  it('registers its poll with the scheduler when it runs jobs, and removes it at shutdown', async () => {
    const schedule = new SchedulerRegistry();
    const processor = make(fakes(), {}, true, 60_000, schedule);
    await processor.onApplicationBootstrap();
    expect(schedule.getIntervals()).toEqual([IN_PROCESS_CATCH_UP]);
    await processor.onApplicationShutdown();
    expect(schedule.getIntervals()).toEqual([]);
  });

  it('runs nothing in an API-only process (PROCESSING=off): the worker finds the row', async () => {
    const f = fakes();
    const schedule = new SchedulerRegistry();
    const processor = make(f, {}, false, 60_000, schedule);
    f.upload('a');
    await processor.onApplicationBootstrap();
    await processor.submit('a');
    await processor.idle();
    expect(f.started).toEqual([]);
    expect(f.lookups()).toBe(0);
    expect(schedule.getIntervals()).toEqual([]);
    expect(await processor.status()).toEqual({ engine: 'in-process', local_worker: false, waiting: 0, active: 0, workers: 0 });
  });

  it('logs a failed run and goes on with the next; a run stopped on purpose is not an error', async () => {
    const f = fakes();
    const processor = make(f, { PROCESSING_CONCURRENCY: '1' });
    f.upload('bad', 'aborted', 'good');
    for (const id of ['bad', 'aborted', 'good']) await processor.submit(id);
    await settle();
    f.fail('bad', new Error('ffmpeg crashed'));
    await settle();
    f.fail('aborted', new ToolAborted('stopped'));
    await settle();
    await drain(processor, f);
    expect(f.started).toEqual(['bad', 'aborted', 'good']);
    expect(logged.mock.calls.map(([message]) => message)).toEqual(['processing bad: ffmpeg crashed']);
  });

  it('keeps looking after the database failed to answer', async () => {
    const f = fakes();
    const processor = make(f, {}, true, 20);
    f.upload('a');
    f.setDatabaseDown(true);
    await processor.onApplicationBootstrap();
    expect(f.started).toEqual([]);
    expect(logged).toHaveBeenCalledWith('looking for videos to process: database away');
    f.setDatabaseDown(false);
    await vi.waitFor(() => expect(f.started).toEqual(['a']), { timeout: 2000, interval: 10 });
  });

  it('at shutdown aborts the run in progress, drops what waits, and takes nothing new', async () => {
    const f = fakes();
    const processor = make(f, { PROCESSING_CONCURRENCY: '1' });
    f.upload('running', 'waiting');
    await processor.submit('running');
    await processor.submit('waiting');
    await settle();
    const stopped = processor.onApplicationShutdown();
    expect(f.signals.get('running')?.aborted).toBe(true);
    f.fail('running', new ToolAborted('stopped'));
    await stopped;
    f.upload('late');
    await processor.submit('late');
    await settle();
    expect(f.started).toEqual(['running']);
    expect(f.rows.find((row) => row.id === 'waiting')?.status).toBe('processing');
    expect(logged).not.toHaveBeenCalled();
  });
});
