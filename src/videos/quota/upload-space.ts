import { Injectable } from '@nestjs/common';
import { Errno } from '../../common/errno.js';
import { ErrnoError } from '../../common/errno.error.js';
import { Clock } from '../../infra/clock.js';
import { Exclusive } from '../../infra/exclusive.js';
import { KvStore } from '../../infra/kv.store.js';
import { LockBusy } from '../../infra/redis-lock.js';
import { VideoRepository } from '../video.repository.js';
import { StorageQuotas } from './storage-quotas.js';

/** How long a hold outlives its last renewal: the most a dead process keeps space from its owner. */
export const HOLD_TTL_MS = 5 * 60_000;
/** A claim renews its hold this often while its upload runs. */
const RENEW_EVERY_MS = 60_000;
/** A hold for bytes of unknown total grows this much ahead of them, so that not every chunk takes the lock. */
export const GROW_STEP = 8 * 1024 * 1024;

interface Hold {
  bytes: number;
  /** Clock time after which the hold no longer counts. */
  until: number;
}

/** An account's holds by upload key (`upload:<id>` for a multipart upload, `tus:<id>` for a tus upload). */
type Holds = Record<string, Hold>;

const holdsKey = (uid: number) => `upload-holds:${uid}`;

/**
 * Free space per account for uploads in flight: free = quota − storage used (rows: originals and
 * renditions) − what other uploads hold. An upload holds space before its bytes are stored and
 * gives it back once it is refused or cut off, or has become a row (which then counts in the
 * usage), so that two uploads at once cannot both fit into the last free bytes. The holds of an
 * account are one KvStore entry changed only under Exclusive, across instances with Redis; each
 * hold lapses HOLD_TTL_MS after its last renewal, so a process that died frees what it held.
 */
@Injectable()
export class UploadSpace {
  constructor(
    private readonly kv: KvStore,
    private readonly exclusive: Exclusive,
    private readonly clock: Clock,
    private readonly quotas: StorageQuotas,
    private readonly videos: VideoRepository,
  ) {}

  /**
   * Claims for the upload `key` of `uid` at least `atLeast` bytes and, as far as they are free,
   * up to `wanted`; 2007 when not even `atLeast` fits. An account without a quota gets a claim
   * that holds nothing and covers any size. The claim renews its hold until released or detached.
   */
  async claim(uid: number, key: string, atLeast: number, wanted = atLeast): Promise<SpaceClaim> {
    const quota = await this.quotas.quotaOf(uid);
    const claim = new SpaceClaim(this, uid, key, quota);
    if (quota !== null) {
      await claim.grow(atLeast, wanted);
      claim.keepRenewed();
    }
    return claim;
  }

  /** Sets the hold of `key` to what is free, between `atLeast` and `wanted`; 2007 when less than `atLeast` is free. */
  async take(uid: number, quota: number, key: string, atLeast: number, wanted: number): Promise<number> {
    return this.alone(uid, async () => {
      const now = this.clock.now();
      const holds = await this.holds(uid, now);
      delete holds[key];
      const others = Object.values(holds).reduce((sum, hold) => sum + hold.bytes, 0);
      const used = (await this.videos.usageOf(uid)).storageUsed;
      const free = quota - used - others;
      if (free < atLeast) throw new ErrnoError(Errno.StorageFull);
      const bytes = Math.min(Math.max(wanted, atLeast), free);
      holds[key] = { bytes, until: now + HOLD_TTL_MS };
      await this.save(uid, holds, now);
      return bytes;
    });
  }

  /** Moves the lapse of `key`'s hold on; false when it has lapsed already (its space may be gone). */
  async renew(uid: number, key: string): Promise<boolean> {
    return this.alone(uid, async () => {
      const now = this.clock.now();
      const holds = await this.holds(uid, now);
      const hold = holds[key];
      if (!hold) return false;
      holds[key] = { ...hold, until: now + HOLD_TTL_MS };
      await this.save(uid, holds, now);
      return true;
    });
  }

  /** Gives back what `key` holds (nothing held: nothing to do). */
  async release(uid: number, key: string): Promise<void> {
    await this.alone(uid, async () => {
      const now = this.clock.now();
      const holds = await this.holds(uid, now);
      if (!(key in holds)) return;
      delete holds[key];
      await this.save(uid, holds, now);
    });
  }

  /** The bytes all uploads of `uid` hold now. */
  async held(uid: number): Promise<number> {
    return Object.values(await this.holds(uid, this.clock.now())).reduce((sum, hold) => sum + hold.bytes, 0);
  }

  /** The holds of `uid` that have not lapsed. */
  private async holds(uid: number, now: number): Promise<Holds> {
    const stored = (await this.kv.get<Holds>(holdsKey(uid))) ?? {};
    return Object.fromEntries(Object.entries(stored).filter(([, hold]) => hold.until > now));
  }

  private async save(uid: number, holds: Holds, now: number): Promise<void> {
    const last = Math.max(0, ...Object.values(holds).map((hold) => hold.until));
    if (last <= now) await this.kv.del(holdsKey(uid));
    // The entry itself outlives its last hold a little: a hold's lapse is judged by the Clock.
    else await this.kv.set(holdsKey(uid), holds, last - now + HOLD_TTL_MS);
  }

  /** A key still busy after Exclusive's wait answers 1005, as elsewhere. */
  private async alone<T>(uid: number, work: () => Promise<T>): Promise<T> {
    try {
      return await this.exclusive.run(holdsKey(uid), work);
    } catch (error) {
      throw error instanceof LockBusy ? new ErrnoError(Errno.TooFrequent) : error;
    }
  }
}

/** One upload's hold on its owner's free space (see UploadSpace.claim). */
export class SpaceClaim {
  private bytes = 0;
  private renewing?: NodeJS.Timeout;

  constructor(
    private readonly space: UploadSpace,
    readonly uid: number,
    readonly key: string,
    /** Null: unlimited, nothing is held. */
    readonly quota: number | null,
  ) {}

  /** The bytes held now (Infinity without a quota). */
  get held(): number {
    return this.quota === null ? Infinity : this.bytes;
  }

  /** Whether `size` bytes in all are held already: answered without I/O, for each chunk. */
  covers(size: number): boolean {
    return size <= this.held;
  }

  /** Holds `size` bytes in all (and up to `wanted` when free) before they are stored; 2007 when they do not fit. */
  async grow(size: number, wanted = size + GROW_STEP): Promise<void> {
    if (this.quota === null) return;
    this.bytes = await this.space.take(this.uid, this.quota, this.key, size, wanted);
  }

  /** Renews the hold every RENEW_EVERY_MS until released or detached. */
  keepRenewed(): void {
    if (this.quota === null || this.renewing) return;
    this.renewing = setInterval(() => {
      this.space.renew(this.uid, this.key).then(
        // Lapsed (renewals failed for HOLD_TTL_MS): the next bytes claim their space again.
        (held) => void (held || (this.bytes = 0)),
        () => undefined,
      );
    }, RENEW_EVERY_MS);
    this.renewing.unref();
  }

  /** Stops renewing but keeps the hold, which lapses HOLD_TTL_MS later unless claimed again. */
  detach(): void {
    clearInterval(this.renewing);
    this.renewing = undefined;
  }

  /** Gives the space back. Never fails: a hold that could not be removed lapses. */
  async release(): Promise<void> {
    this.detach();
    if (this.quota === null) return;
    this.bytes = 0;
    await this.space.release(this.uid, this.key).catch(() => undefined);
  }
}
