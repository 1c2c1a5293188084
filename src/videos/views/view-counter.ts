import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '../../config/app-config.js';
import { Clock } from '../../infra/clock.js';
import { Exclusive } from '../../infra/exclusive.js';
import { KvStore } from '../../infra/kv.store.js';
import { LockBusy } from '../../infra/redis-lock.js';
import { RedisService } from '../../infra/redis.service.js';
import { VideoRepository } from '../video.repository.js';

/** A viewer counts once per video in this window. */
export const VIEW_WINDOW_MS = 6 * 60 * 60_000;
/** The API's interval that writes buffered views to the database. */
export const VIEWS_FLUSH = 'views-flush';

interface Until {
  until: number;
}

/**
 * View counts without a database write per view. A viewer's mark (KvStore, 6 h) is taken under
 * Exclusive, so that one viewer counts once however many instances it reaches at once. Counted
 * views wait in a buffer: this process's memory, or with Redis one hash that every instance adds
 * to (HINCRBY), so that nothing an instance pushed is lost with it. Every VIEWS_FLUSH_MS, and at
 * shutdown, the buffer becomes a batch of `UPDATE … SET views = views + n`.
 */
@Injectable()
export class ViewCounter implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ViewCounter.name);
  /** Memory mode: views not yet written, and the batch being written. */
  private pending = new Map<string, number>();
  private inFlight = new Map<string, number>();
  private flushing: Promise<number> | null = null;
  private readonly keys: { pending: string; flushing: string; lock: string };

  constructor(
    private readonly kv: KvStore,
    private readonly exclusive: Exclusive,
    private readonly redis: RedisService,
    private readonly videos: VideoRepository,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly schedule: SchedulerRegistry,
  ) {
    // QUEUE_PREFIX keeps deployments sharing one Redis apart: a flush writes to its own database only.
    const prefix = `ps:${config.queuePrefix}:views`;
    this.keys = { pending: `${prefix}:pending`, flushing: `${prefix}:flushing`, lock: `views-flush:${config.queuePrefix}` };
  }

  onModuleInit(): void {
    const timer = setInterval(() => void this.flushLogged(), this.config.viewsFlushMs).unref();
    this.schedule.addInterval(VIEWS_FLUSH, timer);
  }

  /**
   * The last flush: requests are finished by now (shutDown closes the server first). Not later:
   * cache-manager disconnects the shared Redis client in its own onModuleDestroy, which runs
   * after this one (modules nearer the root are destroyed first).
   */
  async onModuleDestroy(): Promise<void> {
    await this.flushLogged();
  }

  /**
   * Counts a view of `videoId` by `viewer` (`u:<uid>` or `ip:<source>`) unless it counted one in
   * the last 6 hours; answers the views not yet in the database (this one included).
   */
  async count(videoId: string, viewer: string): Promise<number> {
    const mark = `view:${videoId}:${viewer}`;
    let counted: boolean;
    try {
      counted = await this.exclusive.run(mark, async () => {
        const now = this.clock.now();
        const seen = await this.kv.get<Until>(mark);
        if (seen && seen.until > now) return false;
        await this.kv.set<Until>(mark, { until: now + VIEW_WINDOW_MS }, VIEW_WINDOW_MS);
        return true;
      });
    } catch (error) {
      if (!(error instanceof LockBusy)) throw error;
      counted = false; // the same viewer's other request holds the mark and counts it
    }
    return counted ? this.add(videoId) : this.pendingOf(videoId);
  }

  /** Views of `videoId` counted and not yet written (also those being written now). */
  async pendingOf(videoId: string): Promise<number> {
    const client = this.redis.bounded;
    if (!client) return (this.pending.get(videoId) ?? 0) + (this.inFlight.get(videoId) ?? 0);
    const [waiting, writing] = await Promise.all([client.hGet(this.keys.pending, videoId), client.hGet(this.keys.flushing, videoId)]);
    return Number(waiting ?? 0) + Number(writing ?? 0);
  }

  private async add(videoId: string): Promise<number> {
    const client = this.redis.bounded;
    if (!client) {
      this.pending.set(videoId, (this.pending.get(videoId) ?? 0) + 1);
      return this.pendingOf(videoId);
    }
    const [waiting, writing] = await Promise.all([client.hIncrBy(this.keys.pending, videoId, 1), client.hGet(this.keys.flushing, videoId)]);
    return waiting + Number(writing ?? 0);
  }

  /** Writes the buffered views; answers how many. One flush at a time per process. */
  flush(): Promise<number> {
    this.flushing ??= (this.redis.client ? this.flushShared() : this.flushMemory()).finally(() => (this.flushing = null));
    return this.flushing;
  }

  private async flushLogged(): Promise<void> {
    await this.flush().catch((error: Error) => this.logger.warn(`views flush: ${error.message}`));
  }

  /** A failed write puts the batch back: it goes with the next flush. */
  private async flushMemory(): Promise<number> {
    if (!this.pending.size) return 0;
    this.inFlight = this.pending;
    this.pending = new Map();
    try {
      await this.videos.addViews(this.inFlight);
      return total(this.inFlight);
    } catch (error) {
      for (const [id, n] of this.inFlight) this.pending.set(id, (this.pending.get(id) ?? 0) + n);
      throw error;
    } finally {
      this.inFlight = new Map();
    }
  }

  /**
   * Under the flush lock (one instance at a time): the pending hash is renamed to the flushing
   * one, written, then deleted. A flushing hash left by an instance that died mid-way is written
   * by the next flush of any instance, so that nothing pushed to Redis is lost (one dying between
   * the database commit and the delete would count that batch twice).
   */
  private async flushShared(): Promise<number> {
    const client = this.redis.client!;
    try {
      return await this.exclusive.run(this.keys.lock, async () => {
        if (!(await client.exists(this.keys.flushing))) {
          if (!(await client.exists(this.keys.pending))) return 0;
          await client.rename(this.keys.pending, this.keys.flushing);
        }
        const batch = new Map(Object.entries(await client.hGetAll(this.keys.flushing)).map(([id, n]) => [id, Number(n)]));
        await this.videos.addViews(batch);
        await client.del(this.keys.flushing);
        return total(batch);
      });
    } catch (error) {
      if (error instanceof LockBusy) return 0; // another instance is flushing
      throw error;
    }
  }
}

const total = (counts: ReadonlyMap<string, number>) => [...counts.values()].reduce((sum, n) => sum + n, 0);
