import { SchedulerRegistry } from '@nestjs/schedule';
import { Test } from '@nestjs/testing';
import { AppConfig, loadConfig } from '../src/config/app-config.js';
import { SESSION_PRUNE } from '../src/session/session.module.js';
import { BULLMQ_RECOVER } from '../src/videos/processing/bullmq.processor.js';
import { IN_PROCESS_CATCH_UP } from '../src/videos/processing/in-process.processor.js';
import { TUS_SWEEP } from '../src/videos/tus/tus-uploads.js';
import { ORPHAN_SWEEP } from '../src/videos/videos.service.js';
import { VIEWS_FLUSH } from '../src/videos/views/view-counter.js';
import { STORAGE_PURGE } from '../src/infra/storage/storage-purge.js';
import { WorkerModule } from '../src/worker.module.js';
import { startApp, testEnv } from './support/test-app.js';

/** The timers each role runs, through Nest's scheduler; none outlives its app. (Purging stored bytes is idempotent: any role may.) */
describe('periodic timers', () => {
  const redis = Boolean(process.env.REDIS_URL);
  /** With Redis, BullMQ's recovery replaces the database poll, and sessions expire in Redis. */
  const processing = redis ? [BULLMQ_RECOVER] : [IN_PROCESS_CATCH_UP];

  it('the API sweeps uploads, files and sessions (and polls with PROCESSING=on); close stops them', async () => {
    const api = await startApp(testEnv());
    const schedule = api.app.get(SchedulerRegistry);
    const expected = [TUS_SWEEP, ORPHAN_SWEEP, STORAGE_PURGE, VIEWS_FLUSH, ...processing, ...(redis ? [] : [SESSION_PRUNE])];
    expect(schedule.getIntervals().sort()).toEqual(expected.sort());
    for (const name of expected) expect(schedule.getInterval<NodeJS.Timeout>(name).hasRef()).toBe(false);
    await api.close();
    expect(schedule.getIntervals()).toEqual([]);
  });

  it('an API-only instance (PROCESSING=off) keeps no database poll', async () => {
    const api = await startApp(testEnv({ PROCESSING: 'off' }));
    const intervals = api.app.get(SchedulerRegistry).getIntervals();
    await api.close();
    expect(intervals).not.toContain(IN_PROCESS_CATCH_UP);
    expect(intervals.includes(BULLMQ_RECOVER)).toBe(redis);
  });

  it('a worker runs only the processing timer and the storage purge; close stops them', async () => {
    const worker = await Test.createTestingModule({ imports: [WorkerModule] })
      .overrideProvider(AppConfig)
      .useValue(loadConfig({ LOG_LEVEL: 'warn', ...testEnv() }))
      .compile();
    await worker.init();
    const schedule = worker.get(SchedulerRegistry);
    expect(schedule.getIntervals().sort()).toEqual([...processing, STORAGE_PURGE].sort());
    for (const name of schedule.getIntervals()) expect(schedule.getInterval<NodeJS.Timeout>(name).hasRef()).toBe(false);
    await worker.close();
    expect(schedule.getIntervals()).toEqual([]);
  });
});
